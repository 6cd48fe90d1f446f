"""Register, sign in and sign out with local accounts."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode
from typing import Any

import reflex as rx

from bookbug.services import accounts
from bookbug.settings import get_settings
from bookbug.state.clerk_auth import HOME_AFTER_SIGN_IN
from bookbug.state.session import SessionState, safe_next

CLERK_HANDLES_ACCOUNTS = "This site signs people in with Clerk: use the sign-in form above."


class AuthState(SessionState):
    """The sign-in and registration forms: one error line each, naming what to fix."""

    form_error: str = ""
    error_field: str = ""
    busy: bool = False

    @rx.var
    def next_query(self) -> str:
        """`?next=...` to carry between the sign-in and registration pages ("" when none)."""
        wanted = self.router.url.query_parameters.get("next") if self.router else None
        target = safe_next(wanted, "")
        return f"?{urlencode({'next': target})}" if target else ""

    def _reset_error(self) -> None:
        self.form_error = ""
        self.error_field = ""

    @rx.event
    def clear_error(self) -> None:
        self._reset_error()

    def _fail(self, error: accounts.AccountError) -> None:
        self.form_error = error.message
        self.error_field = error.field or ""

    async def _open_session(self, email: str, password: str) -> Any:
        if get_settings().clerk_enabled:  # no password accounts beside Clerk's
            self.form_error, self.error_field = CLERK_HANDLES_ACCOUNTS, ""
            return None
        agent = self.router.headers.user_agent if self.router else ""
        client = self.router.session.client_ip if self.router else ""  # shares the REST door's per-address limit
        signed = await asyncio.to_thread(accounts.sign_in, email, password, user_agent=agent, client=client)
        self.session_token = signed.token
        self._remember(signed.user, signed.token)
        self._reset_error()
        return rx.redirect(self._after_sign_in(HOME_AFTER_SIGN_IN))

    @rx.event
    async def register(self, form: dict[str, Any]) -> Any:
        email = str(form.get("email") or "")
        password = str(form.get("password") or "")
        if get_settings().clerk_enabled:
            self.form_error, self.error_field = CLERK_HANDLES_ACCOUNTS, ""
            return None
        if password != str(form.get("confirm", password) or ""):
            self.form_error, self.error_field = "The two passwords do not match.", "confirm"
            return None
        try:
            await asyncio.to_thread(accounts.register, email, password, str(form.get("display_name") or ""))
            return await self._open_session(email, password)
        except accounts.AccountError as error:
            self._fail(error)
            return None

    @rx.event
    async def sign_in(self, form: dict[str, Any]) -> Any:
        try:
            return await self._open_session(str(form.get("email") or ""), str(form.get("password") or ""))
        except accounts.AccountError as error:
            self._fail(error)
            return None

    @rx.event
    async def sign_out(self) -> Any:
        token = self.session_token
        if token:
            await asyncio.to_thread(accounts.sign_out, token)
        self.session_token = ""
        self._remember(None, "")
        if get_settings().clerk_enabled:  # end Clerk's session too, or the next page signs back in
            return rx.call_script("window.bookbugClerkSignOut('/')")
        return rx.redirect("/")

    @rx.event
    async def leave_if_signed_in(self) -> Any:
        """The sign-in and registration pages send a signed-in viewer to their books."""
        if await self._refresh_viewer():
            return rx.redirect(self._after_sign_in(HOME_AFTER_SIGN_IN))
        return None
