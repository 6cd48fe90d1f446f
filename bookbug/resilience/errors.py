"""Our own small error hierarchy: raise these where the cause is known.

`classify` understands the SDKs' exceptions too; these are for the failures our code detects
itself (an empty answer, a prediction that never finished, a missing setting), so that the
engine and `retrying` can tell "try again" from "stop now" without guessing.
"""

from __future__ import annotations


class ProviderError(Exception):
    """A failure talking to an outside service, with a sentence a person can act on."""

    def __init__(self, message: str, *, service: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.service = service
        self.status = status


class RetryableError(ProviderError):
    """A failure that may pass if we try again later (optionally not before `retry_after` s)."""

    def __init__(
        self,
        message: str,
        retry_after: float | None = None,
        *,
        service: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, service=service, status=status)
        if retry_after is not None and retry_after < 0:
            raise ValueError(f"retry_after must be zero or more seconds, got {retry_after}")
        self.retry_after = retry_after


class FatalError(ProviderError):
    """A failure that trying again cannot fix (bad credentials, invalid request...)."""
