"""Signing in with Clerk: the browser reports Clerk's session, the server verifies it.

Clerk's session token lives about a minute, so it is not what the cookie keeps: once the token
is verified (`ClerkAuth.user_for_clerk_token`, networkless), a Bookbug browser session is
opened, exactly as a local sign-in would, and page loads, images and downloads use that. Each
page load reports a fresh Clerk token again; Clerk reporting no session ends the Bookbug one,
so signing out at Clerk (or in another tab) signs this browser out on its next page.
"""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from bookbug.services import accounts
from bookbug.settings import get_settings
from bookbug.state.session import AUTH_ROUTES, SessionState

HOME_AFTER_SIGN_IN = "/books"
MAX_TOKEN_LENGTH = 8192  # Clerk session tokens are about 1 KB; anything huge is not one
NOT_VERIFIED = ("Clerk signed you in, but this server could not confirm it. Sign out below and try again; "
                "if it keeps happening, the site's Clerk settings need checking.")


class ClerkAuthState(SessionState):
    clerk_error: str = ""

    def _on_auth_page(self) -> bool:
        return str(self.router.url.path or "").rstrip("/") in AUTH_ROUTES

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
        if await self._current_user_id() != user.id:
            if self.session_token:  # someone else's session in this browser: end it first
                await asyncio.to_thread(accounts.sign_out, self.session_token)
            agent = self.router.headers.user_agent if self.router else ""
            signed = await asyncio.to_thread(accounts.open_session, user.id, user_agent=agent)
            self.session_token = signed.token
            self._remember(signed.user, signed.token)
        return rx.redirect(self._after_sign_in(HOME_AFTER_SIGN_IN)) if self._on_auth_page() else None

    async def _clerk_signed_out(self) -> Any:
        self.clerk_error = ""
        if not self.session_token:
            return None
        await asyncio.to_thread(accounts.sign_out, self.session_token)
        self.session_token = ""
        self._remember(None, "")
        return None if self._on_auth_page() else rx.redirect("/")
