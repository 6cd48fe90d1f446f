"""The account page: personal API tokens (shown once), open sessions (sign out everywhere), and
your data: download all of it as a zip, or delete the account and all of it.

A new token's plaintext is written into the page by a script (state/browser.py `show_once`),
never kept in state: state is synced to the browser and kept in the state manager (Redis in
production), where a secret has no business being."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from bookbug.errors import AccountError, ServiceError
from bookbug.services import privacy
from bookbug.services.accounts.api_tokens import create_api_token, list_api_tokens, revoke_api_token
from bookbug.services.accounts.sessions import list_sessions, revoke_all_sessions
from bookbug.state.browser import SIGN_OUT_ROUTE, post_to, show_once
from bookbug.state.rows import ExportRow, SessionRow, TokenRow, size_words, when
from bookbug.state.session import SessionState, forget

NEW_TOKEN_ELEMENT = "new-token"  # the page element the new token's plaintext is written into
WATCH_SECONDS, WATCH_ROUNDS = 2.0, 900  # an export is looked at every 2 s, for up to half an hour


def token_rows(user_id: str) -> list[TokenRow]:
    return [
        TokenRow(id=t.id, name=t.name, prefix=t.prefix, created=when(t.created_at),
                 last_used=when(t.last_used_at) or "never",
                 expires=("expired" if t.expired else when(t.expires_at)) if t.expires_at else "never")
        for t in list_api_tokens(user_id)
    ]


def session_rows(user_id: str) -> list[SessionRow]:
    return [SessionRow(id=s.id, device=s.user_agent[:80] or "unknown device", created=when(s.created_at),
                       last_seen=when(s.last_seen_at)) for s in list_sessions(user_id)]


def export_rows(user_id: str) -> list[ExportRow]:
    return [ExportRow(id=e.id, status=e.status, percent=int(round(e.percent)), created=when(e.created_at),
                      size=size_words(e.size_bytes), download_url=e.download_url or "", error=e.error or "")
            for e in privacy.list_exports(user_id)[:3]]


class AccountState(SessionState):
    tokens: list[TokenRow] = []
    sessions: list[SessionRow] = []
    exports: list[ExportRow] = []
    new_token_name: str = ""  # the token just created (its plaintext goes to the page, not here)
    notice: str = ""
    data_notice: str = ""  # about exporting or deleting your data
    _watching_exports: bool = False

    async def _refresh(self, user_id: str) -> None:
        self.tokens = await asyncio.to_thread(token_rows, user_id)
        self.sessions = await asyncio.to_thread(session_rows, user_id)
        self.exports = await asyncio.to_thread(export_rows, user_id)

    @rx.var
    def preparing(self) -> bool:
        return any(row.status == "preparing" for row in self.exports)

    @rx.event
    async def load_account(self) -> Any:
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        self.new_token_name, self.notice, self.data_notice = "", "", ""
        await self._refresh(user_id)
        return AccountState.check_exports if self.preparing else None

    @rx.event
    async def start_export(self) -> Any:
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        await privacy.request_export(user_id)
        self.data_notice = "Preparing your data: this page shows when the zip is ready."
        await self._refresh(user_id)
        return AccountState.check_exports if self.preparing else None

    @rx.event(background=True)
    async def check_exports(self) -> None:
        """Follow an export being prepared until it is ready (or failed, or the tab moves on)."""
        async with self:
            user_id = await self._current_user_id()
            if not user_id or self._watching_exports:
                return
            self._watching_exports = True
        try:
            for _ in range(WATCH_ROUNDS):
                await asyncio.sleep(WATCH_SECONDS)
                rows = await asyncio.to_thread(export_rows, user_id)
                async with self:
                    if not await self._still_viewing_as(user_id):
                        return  # signed out meanwhile: nothing more reaches this tab
                    self.exports = rows
                    if not self.preparing:
                        return
        finally:
            async with self:
                self._watching_exports = False

    @rx.event
    async def delete_account(self, form: dict[str, Any]) -> Any:
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        try:
            await privacy.request_account_deletion(user_id, str(form.get("confirm") or ""))
        except ServiceError as error:
            self.data_notice = error.message
            return None
        forget(self._session_key())
        self._session_root().reset()
        return post_to(SIGN_OUT_ROUTE, {"next": "/"})  # signed out everywhere already; this clears the cookie

    @rx.event
    async def create_token(self, form: dict[str, Any]) -> Any:
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        try:
            created = await asyncio.to_thread(create_api_token, user_id, str(form.get("name") or ""))
        except AccountError as error:
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
            await asyncio.to_thread(revoke_api_token, user_id, token_id)
        except AccountError as error:
            self.notice = error.message
        await self._refresh(user_id)
        return None

    @rx.event
    async def sign_out_everywhere(self) -> Any:
        user_id = await self._current_user_id()
        if user_id:
            await asyncio.to_thread(revoke_all_sessions, user_id)
        forget(self._session_key())
        self._session_root().reset()
        return post_to(SIGN_OUT_ROUTE, {"next": "/login"})  # clears this browser's cookie too
