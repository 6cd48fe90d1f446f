"""The web app's socket gets the session's key, never the session cookie itself.

Reflex stores each connection's request headers in the tab's state, which lives in the state
manager (Redis in production) and is pickled with it. So before Reflex sees a websocket
handshake, the `bookbug_session` cookie is taken out of its Cookie header and replaced by a
header holding the session's key (see services/web_session.py). A client-sent header of that
name is dropped first: the key is only ever derived here, from the cookie.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from bookbug.providers.auth.sessions import session_key
from bookbug.services.web_session import COOKIE, KEY_HEADER, cookie_value

_KEY = KEY_HEADER.encode("latin-1")


def _without_session_cookie(cookie_header: str) -> str:
    kept = [part.strip() for part in cookie_header.split(";")
            if part.strip() and part.strip().partition("=")[0].strip() != COOKIE]
    return "; ".join(kept)


class SocketSessionKey:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope = {**scope, "headers": self.rewrite(scope.get("headers") or [])}
        await self.app(scope, receive, send)

    @staticmethod
    def rewrite(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        token = ""
        kept: list[tuple[bytes, bytes]] = []
        for name, value in headers:
            lowered = name.lower()
            if lowered == _KEY:
                continue  # only this edge names the session key
            if lowered == b"cookie":
                text = value.decode("latin-1")
                token = token or cookie_value(text)
                rest = _without_session_cookie(text)
                if rest:
                    kept.append((name, rest.encode("latin-1")))
                continue
            kept.append((name, value))
        if token:
            kept.append((_KEY, session_key(token).encode("latin-1")))
        return kept
