"""Build provider exceptions exactly the way their SDKs do (no hand-set attributes).

anthropic: `make_status_error` is what the client's `_make_status_error_from_response` calls
with the parsed body and the real httpx2 response. replicate: `ReplicateError.from_response`
and `ModelError(prediction)`, as `replicate.client._raise_for_status` and `replicate.run` do.
botocore: `ClientError(parsed_response, operation_name)`, as the client raises it.
"""

from __future__ import annotations

import json
from typing import Any

import anthropic
import botocore.exceptions
import httpx
import httpx2
from anthropic._error_classes import make_status_error
from replicate.exceptions import ModelError, ReplicateError
from replicate.prediction import Prediction

ANTHROPIC_URL = "http://anthropic.test/v1/messages"
REPLICATE_URL = "http://replicate.test/v1/predictions"


def anthropic_status(status: int, message: str = "something went wrong", *, error_type: str = "api_error",
                     headers: dict[str, str] | None = None) -> anthropic.APIStatusError:
    request = httpx2.Request("POST", ANTHROPIC_URL)
    body = {"type": "error", "error": {"type": error_type, "message": message}}
    response = httpx2.Response(status, headers=headers or {}, json=body, request=request)
    return make_status_error(f"Error code: {status} - {body}", body=body, response=response)


def anthropic_timeout() -> anthropic.APITimeoutError:
    request = httpx2.Request("POST", ANTHROPIC_URL)
    try:
        try:
            raise httpx2.ReadTimeout("timed out", request=request)
        except httpx2.TimeoutException as err:
            raise anthropic.APITimeoutError(request=request) from err
    except anthropic.APITimeoutError as exc:
        return exc


def anthropic_connection() -> anthropic.APIConnectionError:
    request = httpx2.Request("POST", ANTHROPIC_URL)
    try:
        try:
            raise httpx2.ConnectError("[Errno 111] Connection refused", request=request)
        except httpx2.ConnectError as err:
            raise anthropic.APIConnectionError(request=request) from err
    except anthropic.APIConnectionError as exc:
        return exc


def replicate_status(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> ReplicateError:
    response = httpx.Response(
        status, headers=headers or {}, content=json.dumps(body).encode(),
        request=httpx.Request("POST", REPLICATE_URL),
    )
    return ReplicateError.from_response(response)


def prediction_json(status: str = "failed", error: str | None = "NSFW content detected in the output") -> dict[str, Any]:
    """A prediction as Replicate's API returns it."""
    return {
        "id": "p4b1x", "model": "google/imagen-4", "version": "v1", "status": status,
        "input": {"prompt": "a fox"}, "output": None, "logs": "", "error": error, "metrics": None,
        "created_at": None, "started_at": None, "completed_at": None, "urls": None,
    }


def prediction(status: str = "failed", error: str | None = "NSFW content detected in the output") -> Prediction:
    return Prediction(**prediction_json(status, error))


def replicate_model_error() -> ModelError:
    return ModelError(prediction())


def boto_client_error(code: str, status: int, message: str = "", headers: dict[str, str] | None = None,
                      operation: str = "PutObject") -> botocore.exceptions.ClientError:
    parsed = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"RequestId": "R1", "HTTPStatusCode": status, "HTTPHeaders": headers or {}, "RetryAttempts": 0},
    }
    return botocore.exceptions.ClientError(parsed, operation)


def httpx_status(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> httpx.HTTPStatusError:
    request = httpx.Request("GET", "http://files.test/page-1.png")
    response = httpx.Response(status, headers=headers or {}, content=body, request=request)
    try:
        response.raise_for_status()
    except httpx.HTTPStatusError as exc:
        return exc
    raise AssertionError(f"{status} did not raise")
