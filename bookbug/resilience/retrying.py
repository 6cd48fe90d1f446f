"""Retries for code outside the durable engine (scripts, the CLI, one-off calls).

Inside workflows the engine owns retries (it checkpoints attempts in the database); this is
the same policy for everything else, on tenacity:

    async for attempt in retrying(policy_for("anthropic")):
        with attempt:
            answer = await client.messages.create(...)
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_base

from bookbug.resilience.backoff import backoff_delay
from bookbug.resilience.classify import classify
from bookbug.resilience.policy import ServicePolicy

log = logging.getLogger(__name__)


class wait_backoff(wait_base):  # noqa: N801 - tenacity names its strategies in lower case
    """Full-jitter backoff from `policy`, never shorter than the failure's Retry-After."""

    def __init__(self, policy: ServicePolicy, rng: random.Random | None = None) -> None:
        self.policy = policy
        self.rng = rng

    def __call__(self, retry_state: RetryCallState) -> float:
        failure = retry_state.outcome.exception() if retry_state.outcome else None
        retry_after = classify(failure).retry_after if failure is not None else None
        return backoff_delay(
            retry_state.attempt_number,
            base=self.policy.base_delay,
            cap=self.policy.max_delay,
            retry_after=retry_after,
            rng=self.rng,
        )


def retrying(
    policy: ServicePolicy,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    rng: random.Random | None = None,
) -> AsyncRetrying:
    """Retry only retryable errors, up to `policy.max_attempts`; then re-raise the last one."""
    return AsyncRetrying(
        stop=stop_after_attempt(policy.max_attempts),
        retry=retry_if_exception(lambda exc: classify(exc).retryable),
        wait=wait_backoff(policy, rng),
        sleep=sleep,
        before_sleep=_log_retry,
        reraise=True,
    )


def _log_retry(retry_state: RetryCallState) -> None:
    failure = retry_state.outcome.exception() if retry_state.outcome else None
    reason = classify(failure).reason if failure is not None else "The call failed."
    log.warning("%s Attempt %d failed; next in %.1f s.", reason, retry_state.attempt_number, retry_state.upcoming_sleep)
