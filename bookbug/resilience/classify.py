"""Turn any exception into a decision: try again (and when), or stop with a clear sentence.

Each SDK is recognised only when it is already imported (`sys.modules`): an exception of
its type cannot exist otherwise, and classifying never pays for importing anthropic,
replicate or botocore.
"""

from __future__ import annotations

import asyncio
import errno
import re
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pydantic

from bookbug.resilience.errors import FailureKind, FatalError, RetryableError, kind_of_status
from bookbug.resilience.retry_after import parse_retry_after


@dataclass(frozen=True, kw_only=True)
class Classification:
    retryable: bool
    reason: str  # one sentence an operator can act on
    kind: FailureKind = "internal"
    retry_after: float | None = None  # seconds the server asked us to wait
    status: int | None = None
    service: str | None = None

    def as_failure(self) -> dict[str, object]:
        """The structure stored with a failed step and run (and shown to operators)."""
        return {"kind": self.kind, "service": self.service, "status": self.status, "detail": self.reason,
                "retryable": self.retryable, "retry_after": self.retry_after}


@dataclass(frozen=True)
class _Service:
    name: str  # as written in a sentence
    credential: str  # what the service checks
    setting: str  # where it comes from
    missing: str  # what to check when it cannot find something (404)


_SERVICES = {
    "anthropic": _Service("Anthropic", "API key", "ANTHROPIC_API_KEY",
                          "check ANTHROPIC_MODEL and the other model settings"),
    "replicate": _Service("Replicate", "API token", "REPLICATE_API_TOKEN", "check the REPLICATE_*_MODEL settings"),
    "s3": _Service("S3 storage", "credentials", "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY",
                   "check S3_BUCKET and S3_ENDPOINT_URL"),
}

_BACK_OFF = "backing off before trying again"

# HTTP statuses worth another try besides 5xx (529 is Anthropic's "overloaded").
_RETRYABLE_STATUSES = frozenset({408, 409, 429})

# The error codes botocore's own retry handler treats as throttling or transient
# (botocore/retries/standard.py), for S3-compatible stores that answer 400/403/503 with them.
_BOTO_THROTTLING_CODES = frozenset({
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
    "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
    "EC2ThrottledException",
})
_BOTO_TRANSIENT_CODES = frozenset({
    "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "InternalError",
    "ServiceUnavailable", "TransactionInProgressException",
})

# An error event inside a streamed answer arrives on a 200 response; its body's error type
# says what the status would have been (anthropic/types/shared/error_type.py).
_ANTHROPIC_ERROR_TYPES = {
    "invalid_request_error": 400, "authentication_error": 401, "billing_error": 402,
    "permission_error": 403, "not_found_error": 404, "conflict_error": 409,
    "memory_path_conflict_error": 409, "memory_precondition_failed_error": 412,
    "rate_limit_error": 429, "api_error": 500, "timeout_error": 504, "overloaded_error": 529,
}

# Replicate throttles through Django REST Framework: "Expected available in 6 seconds."
_REPLICATE_WAIT = re.compile(r"available in (\d+(?:\.\d+)?) seconds?", re.IGNORECASE)

# Errors in our own code: another try runs the same bug again.
_PROGRAMMING_ERRORS = (
    TypeError, LookupError, AttributeError, NameError, ValueError, AssertionError,
    NotImplementedError, ArithmeticError, ImportError,
)

# OSErrors (not ConnectionError subclasses) that mean the network is down for now; a DNS
# lookup that failed "temporarily" (socket.gaierror EAI_AGAIN) belongs here too.
_TRANSIENT_ERRNOS = frozenset({
    errno.ENETUNREACH, errno.ENETDOWN, errno.EHOSTUNREACH, errno.EHOSTDOWN, errno.ETIMEDOUT,
    socket.EAI_AGAIN,
})


def classify(exc: BaseException) -> Classification:
    """Retryable (timeouts, connection errors, 408/409/429/5xx/529) or fatal (the rest)."""
    for reader in _READERS:
        found = reader(exc)
        if found is not None:
            return found
    return _builtin(exc)


def from_status(
    status: int,
    *,
    service: str | None,
    detail: str | None = None,
    retry_after: float | None = None,
    where: str | None = None,
) -> Classification:
    """Classify an HTTP error status from `service` (or from host `where` when unknown)."""
    known = _SERVICES.get(service or "")
    name = known.name if known else (f"The server at {where}" if where else "The remote service")
    retryable = status in _RETRYABLE_STATUSES or status >= 500
    action: str | None = "trying again"
    if status == 429:
        head = f"{name} is rate limiting our requests (429)"
        action = f"waiting {retry_after:g} s as it asked" if retry_after is not None else _BACK_OFF
        detail = None  # "rate limit exceeded" in other words
    elif status == 529:
        head, action = f"{name} is overloaded (529)", _BACK_OFF
    elif status == 408:
        head = f"{name} timed out waiting for our request (408)"
    elif status == 409:
        head = f"{name} reported a conflict (409), which usually passes"
    elif status >= 500:
        head, action = f"{name} had a server error ({status})", _BACK_OFF
    elif status == 401:
        credential = known.credential if known else "credentials"
        head = f"{name} rejected the {credential} (401)"
        # the advice replaces the service's words: "invalid x-api-key" adds nothing to it
        detail, action = (f"check {known.setting}" if known else "check its credentials"), None
    elif status == 403:
        head = f"{name} refused permission (403)"
        action = f"check what {known.setting} may use" if known else "check its credentials"
    elif status == 402:
        head, detail, action = f"{name} asks for payment (402)", "check the account's billing", None
    elif status == 400:
        head, action = f"{name} rejected the request as invalid (400)", None
    elif status == 404:
        head = f"{name} could not find the requested model or resource (404)"
        action = known.missing if known else None
    elif status == 422:
        head, action = f"{name} could not process the request (422)", None
    else:
        head, action = f"{name} refused the request ({status})", None
    return Classification(
        retryable=retryable,
        reason=_sentence(head, detail, action),
        kind=kind_of_status(status, "internal"),
        retry_after=retry_after if retryable else None,
        status=status,
        service=service,
    )


def _sentence(head: str, detail: object = None, action: str | None = None) -> str:
    """One line ending in a full stop: what happened, the service's own words, what to do."""
    text = " ".join(head.split()).rstrip(". ")
    if detail:
        words = " ".join(str(detail).split()).rstrip(". ")
        if len(words) > 200:
            words = words[:197].rstrip() + "..."
        if words:
            text = f"{text}: {words}"
    if action:
        text = f"{text}; {action}"
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def _module(name: str) -> ModuleType | None:
    return sys.modules.get(name)


def _ours(exc: BaseException) -> Classification | None:
    if isinstance(exc, RetryableError):
        kind = exc.kind or kind_of_status(exc.status, "rate_limited" if exc.retry_after is not None else "timeout")
        return Classification(
            retryable=True, reason=_sentence(exc.message), kind=kind, retry_after=exc.retry_after,
            status=exc.status, service=exc.service,
        )
    if isinstance(exc, FatalError):
        return Classification(
            retryable=False, reason=_sentence(exc.message), kind=exc.kind or kind_of_status(exc.status, "internal"),
            status=exc.status, service=exc.service,
        )
    return None


def _anthropic(exc: BaseException) -> Classification | None:
    sdk = _module("anthropic")
    if sdk is None or not isinstance(exc, sdk.AnthropicError):
        return None
    if isinstance(exc, sdk.APIStatusError):
        status = exc.status_code
        if status < 400:  # failed mid-stream: an unknown type is still the server failing
            status = _ANTHROPIC_ERROR_TYPES.get(exc.type or "", 500)
        return from_status(
            status, service="anthropic", detail=exc.api_message,
            retry_after=parse_retry_after(exc.response.headers),
        )
    if isinstance(exc, sdk.APITimeoutError):
        return _transient("anthropic", _sentence("Anthropic did not answer in time", None, "trying again"))
    if isinstance(exc, sdk.APIConnectionError):
        return _transient("anthropic", _sentence("Could not connect to Anthropic", _cause(exc), "trying again"))
    if isinstance(exc, sdk.RetryableError):
        return _transient("anthropic", _sentence("The Anthropic client asked for a retry", str(exc), "trying again"))
    if isinstance(exc, sdk.APIResponseValidationError):
        head = f"Anthropic answered ({exc.status_code}) in a shape the SDK does not understand"
        reason = _sentence(head, exc.message)
        return Classification(retryable=False, reason=reason, kind="invalid_reply", status=exc.status_code,
                              service="anthropic")
    return _fatal("anthropic", _sentence("The Anthropic client could not make the request", str(exc)))


def _replicate(exc: BaseException) -> Classification | None:
    sdk = _module("replicate.exceptions")
    if sdk is None:
        return None
    if isinstance(exc, sdk.ModelError):
        prediction = exc.prediction
        head = f"Replicate prediction {prediction.id} ({prediction.model or prediction.version}) {prediction.status}"
        kind: FailureKind = "content_refused" if refused_for_safety(prediction.error) else "internal"
        return _fatal("replicate", _sentence(head, prediction.error or "with no error message"), kind)
    if isinstance(exc, sdk.ReplicateError):
        detail = exc.detail or exc.title
        if exc.status is None:
            # Raised by the SDK itself, not by an HTTP answer; it passes its message as `type`.
            return _fatal("replicate", _sentence("The Replicate client refused the request", detail or exc.type))
        wait = _REPLICATE_WAIT.search(exc.detail or "")
        return from_status(
            exc.status, service="replicate", detail=detail,
            retry_after=float(wait.group(1)) if wait else None,
        )
    if isinstance(exc, sdk.ReplicateException):
        return _fatal("replicate", _sentence("The Replicate client failed", str(exc)))
    return None


def _botocore(exc: BaseException) -> Classification | None:
    sdk = _module("botocore.exceptions")
    if sdk is None or not isinstance(exc, (sdk.BotoCoreError, sdk.ClientError)):
        return None
    if isinstance(exc, sdk.ClientError):
        error = exc.response.get("Error", {})
        metadata = exc.response.get("ResponseMetadata", {})
        code, message = error.get("Code", ""), error.get("Message")
        status = metadata.get("HTTPStatusCode") or 0
        retry_after = parse_retry_after(metadata.get("HTTPHeaders"))
        if code in _BOTO_THROTTLING_CODES:
            status = status if status >= 400 else 429
            return Classification(
                retryable=True, status=status, service="s3", retry_after=retry_after, kind="rate_limited",
                reason=_sentence(f"S3 storage is throttling our requests ({code})", None, _BACK_OFF),
            )
        if code in _BOTO_TRANSIENT_CODES:
            return Classification(
                retryable=True, status=status or None, service="s3", retry_after=retry_after, kind="overloaded",
                reason=_sentence(f"S3 storage had a temporary problem ({code})", message, "trying again"),
            )
        if status:
            detail = f"{code}: {message}" if message else code
            return from_status(status, service="s3", detail=detail, retry_after=retry_after)
        return _fatal("s3", _sentence(f"S3 storage refused {exc.operation_name} ({code})", message))
    if isinstance(exc, (sdk.ReadTimeoutError, sdk.ConnectTimeoutError)):
        return _transient("s3", _sentence("S3 storage did not answer in time", str(exc), "trying again"))
    if isinstance(exc, (sdk.ConnectionError, sdk.HTTPClientError)):
        return _transient("s3", _sentence("Could not connect to S3 storage", str(exc), "trying again"))
    if isinstance(exc, sdk.NoCredentialsError):
        return _fatal("s3", "S3 storage has no credentials: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY.", "auth")
    return _fatal("s3", _sentence("The S3 client could not make the request", str(exc)))


def _httpx(exc: BaseException) -> Classification | None:
    # anthropic 2.x talks through httpx2, replicate through httpx: same classes, two packages.
    for sdk in filter(None, (_module("httpx"), _module("httpx2"))):
        if not isinstance(exc, sdk.HTTPError):
            continue
        host = _host(exc)
        if isinstance(exc, sdk.HTTPStatusError):
            response = exc.response
            return from_status(
                response.status_code, service=None, where=host,
                detail=_short_body(response), retry_after=parse_retry_after(response.headers),
            )
        place = f"the server at {host}" if host else "the remote service"
        if isinstance(exc, sdk.TimeoutException):
            return _transient(None, _sentence(f"{place} did not answer in time", str(exc), "trying again"))
        if isinstance(exc, (sdk.NetworkError, sdk.RemoteProtocolError, sdk.ProxyError)):
            return _transient(None, _sentence(f"Could not connect to {place}", str(exc), "trying again"))
        return _fatal(None, _sentence(f"The request to {place} could not be made", str(exc)))
    return None


def _validation(exc: BaseException) -> Classification | None:
    if not isinstance(exc, pydantic.ValidationError):
        return None
    first = exc.errors()[0] if exc.error_count() else {"loc": (), "msg": "invalid"}
    location = ".".join(str(part) for part in first["loc"]) or "the answer"
    count = exc.error_count()
    problems = f"{count} problem{'s' if count != 1 else ''}"
    head = f"The answer still does not fit the {exc.title} schema after a repair attempt ({problems})"
    # the rule, not the message: messages quote values (names, a family's words), and this is logged
    return _fatal(None, _sentence(head, f"{location}: {first['type']}"), "invalid_reply")


def _wrapped(exc: BaseException) -> Classification | None:
    """tenacity's RetryError carries the exception of the last attempt: judge that one."""
    tenacity = _module("tenacity")
    if tenacity is not None and isinstance(exc, tenacity.RetryError):
        last = exc.last_attempt.exception()
        if last is not None:
            return classify(last)
    return None


def _database(exc: BaseException) -> Classification | None:
    """A dropped or refused database connection is worth another try; a broken query is not."""
    sa = _module("sqlalchemy.exc")
    if sa is None:
        return None
    if isinstance(exc, sa.DisconnectionError) or (
            isinstance(exc, sa.DBAPIError) and (exc.connection_invalidated
                                                or isinstance(exc, (sa.OperationalError, sa.InterfaceError)))):
        return _transient("database", _sentence("The database connection failed", _cause(exc), "trying again"))
    return None


def _builtin(exc: BaseException) -> Classification:
    if isinstance(exc, TimeoutError):  # asyncio.TimeoutError is TimeoutError since 3.11
        return _transient(None, _sentence("The operation timed out", str(exc), "trying again"))
    if isinstance(exc, ConnectionError):
        return _transient(None, _sentence("The connection failed", str(exc), "trying again"))
    if isinstance(exc, asyncio.CancelledError):
        return _fatal(None, "The operation was cancelled.")
    if isinstance(exc, _PROGRAMMING_ERRORS):
        head = f"Bookbug hit an internal error ({type(exc).__name__})"
        return _fatal(None, _sentence(head, str(exc), "this is a bug to report, not a provider problem"))
    if isinstance(exc, OSError) and exc.errno in _TRANSIENT_ERRNOS:
        return _transient(None, _sentence("The network is unreachable", str(exc), "trying again"))
    if exc.__cause__ is not None and exc.__cause__ is not exc:  # a wrapped known failure: judge the cause
        return classify(exc.__cause__)
    return _fatal(None, _sentence(f"Unexpected error ({type(exc).__name__})", str(exc)))


def _transient(service: str | None, reason: str, kind: FailureKind = "timeout") -> Classification:
    return Classification(retryable=True, reason=reason, service=service, kind=kind)


def _fatal(service: str | None, reason: str, kind: FailureKind = "internal") -> Classification:
    return Classification(retryable=False, reason=reason, service=service, kind=kind)


# The words image models use when their safety filter refuses a picture (Replicate passes the
# model's own message through; there is no code for it).
_SAFETY = re.compile(r"\b(nsfw|safety|sensitive|flagged|inappropriate|blocked|content polic)", re.IGNORECASE)


def refused_for_safety(message: str | None) -> bool:
    """A prediction's error message says its safety filter refused the picture."""
    return bool(message and _SAFETY.search(message))


def _cause(exc: BaseException) -> str | None:
    cause = exc.__cause__ or exc.__context__
    return str(cause) if cause is not None else None


def _host(exc: Any) -> str | None:
    try:  # httpx raises RuntimeError when an error was created without a request
        return str(exc.request.url.host) or None
    except (AttributeError, RuntimeError):
        return None


def _short_body(response: Any) -> str | None:
    """The service's own explanation: a JSON error's message when there is one, else the text."""
    try:
        text = response.text
    except Exception:  # a streamed body that was never read: the status alone must do
        return None
    try:
        body = response.json()
    except ValueError:
        return text or None
    if isinstance(body, dict):
        error = body.get("error")
        for candidate in (body.get("detail"), body.get("message"), error, body.get("title")):
            if isinstance(candidate, dict):
                candidate = candidate.get("message")
            if isinstance(candidate, str) and candidate.strip():
                return candidate
    return text or None


_READERS: tuple[Callable[[BaseException], Classification | None], ...] = (
    _ours, _anthropic, _replicate, _botocore, _httpx, _database, _validation, _wrapped,
)
