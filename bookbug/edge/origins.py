"""Only this app's own pages may use the session cookie to change anything.

Browsers attach the session cookie to any request aimed at this site, whichever site's page
made it; a form on another site could then cancel a book. So a request that may change
something (any method but GET, HEAD and OPTIONS), or a websocket handshake, is refused when
its Origin (or, lacking one, its Referer) is not one of the app's origins (settings.origins:
APP_URL and ALLOWED_ORIGINS). A request carrying the session cookie but neither header is
refused too: browsers send Origin with every cross-site POST, so only a non-browser client
would, and it can use a bearer token. Bearer-token requests are not ambient (no page can add
the header to another site's request without CORS allowing it), so they pass unchanged.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

from bookbug.services.web_session import COOKIE, cookie_value
from bookbug.settings import origin_of

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REFUSAL = "Requests from other sites cannot change anything here."


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def _origin(value: str) -> str | None:
    try:
        return origin_of(value)
    except ValueError:
        return None  # "null" (sandboxed or file pages) and garbage belong to no allowed site


class CrossSiteWriteGuard:
    def __init__(self, app: ASGIApp, *, origins: list[str]) -> None:
        self.app = app
        self.origins = frozenset(origins)

    def allowed(self, scope: Scope) -> bool:
        if _header(scope, b"authorization").lower().startswith("bearer "):
            return True
        claimed = _header(scope, b"origin") or _header(scope, b"referer")
        if claimed:
            return _origin(claimed) in self.origins
        # no Origin and no Referer: a browser never sends a cross-site write like that
        return not cookie_value(_header(scope, b"cookie"), COOKIE)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS and not self.allowed(scope):
            await _forbidden(send)
            return
        if scope["type"] == "websocket" and not self.allowed(scope):
            await send({"type": "websocket.close", "code": 4403, "reason": REFUSAL})
            return
        await self.app(scope, receive, send)


async def _forbidden(send: Send) -> None:
    body = json.dumps({"error": {"code": "cross_site", "message": REFUSAL, "field": None}}).encode()
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
