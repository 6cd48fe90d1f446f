"""Retry and error classification for every provider call and for the durable engine.

`classify(exc)` says whether a failure is worth another try (and how long the server asked
us to wait); `backoff_delay` spaces the tries. The engine applies them, with each service's
retry policy from the operators' settings (`engine.config`).
"""

from bookbug.resilience.backoff import backoff_delay
from bookbug.resilience.classify import Classification, classify
from bookbug.resilience.errors import FAILURE_KINDS, FailureKind, FatalError, ProviderError, RetryableError
from bookbug.resilience.retry_after import parse_retry_after

__all__ = [
    "FAILURE_KINDS",
    "Classification",
    "FailureKind",
    "FatalError",
    "ProviderError",
    "RetryableError",
    "backoff_delay",
    "classify",
    "parse_retry_after",
]
