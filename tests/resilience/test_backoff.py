"""backoff_delay: full jitter under an exponential ceiling and a cap; Retry-After is a floor."""

from __future__ import annotations

import random
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookbug.resilience import backoff_delay

attempts = st.integers(min_value=1, max_value=200)
bases = st.floats(min_value=0.001, max_value=100, allow_nan=False)
caps = st.floats(min_value=0, max_value=3600, allow_nan=False)
seeds = st.integers(min_value=0, max_value=2**32)
retry_afters = st.floats(min_value=0, max_value=86_400, allow_nan=False)


@given(attempt=attempts, base=bases, cap=caps, seed=seeds)
def test_delay_stays_within_zero_and_the_exponential_ceiling(attempt: int, base: float, cap: float, seed: int) -> None:
    delay = backoff_delay(attempt, base=base, cap=cap, rng=random.Random(seed))
    assert 0 <= delay <= cap
    assert delay <= base * 2 ** (attempt - 1)


@given(attempt=attempts, base=bases, cap=caps, seed=seeds, retry_after=retry_afters)
def test_delay_never_fires_before_retry_after(attempt: int, base: float, cap: float, seed: int, retry_after: float) -> None:
    delay = backoff_delay(attempt, base=base, cap=cap, retry_after=retry_after, rng=random.Random(seed))
    assert delay >= retry_after  # even when Retry-After exceeds the cap
    assert delay <= max(retry_after, cap)


@given(attempt=st.integers(min_value=1, max_value=199), base=bases, cap=caps, seed=seeds)
def test_each_attempt_at_most_doubles_the_delay(attempt: int, base: float, cap: float, seed: int) -> None:
    """With the same random draw, the next attempt waits at most twice as long, never less."""
    this = backoff_delay(attempt, base=base, cap=cap, rng=random.Random(seed))
    following = backoff_delay(attempt + 1, base=base, cap=cap, rng=random.Random(seed))
    assert this <= following <= 2 * this + 1e-9


def test_delays_are_spread_over_the_whole_window() -> None:
    """Full jitter, not a fixed delay: draws cover [0, ceiling] with a mean near its middle."""
    rng = random.Random(7)
    delays = [backoff_delay(4, base=0.5, cap=60, rng=rng) for _ in range(2000)]  # ceiling 0.5 * 2**3 = 4
    assert min(delays) < 0.1 and max(delays) > 3.9
    assert 1.8 < statistics.mean(delays) < 2.2


def test_the_cap_bounds_late_attempts() -> None:
    rng = random.Random(1)
    assert max(backoff_delay(40, base=1, cap=5, rng=rng) for _ in range(200)) <= 5


@pytest.mark.parametrize(
    ("attempt", "base", "cap", "message"),
    [(0, 1.0, 10.0, "attempt counts from 1"), (1, 0.0, 10.0, "base delay"), (1, 1.0, -1.0, "delay cap")],
)
def test_bad_arguments_are_refused_clearly(attempt: int, base: float, cap: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        backoff_delay(attempt, base=base, cap=cap)
