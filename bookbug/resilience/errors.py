"""Our own small error hierarchy: raise these where the cause is known.

`classify` understands the SDKs' exceptions too; these are for the failures our code detects
itself (an empty answer, a prediction that never finished, a missing setting), so that the
engine and `retrying` can tell "try again" from "stop now" without guessing.
"""

from __future__ import annotations

from typing import Literal

# What went wrong, as one word: a person's sentence, an operator's filter, and the engine's
# reaction (a shared pause for rate_limited, a slower pace for overloaded) are chosen by it.
FailureKind = Literal["rate_limited", "overloaded", "auth", "bad_request", "content_refused", "invalid_reply",
                      "timeout", "internal"]
FAILURE_KINDS: tuple[FailureKind, ...] = ("rate_limited", "overloaded", "auth", "bad_request", "content_refused",
                                          "invalid_reply", "timeout", "internal")


def kind_of_status(status: int | None, default: FailureKind) -> FailureKind:
    """The kind an HTTP status means (or `default` when there is no status)."""
    if status is None:
        return default
    if status == 429:
        return "rate_limited"
    if status in (408, 504):
        return "timeout"
    if status >= 500 or status == 409:
        return "overloaded"
    if status in (401, 402, 403):
        return "auth"
    return "bad_request"


class ProviderError(Exception):
    """A failure talking to an outside service, with a sentence a person can act on."""

    def __init__(self, message: str, *, service: str | None = None, status: int | None = None,
                 kind: FailureKind | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.service = service
        self.status = status
        self.kind: FailureKind | None = kind


class RetryableError(ProviderError):
    """A failure that may pass if we try again later (optionally not before `retry_after` s)."""

    def __init__(
        self,
        message: str,
        retry_after: float | None = None,
        *,
        service: str | None = None,
        status: int | None = None,
        kind: FailureKind | None = None,
    ) -> None:
        super().__init__(message, service=service, status=status, kind=kind)
        if retry_after is not None and retry_after < 0:
            raise ValueError(f"retry_after must be zero or more seconds, got {retry_after}")
        self.retry_after = retry_after


class FatalError(ProviderError):
    """A failure that trying again cannot fix (bad credentials, invalid request...)."""
