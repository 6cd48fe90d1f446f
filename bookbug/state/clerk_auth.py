"""Signing in with Clerk: the browser reports Clerk's session, the server verifies it.

Clerk's session token lives about a minute, so it is not what the cookie keeps: once the token
is verified (`ClerkAuth.user_for_clerk_token`, networkless), the browser collects a Bookbug
session cookie with a one-time ticket (state/browser.py), exactly as after a local sign-in,
and page loads, images and downloads use that. Each page load reports a fresh Clerk token
again; Clerk reporting no session ends the Bookbug one (and clears its cookie), so signing out
at Clerk (or in another tab) signs this browser out on its next page.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import reflex as rx

from bookbug.services.accounts.sessions import end_session
from bookbug.services.accounts.tickets import issue_ticket
from bookbug.services.web_session import AUTH_ROUTES, HOME_AFTER_SIGN_IN
from bookbug.settings import get_settings
from bookbug.state.browser import SESSION_ROUTE, SIGN_OUT_ROUTE, post_to
from bookbug.state.session import SessionState, forget, public

MAX_TOKEN_LENGTH = 8192  # Clerk session tokens are about 1 KB; anything huge is not one
# A browser that did not keep the cookie (say, a Secure one over plain http) would otherwise
# collect a new one on every page load, for ever.
COLLECT_AGAIN_AFTER = 30.0
NOT_VERIFIED = ("Clerk signed you in, but this server could not confirm it. Sign out below and try again; "
                "if it keeps happening, the site's Clerk settings need checking.")
NOT_KEPT = ("Clerk signed you in, but this browser did not keep Bookbug's session cookie. Check that "
            "cookies are allowed for this site (and that it is opened at its https:// address).")

__all__ = ["ClerkAuthState", "HOME_AFTER_SIGN_IN"]


class ClerkAuthState(SessionState):
    clerk_error: str = ""

    _collected_at: float = 0.0  # when this tab last went to collect a session cookie

    def _on_auth_page(self) -> bool:
        return str(self.router.url.path or "").rstrip("/") in AUTH_ROUTES

    def _here(self) -> str:
        path = str(self.router.url.path or "/")
        query = str(self.router.url.query or "")
        return path + (f"?{query}" if query else "")

    @public
    @rx.event
    async def clerk_session(self, token: Any) -> Any:
        if not get_settings().clerk_enabled:
            return None
        token = token.strip() if isinstance(token, str) else ""
        if not token:
            return await self._clerk_signed_out()
        if len(token) > MAX_TOKEN_LENGTH:
            self.clerk_error = NOT_VERIFIED
            return None
        from bookbug.providers.auth.clerk import ClerkAuth  # the SDK is imported only with Clerk on

        user = await asyncio.to_thread(ClerkAuth().user_for_clerk_token, token)
        if user is None:
            self.clerk_error = NOT_VERIFIED
            return None
        self.clerk_error = ""
        if await self._current_user_id() == user.id:
            return rx.redirect(self._after_sign_in(HOME_AFTER_SIGN_IN)) if self._on_auth_page() else None
        if time.monotonic() - self._collected_at < COLLECT_AGAIN_AFTER:
            self.clerk_error = NOT_KEPT
            return None
        key = self._session_key()
        if key:  # someone else's session in this browser: end it first
            await asyncio.to_thread(end_session, key)
            forget(key)
        self._collected_at = time.monotonic()
        ticket = await asyncio.to_thread(issue_ticket, user.id)
        target = self._after_sign_in(HOME_AFTER_SIGN_IN) if self._on_auth_page() else self._here()
        return post_to(SESSION_ROUTE, {"ticket": ticket, "next": target})

    async def _clerk_signed_out(self) -> Any:
        self.clerk_error = ""
        key = self._session_key()
        if not key:
            return None
        await asyncio.to_thread(end_session, key)
        forget(key)
        self._session_root().reset()
        return post_to(SIGN_OUT_ROUTE, {"next": self._here() if self._on_auth_page() else "/"})
