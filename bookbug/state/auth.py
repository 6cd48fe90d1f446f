"""Register, sign in and sign out with local accounts.

The password is checked here, over the socket; the session cookie is then set by an HTTP
route, since only an HTTP answer can set an HttpOnly cookie: the browser posts it the one-time
ticket this state hands over (state/browser.py). Signing out goes through a route too, which
clears the cookie.

Registering answers the same whether or not the e-mail already has an account (it never
signs in): the visitor is sent to sign in, so nobody can learn here who has an account.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

import reflex as rx
from reflex.event import EventSpec

from bookbug.errors import AccountError
from bookbug.services.accounts import registration, sessions
from bookbug.services.accounts.errors import EmailTaken
from bookbug.services.accounts.sign_in import authenticate_password
from bookbug.services.accounts.tickets import issue_ticket
from bookbug.services.web_session import HOME_AFTER_SIGN_IN, LOGIN_ROUTE
from bookbug.settings import get_settings
from bookbug.state.browser import SESSION_ROUTE, SIGN_OUT_ROUTE, post_script, post_to
from bookbug.state.session import SessionState, forget, public, safe_next

CLERK_HANDLES_ACCOUNTS = "This site signs people in with Clerk: use the sign-in form above."
REGISTERED = ("Thank you! Now sign in with your e-mail and password. (If that e-mail already had an account "
              "here, its own password still applies.)")


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

    @rx.var
    def registered_notice(self) -> str:
        """After registering, the sign-in page says what to do next (the same for every e-mail)."""
        arrived = self.router.url.query_parameters.get("registered") if self.router else None
        return REGISTERED if arrived == "1" else ""

    def _reset_error(self) -> None:
        self.form_error = ""
        self.error_field = ""

    @public
    @rx.event
    def clear_error(self) -> None:
        self._reset_error()

    def _fail(self, error: AccountError) -> None:
        self.form_error = error.message
        self.error_field = error.field or ""

    def _client(self) -> str:
        # the same address every door counts (Reflex honours trusted proxy hops for it)
        return self.router.session.client_ip if self.router else ""

    async def _hand_over(self, user_id: str) -> EventSpec:
        """Have the browser collect the session cookie, then go where sign-in was asked to go."""
        ticket = await asyncio.to_thread(issue_ticket, user_id)
        return post_to(SESSION_ROUTE, {"ticket": ticket, "next": self._after_sign_in(HOME_AFTER_SIGN_IN)})

    @public
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
            await asyncio.to_thread(registration.register, email, password, str(form.get("display_name") or ""),
                                    client=self._client())
        except EmailTaken:
            pass  # answered like a new account: whether an e-mail has one is nobody's business
        except AccountError as error:
            self._fail(error)
            return None
        self._reset_error()
        wanted = safe_next(self.router.url.query_parameters.get("next") if self.router else None, "")
        query = {"registered": "1", **({"next": wanted} if wanted else {})}
        return rx.redirect(f"{LOGIN_ROUTE}?{urlencode(query)}")

    @public
    @rx.event
    async def sign_in(self, form: dict[str, Any]) -> Any:
        if get_settings().clerk_enabled:  # no password accounts beside Clerk's
            self.form_error, self.error_field = CLERK_HANDLES_ACCOUNTS, ""
            return None
        try:
            user = await asyncio.to_thread(authenticate_password, str(form.get("email") or ""),
                                           str(form.get("password") or ""), client=self._client())
        except AccountError as error:
            self._fail(error)
            return None
        self._reset_error()
        return await self._hand_over(user.id)

    @public
    @rx.event
    async def sign_out(self) -> Any:
        key = self._session_key()
        if key:
            await asyncio.to_thread(sessions.end_session, key)
            forget(key)
        self._session_root().reset()
        clear_cookie = post_script(SIGN_OUT_ROUTE, {"next": "/"})
        if get_settings().clerk_enabled:  # end Clerk's session too, or the next page signs back in
            return rx.call_script(f"window.bookbugClerkSignOut(() => {clear_cookie})")
        return rx.call_script(clear_cookie)

    @public
    @rx.event
    async def leave_if_signed_in(self) -> Any:
        """The sign-in and registration pages send a signed-in viewer to their books."""
        if await self._current_user_id():
            return rx.redirect(self._after_sign_in(HOME_AFTER_SIGN_IN))
        return None
