"""Every refusal the API gives, as one JSON shape: `{"error": {"code", "message", "field"}}`.

Service errors (`ServiceError`), account errors (`AccountError`), request validation and plain
HTTP errors all end up here, so a client (the CLI, the web app, a third party) reads one
envelope and can show `message` to a person as it is.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from bookbug.errors import AccountError, OverCap, ServiceError, Throttled, Unsuitable
from bookbug.services.accounts.errors import EmailTaken, TokenNotFound, TooManyAttempts, UserNotFound, WrongCredentials

log = logging.getLogger("bookbug.api")

# Where in a request a validation error was found; the field is what comes after it.
_LOCATIONS = {"body", "query", "path", "header", "cookie"}

_HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 413: "too_large",
    415: "unsupported_media_type", 422: "invalid_input", 429: "throttled",
}

# Account errors a person can fix by changing one input are 422; these ones are not.
_ACCOUNT_STATUS: dict[type[AccountError], tuple[int, str]] = {
    WrongCredentials: (401, "wrong_credentials"),
    EmailTaken: (409, "email_taken"),
    TokenNotFound: (404, "not_found"),
    UserNotFound: (404, "not_found"),
    TooManyAttempts: (429, "throttled"),
}


class Unauthorized(ServiceError):
    code = "unauthorized"
    status = 401


def envelope(status: int, code: str, message: str, field: str | None = None,
             headers: dict[str, str] | None = None, **more: Any) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message, "field": field, **more}
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _retry_after(seconds: float) -> str:
    # Retry-After is whole seconds; rounding down would invite a retry that fails again
    return str(max(1, math.ceil(seconds)))


async def service_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    headers: dict[str, str] = {}
    if isinstance(exc, Throttled):
        headers["Retry-After"] = _retry_after(exc.retry_after)
    if isinstance(exc, OverCap) and exc.retry_after is not None:
        headers["Retry-After"] = _retry_after(exc.retry_after)
    if isinstance(exc, Unauthorized):
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, Unsuitable):  # what was declined, and close ideas a client can offer as chips
        return envelope(exc.status, exc.code, exc.message, exc.field, headers or None, concern=exc.concern,
                        suggestions=exc.suggestions)
    return envelope(exc.status, exc.code, exc.message, exc.field, headers or None)


async def account_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AccountError)
    status, code = _ACCOUNT_STATUS.get(type(exc), (422, "invalid_input"))
    headers = {"Retry-After": _retry_after(exc.retry_after)} if isinstance(exc, TooManyAttempts) else None
    return envelope(status, code, exc.message, exc.field, headers)


def _field_of(location: tuple[Any, ...]) -> str | None:
    parts = [str(part) for part in location if str(part) not in _LOCATIONS]
    return ".".join(parts) or None


async def validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {}
    field = _field_of(tuple(first.get("loc", ())))
    message = str(first.get("msg", "The request is not valid."))
    if field:
        message = f"{field}: {message}"
    if first.get("type") == "json_invalid":
        field, message = None, "The request body is not valid JSON."
    return envelope(422, "invalid_input", message, field)


async def http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "error")
    detail = exc.detail if isinstance(exc.detail, str) else "The request could not be served."
    if exc.status_code == 404 and detail == "Not Found":
        detail = "There is no such endpoint; see /api/docs."
    return envelope(exc.status_code, code, detail, headers=getattr(exc, "headers", None))


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # The details go to the log, never to the client: they may name files, queries or keys.
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return envelope(500, "internal", "Something went wrong on our side; please try again.")


def install(api: FastAPI) -> None:
    api.add_exception_handler(ServiceError, service_error)
    api.add_exception_handler(AccountError, account_error)
    api.add_exception_handler(RequestValidationError, validation_error)
    api.add_exception_handler(StarletteHTTPException, http_error)
    api.add_exception_handler(Exception, unexpected_error)
