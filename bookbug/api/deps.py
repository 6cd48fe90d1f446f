"""Who is calling: the user behind the request's token, handed to routes as a dependency.

A request proves who it is with `Authorization: Bearer <token>` (a personal API token, a
session token or, when Clerk is configured, a Clerk session token) or with the web app's
HttpOnly `bookbug_session` cookie, so `<img>` tags and download links in the browser work too
(writes with the cookie must come from this app's own pages: bookbug/edge/origins.py).
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import Depends, Security
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from bookbug.api.errors import Unauthorized
from bookbug.db.accounts import User
from bookbug.providers.auth import get_auth_provider
from bookbug.services.web_session import COOKIE

SESSION_COOKIE = COOKIE  # set by POST /api/auth/session (routes/session.py)

# auto_error=False: a missing credential is our own 401 in our own envelope, not FastAPI's 403.
_bearer = HTTPBearer(auto_error=False, description="A personal API token (`bookbug login`) or a session token.")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="The web app's session cookie.")


async def current_user(
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    cookie: Annotated[str | None, Security(_cookie)],
) -> User:
    token = (bearer.credentials.strip() if bearer else "") or (cookie or "").strip()
    if not token:
        raise Unauthorized("Sign in first: send `Authorization: Bearer <token>` (see `bookbug login`).")
    # The provider reads the database (and may call Clerk): keep it off the event loop.
    user = await asyncio.to_thread(get_auth_provider().authenticate, token)
    if user is None:
        raise Unauthorized("This token is not valid: it is unknown, expired or revoked. Sign in again.")
    return user


CurrentUser = Annotated[User, Depends(current_user)]
