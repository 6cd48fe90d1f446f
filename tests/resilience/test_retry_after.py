"""parse_retry_after: seconds, milliseconds and HTTP dates, in any header case; garbage is None."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, UTC
from email.utils import format_datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookbug.resilience import parse_retry_after

NOW = datetime(2026, 11, 28, 12, 0, 0, tzinfo=UTC)


def _any_case(name: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(name), max_size=len(name)).map(
        lambda upper: "".join(c.upper() if u else c for c, u in zip(name, upper))
    )


@given(seconds=st.integers(min_value=0, max_value=10**7), name=_any_case("retry-after"))
def test_whole_seconds_in_any_header_case(seconds: int, name: str) -> None:
    assert parse_retry_after({name: str(seconds)}) == float(seconds)


@given(seconds=st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False))
def test_fractional_seconds(seconds: float) -> None:
    assert parse_retry_after({"Retry-After": repr(seconds)}) == seconds


@given(milliseconds=st.integers(min_value=0, max_value=10**9), name=_any_case("retry-after-ms"))
def test_milliseconds_win_over_seconds(milliseconds: int, name: str) -> None:
    assert parse_retry_after({name: str(milliseconds), "retry-after": "999"}) == pytest.approx(milliseconds / 1000)


@given(offset=st.integers(min_value=-10**6, max_value=10**7))
def test_http_date_is_seconds_from_now_and_never_negative(offset: int) -> None:
    header = format_datetime(NOW + timedelta(seconds=offset), usegmt=True)  # "Sat, 28 Nov 2026 12:00:05 GMT"
    assert parse_retry_after({"Retry-After": header}, now=NOW) == max(0.0, float(offset))


def test_http_date_in_the_past_means_now() -> None:
    assert parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, now=NOW) == 0.0


def test_naive_now_is_taken_as_utc() -> None:
    header = "Sat, 28 Nov 2026 12:00:30 GMT"
    assert parse_retry_after({"retry-after": header}, now=NOW.replace(tzinfo=None)) == 30.0


def test_reads_httpx_headers_and_header_pairs() -> None:
    assert parse_retry_after(httpx.Headers({"Retry-After": "12"})) == 12.0
    assert parse_retry_after([("RETRY-AFTER-MS", "250")]) == 0.25


@pytest.mark.parametrize("value", ["", "soon", "-5", "nan", "inf", "1e999", "12 seconds", "Thu, 99 Foo 2026", "0x10"])
def test_garbage_is_none(value: str) -> None:
    assert parse_retry_after({"Retry-After": value}, now=NOW) is None


def test_garbage_milliseconds_fall_back_to_seconds() -> None:
    assert parse_retry_after({"retry-after-ms": "later", "retry-after": "3"}) == 3.0


@pytest.mark.parametrize("headers", [None, {}, {"content-type": "application/json"}])
def test_no_header_is_none(headers: dict[str, str] | None) -> None:
    assert parse_retry_after(headers) is None


@given(value=st.text(max_size=40))
def test_any_text_gives_none_or_a_finite_non_negative_delay(value: str) -> None:
    result = parse_retry_after({"retry-after": value}, now=NOW)
    assert result is None or (math.isfinite(result) and result >= 0)
