"""The book page's share panel: make a read-only link (shown once), list the links, revoke one."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import reflex as rx

from bookbug.services import sharing
from bookbug.errors import ServiceError
from bookbug.services.sharing import ShareView
from bookbug.settings import get_settings
from bookbug.state.rows import when
from bookbug.state.session import SessionState

EXPIRY_CHOICES = {"never": None, "7 days": 7, "30 days": 30}


@dataclasses.dataclass
class ShareRow:
    id: str
    made: str
    expires: str  # "never", or when
    expired: bool

    @classmethod
    def of(cls, view: ShareView) -> ShareRow:
        return cls(id=view.id, made=when(view.created_at), expires=when(view.expires_at) or "never",
                   expired=view.expired)


class ShareState(SessionState):
    share_open: bool = False
    shares: list[ShareRow] = []
    new_link: str = ""  # the link just made: shown this once
    share_expiry: str = "never"
    share_notice: str = ""
    share_busy: bool = False
    panel_book: str = ""  # the book the panel was opened on (the panel shows only on that book's page)

    async def _owner_and_book(self) -> tuple[str, str]:
        return await self._current_user_id(), self._path_id()

    async def _reload(self, user_id: str, book_id: str) -> None:
        views = await asyncio.to_thread(sharing.list_shares, user_id, book_id)
        self.shares = [ShareRow.of(view) for view in views]

    @rx.event
    async def toggle_share(self) -> Any:
        user_id, book_id = await self._owner_and_book()
        if self.panel_book != book_id:  # the panel was last open on another book: start afresh
            self.share_open, self.shares, self.panel_book = False, [], book_id
        self.share_open, self.new_link, self.share_notice = not self.share_open, "", ""
        if not self.share_open:
            return None
        if not user_id:
            return self._to_login()
        try:
            await self._reload(user_id, book_id)
        except ServiceError as error:
            self.share_notice = error.message
        return None

    @rx.event
    def set_share_expiry(self, value: str) -> None:
        self.share_expiry = value if value in EXPIRY_CHOICES else "never"

    @rx.event
    async def make_link(self) -> Any:
        if self.share_busy:
            return None  # a double click makes one link
        user_id, book_id = await self._owner_and_book()
        if not user_id:
            return self._to_login()
        self.share_busy, self.share_notice = True, ""
        try:
            made = await asyncio.to_thread(sharing.create_share, user_id, book_id,
                                           expires_in_days=EXPIRY_CHOICES.get(self.share_expiry))
            self.new_link = get_settings().app_url.rstrip("/") + made.path
            await self._reload(user_id, book_id)
        except ServiceError as error:
            self.share_notice = error.message
        finally:
            self.share_busy = False
        return None

    @rx.event
    async def revoke_link(self, share_id: str) -> Any:
        user_id, book_id = await self._owner_and_book()
        if not user_id:
            return self._to_login()
        try:
            await asyncio.to_thread(sharing.revoke_share, user_id, book_id, share_id)
            self.new_link = ""
            self.share_notice = "Link revoked: it no longer opens the book."
            await self._reload(user_id, book_id)
        except ServiceError as error:
            self.share_notice = error.message
        return None
