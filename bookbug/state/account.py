"""The account page: personal API tokens (shown once) and open sessions (sign out everywhere).

A new token's plaintext is written into the page by a script (state/browser.py `show_once`),
never kept in state: state is synced to the browser and kept in the state manager (Redis in
production), where a secret has no business being."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from bookbug.services import accounts
from bookbug.state.browser import SIGN_OUT_ROUTE, post_to, show_once
from bookbug.state.rows import SessionRow, TokenRow, when
from bookbug.state.session import SessionState, forget

NEW_TOKEN_ELEMENT = "new-token"  # the page element the new token's plaintext is written into


def token_rows(user_id: str) -> list[TokenRow]:
    return [
        TokenRow(id=t.id, name=t.name, prefix=t.prefix, created=when(t.created_at),
                 last_used=when(t.last_used_at) or "never",
                 expires=("expired" if t.expired else when(t.expires_at)) if t.expires_at else "never")
        for t in accounts.list_api_tokens(user_id)
    ]


def session_rows(user_id: str) -> list[SessionRow]:
    return [SessionRow(id=s.id, device=s.user_agent[:80] or "unknown device", created=when(s.created_at),
                       last_seen=when(s.last_seen_at)) for s in accounts.list_sessions(user_id)]


class AccountState(SessionState):
    tokens: list[TokenRow] = []
    sessions: list[SessionRow] = []
    new_token_name: str = ""  # the token just created (its plaintext goes to the page, not here)
    notice: str = ""

    async def _refresh(self, user_id: str) -> None:
        self.tokens = await asyncio.to_thread(token_rows, user_id)
        self.sessions = await asyncio.to_thread(session_rows, user_id)

    @rx.event
    async def load_account(self) -> Any:
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        self.new_token_name, self.notice = "", ""
        await self._refresh(user_id)
        return None

    @rx.event
    async def create_token(self, form: dict[str, Any]) -> Any:
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        try:
            created = await asyncio.to_thread(accounts.create_api_token, user_id, str(form.get("name") or ""))
        except accounts.AccountError as error:
            self.notice, self.new_token_name = error.message, ""
            return None
        self.new_token_name, self.notice = created.name, ""
        await self._refresh(user_id)
        return show_once(NEW_TOKEN_ELEMENT, created.token)

    @rx.event
    async def revoke_token(self, token_id: str) -> Any:
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        try:
            await asyncio.to_thread(accounts.revoke_api_token, user_id, token_id)
        except accounts.AccountError as error:
            self.notice = error.message
        await self._refresh(user_id)
        return None

    @rx.event
    async def sign_out_everywhere(self) -> Any:
        user_id = await self._current_user_id()
        if user_id:
            await asyncio.to_thread(accounts.revoke_all_sessions, user_id)
        forget(self._session_key())
        self._session_root().reset()
        return post_to(SIGN_OUT_ROUTE, {"next": "/login"})  # clears this browser's cookie too
