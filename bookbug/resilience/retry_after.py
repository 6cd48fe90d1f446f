"""Read how long a server asked us to wait: `retry-after-ms`, then `Retry-After`.

`Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3); Anthropic also
sends `retry-after-ms`, which is more precise, so it wins when both are present.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime, UTC
from email.utils import parsedate_to_datetime

HeaderSource = Mapping[str, str] | Iterable[tuple[str, str]]


def parse_retry_after(headers: HeaderSource | None, now: datetime | None = None) -> float | None:
    """Seconds to wait before retrying, or None when the headers say nothing usable.

    A date in the past means "now" (0.0). Header names are matched case-insensitively;
    `now` (timezone-aware; naive means UTC) is only used for the HTTP-date form.
    """
    if not headers:
        return None
    lowered = _lowercase(headers)
    milliseconds = _non_negative_number(lowered.get("retry-after-ms"))
    if milliseconds is not None:
        return milliseconds / 1000.0
    value = lowered.get("retry-after")
    if value is None:
        return None
    seconds = _non_negative_number(value)
    if seconds is not None:
        return seconds
    return _seconds_until_http_date(value, now)


def _lowercase(headers: HeaderSource) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {str(name).lower(): str(value) for name, value in items}


def _non_negative_number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    # "nan", "inf" and negative numbers parse as floats but are not delays.
    if not math.isfinite(number) or number < 0:
        return None
    return number


def _seconds_until_http_date(value: str, now: datetime | None) -> float | None:
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    now = now or datetime.now(UTC)
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())
