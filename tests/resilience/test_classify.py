"""classify() over real SDK exceptions: retry or stop, how long to wait, and why in words."""

from __future__ import annotations

import asyncio
import errno
import json
import socket
from collections.abc import Callable
from dataclasses import dataclass

import anthropic
import botocore.exceptions
import httpx
import httpx2
import pydantic
import pytest
import replicate
from replicate.exceptions import ReplicateError

from bookbug.resilience import Classification, FatalError, RetryableError, classify
from tests.resilience import sdk_errors as sdk


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], BaseException]
    retryable: bool
    status: int | None = None
    retry_after: float | None = None
    says: str = ""  # a fragment the reason must contain (case-insensitive)
    kind: type[BaseException] | None = None  # the SDK class the real constructor picked


def _chained(outer: Exception, cause: Exception) -> Exception:
    try:
        try:
            raise cause
        except Exception as err:
            raise outer from err
    except Exception as exc:
        return exc


class _Page(pydantic.BaseModel):
    number: int
    text: str


def _validation_error() -> pydantic.ValidationError:
    try:
        _Page.model_validate({"number": "seven", "text": "Once upon a time"})
    except pydantic.ValidationError as exc:
        return exc
    raise AssertionError("validation passed")


A = sdk.anthropic_status
R = sdk.replicate_status
S3 = sdk.boto_client_error
BOTO = botocore.exceptions
THROTTLED = "Request was throttled. Expected available in 6 seconds."


def _httpx_request(module: object = httpx) -> object:
    return module.Request("GET", "http://files.test/")  # type: ignore[attr-defined]


ANTHROPIC_CASES = [
    Case("anthropic 429 retry-after seconds",
         lambda: A(429, error_type="rate_limit_error", headers={"retry-after": "7"}),
         True, 429, 7.0, "rate limiting", anthropic.RateLimitError),
    Case("anthropic 429 retry-after-ms", lambda: A(429, headers={"retry-after-ms": "1500", "retry-after": "2"}),
         True, 429, 1.5, "waiting 1.5 s", anthropic.RateLimitError),
    Case("anthropic 429 without header", lambda: A(429),
         True, 429, None, "backing off", anthropic.RateLimitError),
    Case("anthropic 529 overloaded", lambda: A(529, "Overloaded", error_type="overloaded_error"),
         True, 529, None, "overloaded", anthropic.OverloadedError),
    Case("anthropic 500", lambda: A(500), True, 500, None, "server error", anthropic.InternalServerError),
    Case("anthropic 502 (no class of its own)", lambda: A(502),
         True, 502, None, "server error", anthropic.InternalServerError),
    Case("anthropic 503", lambda: A(503, headers={"retry-after": "4"}),
         True, 503, 4.0, "(503)", anthropic.ServiceUnavailableError),
    Case("anthropic 408", lambda: A(408), True, 408, None, "timed out", anthropic.RequestTimeoutError),
    Case("anthropic 409", lambda: A(409), True, 409, None, "conflict", anthropic.ConflictError),
    Case("anthropic 401", lambda: A(401, "invalid x-api-key", error_type="authentication_error"),
         False, 401, None, "Anthropic rejected the API key (401): check ANTHROPIC_API_KEY.",
         anthropic.AuthenticationError),
    Case("anthropic 403", lambda: A(403, "Your API key does not have permission", error_type="permission_error"),
         False, 403, None, "does not have permission", anthropic.PermissionDeniedError),
    Case("anthropic 400 (its retry-after is ignored)",
         lambda: A(400, "max_tokens: must be greater than 0", error_type="invalid_request_error",
                   headers={"retry-after": "9"}),
         False, 400, None, "max_tokens: must be greater than 0", anthropic.BadRequestError),
    Case("anthropic 404", lambda: A(404, "model: claude-nope", error_type="not_found_error"),
         False, 404, None, "check ANTHROPIC_MODEL", anthropic.NotFoundError),
    Case("anthropic 422", lambda: A(422), False, 422, None, "(422)", anthropic.UnprocessableEntityError),
    Case("anthropic 418 plain APIStatusError", lambda: A(418), False, 418, None, "(418)", anthropic.APIStatusError),
    Case("anthropic timeout", sdk.anthropic_timeout,
         True, None, None, "did not answer in time", anthropic.APITimeoutError),
    Case("anthropic connection refused", sdk.anthropic_connection,
         True, None, None, "connection refused", anthropic.APIConnectionError),
]

REPLICATE_CASES = [
    Case("replicate 429 throttled", lambda: R(429, {"detail": THROTTLED, "status": 429}),
         True, 429, 6.0, "waiting 6 s", ReplicateError),
    Case("replicate 401",
         lambda: R(401, {"title": "Unauthenticated", "detail": "You did not pass a valid authentication token"}),
         False, 401, None, "check REPLICATE_API_TOKEN", ReplicateError),
    Case("replicate 422 invalid input",
         lambda: R(422, {"title": "Input validation failed", "detail": "- input.aspect_ratio: must be one of 1:1"}),
         False, 422, None, "input.aspect_ratio", ReplicateError),
    Case("replicate 404 model", lambda: R(404, {"title": "Not found", "detail": "The requested resource could not be found."}),
         False, 404, None, "could not find", ReplicateError),
    Case("replicate 502 without a body", lambda: R(502, {}), True, 502, None, "server error", ReplicateError),
    Case("replicate failed prediction", sdk.replicate_model_error,
         False, None, None, "NSFW content detected", replicate.exceptions.ModelError),
    Case("replicate client-side refusal", lambda: ReplicateError("Model does not support streaming"),
         False, None, None, "does not support streaming", ReplicateError),
]

HTTP_CASES = [  # httpx (under replicate) and httpx2 (under anthropic)
    Case("httpx connect timeout", lambda: httpx.ConnectTimeout("timed out", request=_httpx_request()),
         True, None, None, "the server at files.test did not answer in time", httpx.ConnectTimeout),
    Case("httpx connection refused", lambda: httpx.ConnectError("Connection refused", request=_httpx_request()),
         True, None, None, "could not connect to the server at files.test", httpx.ConnectError),
    Case("httpx server disconnected", lambda: httpx.RemoteProtocolError("Server disconnected", request=_httpx_request()),
         True, None, None, "server disconnected", httpx.RemoteProtocolError),
    Case("httpx2 read timeout", lambda: httpx2.ReadTimeout("timed out", request=_httpx_request(httpx2)),
         True, None, None, "did not answer in time", httpx2.ReadTimeout),
    Case("httpx 503 with retry-after", lambda: sdk.httpx_status(503, headers={"Retry-After": "3"}),
         True, 503, 3.0, "the server at files.test had a server error", httpx.HTTPStatusError),
    Case("httpx 400 with a JSON message", lambda: sdk.httpx_status(400, b'{"error": {"message": "bad image size"}}'),
         False, 400, None, "bad image size", httpx.HTTPStatusError),
    Case("httpx bad scheme", lambda: httpx.UnsupportedProtocol("Request URL has an unsupported protocol 'ftp://'."),
         False, None, None, "unsupported protocol", httpx.UnsupportedProtocol),
]

S3_CASES = [  # botocore, for S3 and R2
    Case("s3 SlowDown 503", lambda: S3("SlowDown", 503, "Please reduce your request rate."),
         True, 503, None, "throttling", BOTO.ClientError),
    Case("s3 throttling on a 400", lambda: S3("ThrottlingException", 400, "Rate exceeded", {"retry-after": "2"}),
         True, 400, 2.0, "throttling", BOTO.ClientError),
    Case("s3 InternalError 500", lambda: S3("InternalError", 500, "We encountered an internal error."),
         True, 500, None, "temporary problem", BOTO.ClientError),
    Case("s3 AccessDenied 403", lambda: S3("AccessDenied", 403, "Access Denied"),
         False, 403, None, "S3_ACCESS_KEY_ID", BOTO.ClientError),
    Case("s3 InvalidAccessKeyId 403",
         lambda: S3("InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist"),
         False, 403, None, "InvalidAccessKeyId", BOTO.ClientError),
    Case("s3 NoSuchBucket 404", lambda: S3("NoSuchBucket", 404, "The specified bucket does not exist"),
         False, 404, None, "NoSuchBucket: The specified bucket does not exist; check S3_BUCKET", BOTO.ClientError),
    Case("s3 endpoint unreachable", lambda: BOTO.EndpointConnectionError(endpoint_url="http://s3.test/books"),
         True, None, None, "could not connect to s3 storage", BOTO.EndpointConnectionError),
    Case("s3 read timeout", lambda: BOTO.ReadTimeoutError(endpoint_url="http://s3.test/books"),
         True, None, None, "did not answer in time", BOTO.ReadTimeoutError),
    Case("s3 connect timeout", lambda: BOTO.ConnectTimeoutError(endpoint_url="http://s3.test/books"),
         True, None, None, "did not answer in time", BOTO.ConnectTimeoutError),
    Case("s3 no credentials", BOTO.NoCredentialsError,
         False, None, None, "S3_SECRET_ACCESS_KEY", BOTO.NoCredentialsError),
]

PYTHON_CASES = [  # the standard library and pydantic
    Case("builtin TimeoutError", lambda: TimeoutError("read timed out"), True, None, None, "timed out", TimeoutError),
    Case("asyncio.TimeoutError", asyncio.TimeoutError, True, None, None, "timed out", asyncio.TimeoutError),
    Case("connection reset", lambda: ConnectionResetError(104, "Connection reset by peer"),
         True, None, None, "connection reset by peer", ConnectionResetError),
    Case("network unreachable", lambda: OSError(errno.ENETUNREACH, "Network is unreachable"),
         True, None, None, "network is unreachable", OSError),
    Case("DNS temporarily failing", lambda: socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution"),
         True, None, None, "temporary failure in name resolution", socket.gaierror),
    Case("a missing file is not a network problem", lambda: FileNotFoundError(2, "No such file or directory"),
         False, None, None, "unexpected error (FileNotFoundError)", FileNotFoundError),
    Case("schema still invalid after repair", _validation_error,
         False, None, None, "_Page schema", pydantic.ValidationError),
    Case("TypeError is a bug", lambda: TypeError("unsupported operand"),
         False, None, None, "internal error (TypeError)", TypeError),
    Case("KeyError is a bug", lambda: KeyError("pages"), False, None, None, "internal error (KeyError)", KeyError),
    Case("cancelled", asyncio.CancelledError, False, None, None, "cancelled", asyncio.CancelledError),
    Case("unknown error", lambda: RuntimeError("the printer is on fire"),
         False, None, None, "printer is on fire", RuntimeError),
    Case("wrapped connection failure",
         lambda: _chained(RuntimeError("illustrate page 3"), httpx.ConnectError("Connection refused")),
         True, None, None, "connection refused", RuntimeError),
]

OUR_CASES = [
    Case("our RetryableError", lambda: RetryableError("Replicate prediction is still starting", retry_after=2.5),
         True, None, 2.5, "still starting", RetryableError),
    Case("our multi-line message",
         lambda: RetryableError("replicate answered 503:\n  <html>busy</html>\n", service="replicate", status=503),
         True, 503, None, "Replicate answered 503: <html>busy</html>.", RetryableError),
    Case("our FatalError", lambda: FatalError("The story brief has no title", service="anthropic"),
         False, None, None, "no title", FatalError),
]

CASES = ANTHROPIC_CASES + REPLICATE_CASES + HTTP_CASES + S3_CASES + PYTHON_CASES + OUR_CASES


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_classification_of_real_sdk_exceptions(case: Case) -> None:
    exc = case.build()
    if case.kind is not None:
        assert type(exc) is case.kind, f"the SDK built a {type(exc).__name__}"

    result = classify(exc)

    assert isinstance(result, Classification)
    assert result.retryable is case.retryable, result.reason
    assert result.status == case.status
    assert result.retry_after == case.retry_after
    assert case.says.lower() in result.reason.lower(), result.reason
    _assert_readable_sentence(result.reason)


def _assert_readable_sentence(reason: str) -> None:
    assert reason[:1].isupper(), reason
    assert reason.endswith("."), reason
    assert "\n" not in reason and "Traceback" not in reason, reason
    assert 15 <= len(reason) <= 320, reason
    assert "{'" not in reason, f"a raw body leaked into: {reason}"


def test_provider_errors_name_their_service() -> None:
    assert classify(sdk.anthropic_status(500)).service == "anthropic"
    assert classify(sdk.replicate_status(503, {})).service == "replicate"
    assert classify(sdk.boto_client_error("SlowDown", 503)).service == "s3"
    assert classify(FatalError("no", service="replicate")).service == "replicate"


def test_a_fatal_status_ignores_any_retry_after() -> None:
    result = classify(R(403, {"detail": "forbidden"}, headers={"Retry-After": "30"}))
    assert (result.retryable, result.retry_after) == (False, None)


def test_a_long_service_message_is_shortened() -> None:
    result = classify(sdk.anthropic_status(400, "x" * 5000, error_type="invalid_request_error"))
    assert len(result.reason) < 320 and result.reason.endswith("x...")


def test_tenacity_retry_error_is_judged_by_its_last_attempt() -> None:
    from tenacity import Future, RetryError

    last = Future(attempt_number=3)
    last.set_exception(sdk.anthropic_status(529))
    assert classify(RetryError(last)).retryable is True


def test_our_retryable_error_rejects_a_negative_wait() -> None:
    with pytest.raises(ValueError, match="retry_after"):
        RetryableError("soon", retry_after=-1)


HELLO = [{"role": "user", "content": "hi"}]


def _anthropic_client(answer: Callable[[httpx2.Request], httpx2.Response]) -> anthropic.Anthropic:
    """The real client on an in-process transport, with the SDK's own retries off."""
    return anthropic.Anthropic(api_key="test-key", base_url="http://anthropic.test", max_retries=0,
                               http_client=httpx2.Client(transport=httpx2.MockTransport(answer)))


def _replicate_client(answer: Callable[[httpx.Request], httpx.Response]) -> replicate.Client:
    return replicate.Client(api_token="test-token", base_url="http://replicate.test",
                            transport=httpx.MockTransport(answer))


def test_anthropic_client_429_through_the_real_sdk() -> None:
    """The SDK's own request path (max_retries=0) raises what classify reads."""

    def answer(request: httpx2.Request) -> httpx2.Response:
        body = {"type": "error", "error": {"type": "rate_limit_error", "message": "slow down"}}
        return httpx2.Response(429, headers={"retry-after": "3"}, json=body)

    with pytest.raises(anthropic.RateLimitError) as raised:
        _anthropic_client(answer).messages.create(model="claude-test", max_tokens=5, messages=HELLO)

    result = classify(raised.value)
    assert (result.retryable, result.status, result.retry_after, result.service) == (True, 429, 3.0, "anthropic")


def test_replicate_failed_prediction_through_the_real_sdk() -> None:
    """replicate.run raises ModelError for a prediction that failed: fatal, with its error."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(201, json=sdk.prediction_json(error="CUDA out of memory"))

    with pytest.raises(replicate.exceptions.ModelError) as raised:
        _replicate_client(answer).run("google/imagen-4", input={"prompt": "a fox"})

    result = classify(raised.value)
    assert result.retryable is False and "CUDA out of memory" in result.reason
    assert "p4b1x" in result.reason


def test_replicate_throttling_through_the_real_sdk() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, json={"detail": "Request was throttled. Expected available in 1 second."})

    with pytest.raises(ReplicateError) as raised:
        _replicate_client(answer).predictions.create(model="google/imagen-4", input={"prompt": "a fox"})

    result = classify(raised.value)
    assert (result.retryable, result.status, result.retry_after) == (True, 429, 1.0)


@pytest.mark.parametrize(
    ("error_type", "retryable", "status"),
    [("overloaded_error", True, 529), ("rate_limit_error", True, 429), ("api_error", True, 500),
     ("invalid_request_error", False, 400), ("something_new_error", True, 500)],
)
def test_anthropic_error_inside_a_stream_is_judged_by_its_type(error_type: str, retryable: bool, status: int) -> None:
    """Mid-stream errors arrive on a 200 response: the body's error type stands in for the status."""
    event = json.dumps({"type": "error", "error": {"type": error_type, "message": "Overloaded"}})

    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, headers={"content-type": "text/event-stream"},
                               content=f"event: error\ndata: {event}\n\n".encode())

    with pytest.raises(anthropic.APIStatusError) as raised:
        for _ in _anthropic_client(answer).messages.create(model="claude-test", max_tokens=5, messages=HELLO,
                                                           stream=True):
            pass

    assert raised.value.status_code == 200
    result = classify(raised.value)
    assert (result.retryable, result.status) == (retryable, status), result.reason
