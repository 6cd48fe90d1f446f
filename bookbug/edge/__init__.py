"""What every request to Bookbug passes through before any page, socket or API route sees it.

Outermost first: CORS for this app's origins only; security headers on every answer; the
request-size limit; the cross-site write guard; and, for the web app's socket, the session
cookie swapped for the session's key. `protect` installs them on the FastAPI app, which the
Reflex app (pages, socket) is mounted inside, so one set covers every door.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from bookbug.edge.body_limit import BodyLimit
from bookbug.edge.headers import SecurityHeaders
from bookbug.edge.origins import CrossSiteWriteGuard
from bookbug.edge.socket_session import SocketSessionKey
from bookbug.settings import Settings

__all__ = ["protect"]


def protect(api: FastAPI, settings: Settings) -> None:
    # add_middleware puts each one outside the ones added before it: innermost first
    api.add_middleware(SocketSessionKey)
    api.add_middleware(CrossSiteWriteGuard, origins=settings.origins)
    api.add_middleware(BodyLimit, limit=settings.max_request_bytes)
    api.add_middleware(SecurityHeaders, settings=settings)
    api.add_middleware(CORSMiddleware, allow_origins=settings.origins, allow_credentials=True,
                       allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
                       allow_headers=["Authorization", "Content-Type", "Last-Event-ID"],
                       expose_headers=["Retry-After", "Location"])
