"""The conversation: starting a book, the chat, the brief panel and the plot review."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx

from bookbug.services import books
from bookbug.errors import NotFound, ServiceError
from bookbug.views import BookDetail, MessageView
from bookbug.state.brief_panel import brief_rows, outline_rows, plot_title
from bookbug.state import presence
from bookbug.state.live import ASK, book_updates
from bookbug.state.rows import TALKING_STATUSES, BriefRow, MessageRow, OutlineRow
from bookbug.state.session import SessionState
from bookbug.workflows import names

CHAT_ROUTE = "/create"
IDLE_SECONDS = 10.0
MAX_IDLE_TICKS = 180  # half an hour without events: the tab is probably gone; any action restarts


async def fetch_conversation(user_id: str, book_id: str) -> tuple[BookDetail, list[MessageView]] | None:
    """The book and its messages, or None when the viewer has no such book."""
    # Messages first: the workflow saves the book before the message that talks about it, so a
    # book read after the messages is never older than they are.
    try:
        history = await asyncio.to_thread(books.history, user_id, book_id)
        detail = await asyncio.to_thread(books.get_book, user_id, book_id)
    except NotFound:
        return None
    return detail, history


class ChatState(SessionState):
    chat_book_id: str = ""
    book_status: str = ""
    messages: list[MessageRow] = []
    brief: list[BriefRow] = []
    outline: list[OutlineRow] = []
    plot_name: str = ""
    draft: str = ""
    notice: str = ""  # why a message was not sent, or what went wrong
    sending: bool = False
    not_found: bool = False

    _watching: str = ""  # the book a background task is watching for this viewer

    # -- what the screen derives ------------------------------------------------------------
    @rx.var
    def last_is_assistant(self) -> bool:
        return bool(self.messages) and self.messages[-1].role == "assistant"

    @rx.var
    def talking(self) -> bool:
        return self.book_status in TALKING_STATUSES

    @rx.var
    def thinking(self) -> bool:
        """The engine owes an answer: no question yet, or the user's message is the latest."""
        return bool(self.chat_book_id) and self.book_status in TALKING_STATUSES and not self.last_is_assistant

    @rx.var
    def phase(self) -> str:
        assistant = [m for m in self.messages if m.role == "assistant"]
        return assistant[-1].phase if assistant else ""

    @rx.var
    def in_plot_review(self) -> bool:
        return self.phase == names.PHASE_PLOT and self.last_is_assistant and self.talking

    @rx.var
    def chips(self) -> list[str]:
        return list(self.messages[-1].chips) if self.last_is_assistant and self.talking else []

    @rx.var
    def can_send(self) -> bool:
        return self.talking and self.last_is_assistant and not self.sending

    @rx.var
    def draft_length(self) -> int:
        return len(self.draft)

    # -- loading ------------------------------------------------------------------------------
    @rx.event
    async def start_book(self) -> Any:
        """/create: a new book, then its conversation."""
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        try:
            book = await books.create_book(user_id)
        except ServiceError as error:
            self.notice = error.message
            return None
        return rx.redirect(f"{CHAT_ROUTE}/{book.id}")

    async def _reload(self, user_id: str, book_id: str) -> None:
        """Everything on screen, from the database (so leaving and coming back loses nothing)."""
        self._apply(await fetch_conversation(user_id, book_id), book_id)

    def _apply(self, loaded: tuple[BookDetail, list[MessageView]] | None, book_id: str) -> None:
        if loaded is None:
            self._show_not_found()
            return
        detail, history = loaded
        if len(history) != len(self.messages):
            self.notice = ""  # news in the conversation makes an old "not sent" note moot
        self.chat_book_id = book_id
        self.not_found = False
        self.book_status = detail.status
        self.messages = [MessageRow.of(m) for m in history]
        self.brief = brief_rows(detail.brief, page_count=detail.page_count, book_format=detail.format)
        self.outline = outline_rows(detail.plot, detail.page_count or (detail.brief or {}).get("page_count"))
        self.plot_name = plot_title(detail.plot) or (detail.title if detail.title != "Untitled book" else "")

    def _show_not_found(self) -> None:
        self.not_found = True
        self.chat_book_id = ""
        self.book_status = ""
        self.messages, self.brief, self.outline, self.plot_name = [], [], [], ""

    @rx.event
    async def load_conversation(self) -> Any:
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        self.draft, self.notice, self.sending = "", "", False
        await self._reload(user_id, self._path_id())
        if self.not_found:
            return None
        if self.book_status not in TALKING_STATUSES:
            return rx.redirect(f"/books/{self.chat_book_id}")
        return ChatState.watch_conversation

    # -- sending ------------------------------------------------------------------------------
    @rx.event
    def set_draft(self, value: str) -> None:
        self.draft = value
        if self.notice:
            self.notice = ""

    def _refusal(self, content: str) -> str:
        """Why this message cannot be sent now ("" when it can)."""
        try:
            books.clean_message(content)
        except ServiceError as error:
            return error.message
        if not self.talking:
            return "This conversation is over."
        if self.sending or not self.last_is_assistant:
            return "Bookbug is still answering your last message."
        return ""

    async def _send(self, content: str, *, approve: bool = False) -> Any:
        reason = self._refusal(content if not approve else "approve")
        if reason:
            self.notice = reason
            return None
        if approve and not self.in_plot_review:
            self.notice = "There is no plot to approve yet."
            return None
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        self.sending = True
        self.notice = ""
        try:
            if approve:
                view = await books.approve(user_id, self.chat_book_id)
            else:
                view = await books.send_message(user_id, self.chat_book_id, content)
        except ServiceError as error:
            self.notice = error.message
            return None
        finally:
            self.sending = False
        self.messages = [*self.messages, MessageRow.of(view)]
        self.draft = ""
        if approve:
            return rx.redirect(f"/books/{self.chat_book_id}")
        return ChatState.watch_conversation

    @rx.event
    async def send_draft(self, form: dict[str, Any] | None = None) -> Any:
        content = str(form.get("message", "")) if form else self.draft
        return await self._send(content)

    @rx.event
    async def choose_chip(self, chip: str) -> Any:
        return await self._send(chip)

    @rx.event
    async def approve_plot(self) -> Any:
        return await self._send("", approve=True)

    # -- live ---------------------------------------------------------------------------------
    @rx.event(background=True)
    async def watch_conversation(self) -> AsyncIterator[Any]:
        async with self:
            book_id, user_id, tab = self.chat_book_id, self._viewer_id, self.router.session.client_token
            if not book_id or not user_id or self._watching == book_id:
                return  # nothing to watch, or this viewer already has a watcher for it
            self._watching = book_id
        ticks = 0
        try:
            async for _, event in book_updates(user_id, [book_id], idle=IDLE_SECONDS, tab=tab):
                if event is ASK:
                    yield presence.ask()
                    continue
                ticks = ticks + 1 if event is None else 0
                # re-read on news, and once when idle: anything published before we subscribed
                fresh = None
                if ticks == 1 or (event is not None and (event.event in ("chat", "book") or event.final)):
                    fresh = await fetch_conversation(user_id, book_id)
                async with self:
                    if self.chat_book_id != book_id or not self._viewing(CHAT_ROUTE, book_id):
                        return  # the viewer moved on
                    if not await self._still_viewing_as(user_id):
                        return  # signed out meanwhile: nothing more reaches this tab
                    if fresh is not None:
                        self._apply(fresh, book_id)
                    if self.book_status not in TALKING_STATUSES or ticks >= MAX_IDLE_TICKS:
                        return
        finally:
            async with self:
                if self._watching == book_id:
                    self._watching = ""
