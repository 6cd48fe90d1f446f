"""Who is looking: the session cookie and the signed-in user every page state builds on.

The cookie holds only the session token. The user is resolved from it on the server for each
page load (and again whenever the cookie changes), never taken from anything the browser says
about itself, so a tampered state cannot act as someone else.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from urllib.parse import urlencode

import reflex as rx

from bookbug.db.accounts import User
from bookbug.providers.auth import get_auth_provider
from bookbug.services.accounts import OPERATOR

SESSION_COOKIE = "bookbug_session"
COOKIE_MAX_AGE = int(timedelta(days=30).total_seconds())
LOGIN_ROUTE = "/login"
AUTH_ROUTES = (LOGIN_ROUTE, "/register")  # the sign-in pages: never a place to return to


def authenticate(token: str) -> User | None:
    """The user behind a session token (or None): the auth provider decides, not the page."""
    if not token:
        return None
    return get_auth_provider().authenticate(token)


class SessionState(rx.State):
    """The viewer. Page states subclass it, so every handler can ask for the signed-in user."""

    # secure=False: the embedded app runs on plain http://localhost; lax so <img> and
    # download requests to /api/books/... carry it.
    session_token: str = rx.Cookie("", name=SESSION_COOKIE, max_age=COOKIE_MAX_AGE, same_site="lax",
                                   secure=False)
    viewer_email: str = ""
    viewer_name: str = ""
    viewer_is_operator: bool = False

    _viewer_id: str = ""
    _viewer_token: str = ""  # the token _viewer_id was resolved from

    @rx.var
    def signed_in(self) -> bool:
        return bool(self.viewer_email)

    def _remember(self, user: User | None, token: str) -> None:
        self._viewer_token = token
        self._viewer_id = user.id if user else ""
        self.viewer_email = user.email if user else ""
        self.viewer_name = user.display_name if user else ""
        self.viewer_is_operator = bool(user and user.role == OPERATOR)

    async def _current_user_id(self) -> str:
        """The signed-in user's id, or "" when signed out; re-checked whenever the cookie changed."""
        token = self.session_token or ""
        if token != self._viewer_token or (token and not self._viewer_id):
            user = await asyncio.to_thread(authenticate, token)
            self._remember(user, token)
        return self._viewer_id

    async def _refresh_viewer(self) -> str:
        """Resolve the viewer afresh (a revoked session is signed out on the next page load)."""
        token = self.session_token or ""
        user = await asyncio.to_thread(authenticate, token)
        self._remember(user, token)
        return self._viewer_id

    def _path_id(self) -> str:
        """The id in a /section/<id> URL (the route's [book_id])."""
        parts = [part for part in str(self.router.url.path or "").split("/") if part]
        return parts[1] if len(parts) >= 2 else ""

    def _viewing(self, prefix: str, book_id: str) -> bool:
        """Whether this viewer's latest page is still prefix/book_id (background tasks ask)."""
        return str(self.router.url.path or "").rstrip("/") == f"{prefix}/{book_id}"

    @rx.event
    async def load_viewer(self) -> None:
        await self._refresh_viewer()

    def _to_login(self) -> rx.event.EventSpec:
        """To the sign-in page, which brings the viewer back here afterwards."""
        here = (str(self.router.url.path or "").rstrip("/") or "/") if self.router else "/"
        query = str(self.router.url.query or "") if self.router else ""
        target = here + (f"?{query}" if query else "")
        if safe_next(target, "") in ("", "/"):
            return rx.redirect(LOGIN_ROUTE)
        return rx.redirect(f"{LOGIN_ROUTE}?{urlencode({'next': target})}")

    def _after_sign_in(self, home: str) -> str:
        """The page the sign-in page was asked to return to (`?next=`), else `home`."""
        wanted = self.router.url.query_parameters.get("next") if self.router else None
        return safe_next(wanted, home)


def safe_next(target: str | None, fallback: str) -> str:
    """Where to go after signing in: a path on this site, never another site (`//host`, `/\\host`)
    nor back to the sign-in pages."""
    target = (target or "").strip()
    path = target.split("?", 1)[0].rstrip("/")
    if not target.startswith("/") or target.startswith(("//", "/\\")) or any(c in target for c in "\r\n\\"):
        return fallback
    if path in AUTH_ROUTES:
        return fallback
    return target
