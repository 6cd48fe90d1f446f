"""retrying(): retries only retryable errors, waits as the server asks, re-raises the last one."""

from __future__ import annotations

import random

import anthropic
import pytest

from bookbug.resilience import FatalError, RetryableError, ServicePolicy, retrying
from tests.resilience import sdk_errors as sdk

POLICY = ServicePolicy(max_attempts=5, base_delay=0.01, max_delay=0.05)


class Flaky:
    """Fails with each of `failures` in turn, then answers "ok"."""

    def __init__(self, *failures: BaseException) -> None:
        self.failures = list(failures)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


class RecordedSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


async def test_a_429_is_retried_twice_after_its_retry_after_then_succeeds() -> None:
    call = Flaky(*(sdk.anthropic_status(429, headers={"retry-after": "2"}) for _ in range(2)))
    sleep = RecordedSleep()

    result = await retrying(POLICY, sleep=sleep)(call)

    assert result == "ok" and call.calls == 3
    assert len(sleep.waits) == 2
    assert all(wait >= 2.0 for wait in sleep.waits), "Retry-After (above the 0.05 s cap) is honoured"


async def test_without_retry_after_waits_stay_under_the_cap() -> None:
    call = Flaky(sdk.anthropic_status(503), sdk.anthropic_timeout(), sdk.anthropic_status(529))
    sleep = RecordedSleep()

    async for attempt in retrying(POLICY, sleep=sleep, rng=random.Random(3)):
        with attempt:
            result = await call()

    assert result == "ok" and call.calls == 4
    assert len(sleep.waits) == 3 and all(0 <= wait <= POLICY.max_delay for wait in sleep.waits)


async def test_a_fatal_error_stops_at_once() -> None:
    call = Flaky(sdk.anthropic_status(401, "invalid x-api-key", error_type="authentication_error"))
    sleep = RecordedSleep()

    with pytest.raises(anthropic.AuthenticationError):
        await retrying(POLICY, sleep=sleep)(call)

    assert call.calls == 1 and sleep.waits == []


async def test_a_bug_in_our_code_is_not_retried() -> None:
    call = Flaky(KeyError("pages"))
    with pytest.raises(KeyError):
        await retrying(POLICY, sleep=RecordedSleep())(call)
    assert call.calls == 1


async def test_the_last_error_is_re_raised_after_max_attempts() -> None:
    policy = ServicePolicy(max_attempts=3, base_delay=0.01, max_delay=0.05)
    errors = [RetryableError(f"still busy ({n})", retry_after=0.5) for n in range(5)]
    call = Flaky(*errors)
    sleep = RecordedSleep()

    with pytest.raises(RetryableError, match=r"still busy \(2\)"):
        await retrying(policy, sleep=sleep)(call)

    assert call.calls == 3 and sleep.waits == [0.5, 0.5]


async def test_our_fatal_error_is_not_retried() -> None:
    call = Flaky(FatalError("The story brief has no title."))
    with pytest.raises(FatalError):
        await retrying(POLICY, sleep=RecordedSleep())(call)
    assert call.calls == 1


async def test_each_retry_is_logged_with_its_reason(caplog: pytest.LogCaptureFixture) -> None:
    call = Flaky(sdk.replicate_status(429, {"detail": "Request was throttled. Expected available in 1 second."}))
    with caplog.at_level("WARNING", logger="bookbug.resilience.retrying"):
        await retrying(POLICY, sleep=RecordedSleep())(call)
    assert "Replicate is rate limiting our requests (429)" in caplog.text
