"""Retry and error classification for every provider call and for the durable engine.

`classify(exc)` says whether a failure is worth another try (and how long the server asked
us to wait); `backoff_delay` spaces the tries; `policy_for(service)` holds the per-service
limits from settings; `retrying(policy)` applies all of it outside the engine.
"""

from bookbug.resilience.backoff import backoff_delay
from bookbug.resilience.classify import Classification, classify
from bookbug.resilience.errors import FAILURE_KINDS, FailureKind, FatalError, ProviderError, RetryableError
from bookbug.resilience.policy import ServicePolicy, policy_for
from bookbug.resilience.retry_after import parse_retry_after
from bookbug.resilience.retrying import retrying

__all__ = [
    "FAILURE_KINDS",
    "Classification",
    "FailureKind",
    "FatalError",
    "ProviderError",
    "RetryableError",
    "ServicePolicy",
    "backoff_delay",
    "classify",
    "parse_retry_after",
    "policy_for",
    "retrying",
]
