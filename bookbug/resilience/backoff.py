"""Exponential backoff with full jitter, never earlier than a server's Retry-After.

tenacity's `wait_random_exponential` is the same formula, but it reads the attempt from a
`RetryCallState` and draws from the global `random` module; the durable engine computes a
delay from a stored attempt count and tests need a seeded `random.Random`, so the formula
lives here and `retrying` plugs it into tenacity as its wait strategy.
"""

from __future__ import annotations

import random

# 2**63 seconds is far beyond any cap; stopping the exponent here avoids float overflow.
_MAX_EXPONENT = 63


def backoff_ceiling(attempt: int, *, base: float, cap: float) -> float:
    """The upper end of the jitter window after `attempt` failed attempts (counted from 1)."""
    if attempt < 1:
        raise ValueError(f"attempt counts from 1, got {attempt}")
    if base <= 0:
        raise ValueError(f"base delay must be more than 0 seconds, got {base}")
    if cap < 0:
        raise ValueError(f"delay cap must be 0 seconds or more, got {cap}")
    return min(cap, base * 2.0 ** min(attempt - 1, _MAX_EXPONENT))


def backoff_delay(
    attempt: int,
    *,
    base: float,
    cap: float,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait before the next try: uniform(0, min(cap, base * 2**(attempt-1))).

    Full jitter spreads retries from many workers apart (see the AWS architecture blog,
    "Exponential Backoff and Jitter"). A Retry-After is a floor, even above `cap`: the
    server said when it will accept us again, and earlier tries only burn attempts.
    """
    ceiling = backoff_ceiling(attempt, base=base, cap=cap)
    delay = (rng or random).uniform(0.0, ceiling)
    if retry_after is not None:
        delay = max(delay, retry_after, 0.0)
    return delay
