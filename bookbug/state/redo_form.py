"""The reader's "Redo this page": the form (a note, and whether to rewrite the words too), and the
choice that follows (keep the new version or go back to the old one).

A substate of the book page: it reads the book as BookState loaded it (the page on screen, where
the book's latest redo stands) and hands the page back to BookState to reload and watch live.
"""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from bookbug.errors import ServiceError
from bookbug.services import redos
from bookbug.state import page_redo
from bookbug.state.book import BookState, fetch_book


class RedoFormState(BookState):
    redo_form_open: bool = False
    redo_note: str = ""
    redo_rewrite: bool = False
    redo_notice: str = ""  # why a redo or a choice was refused, in one sentence
    redo_sending: bool = False
    deciding: bool = False

    @rx.var
    def can_redo(self) -> bool:
        return self.complete and not self.redo_busy and not self.redo_sending and bool(self.pages)

    @rx.var
    def redo_note_length(self) -> int:
        return len(self.redo_note)

    def _clear(self) -> None:
        """A fresh reader: no form open, nothing said, nothing being sent."""
        self.redo_form_open, self.redo_notice, self.redo_sending, self.deciding = False, "", False, False

    @rx.event
    def open_redo(self) -> None:
        self.redo_notice = ""
        self.edit_form_open = False
        if not self.can_redo:
            self.redo_notice = (page_redo.busy_sentence(self.redo_page, self.redo_phase, self.pages)
                                or "Pages can be redone once the book is complete.")
            return
        self.redo_form_open, self.redo_note, self.redo_rewrite = True, "", False

    @rx.event
    def close_redo(self) -> None:
        self.redo_form_open, self.redo_notice = False, ""

    @rx.event
    def set_redo_note(self, value: str) -> None:
        self.redo_note = value
        self.redo_notice = ""

    @rx.event
    def set_redo_rewrite(self, value: bool) -> None:
        self.redo_rewrite = bool(value)
        self.redo_notice = ""

    @rx.event
    async def start_redo(self, form: dict[str, Any] | None = None) -> Any:
        """Redo the page on screen; the new version arrives live, beside the old one."""
        if not self.redo_form_open or self.redo_sending:
            return None  # the second click of a double click: the form was sent already
        # the form's values when it sent them (a checked box sends "on", an unchecked one nothing)
        note = str(form.get("note", "")) if form is not None else self.redo_note
        rewrite = form.get("rewrite") in (True, "on", "true") if form is not None else self.redo_rewrite
        try:
            redos.clean_note(note)
        except ServiceError as error:
            self.redo_notice = error.message
            return None
        if self.redo_busy:
            self.redo_notice = page_redo.busy_sentence(self.redo_page, self.redo_phase, self.pages)
            return None
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        book_id, number = self.view_book_id, self.reader_page.number
        self.redo_sending, self.redo_notice = True, ""
        try:
            await self._mark(user_id, book_id)  # before the redo starts: the task then misses none of it
            await redos.redo_page(user_id, book_id, number, rewrite_text=rewrite, note=note)
        except ServiceError as error:
            self.redo_notice = error.message
            return None
        finally:
            self.redo_sending = False
        self.redo_form_open, self.redo_note, self.redo_rewrite = False, "", False
        return await self._refresh(user_id, book_id)

    @rx.event
    async def keep_version(self, keep: str) -> Any:
        """Keep the redone page ("new") or go back to the old one ("old")."""
        if self.deciding or (self.redo_phase == "finishing" and self.redo_page == self.reader_page.number):
            return None  # the second click of a double click: the choice is being saved
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        book_id, number = self.view_book_id, self.reader_page.number
        self.deciding, self.redo_notice = True, ""
        try:
            await self._mark(user_id, book_id)
            await redos.decide_page(user_id, book_id, number, keep=keep)
        except ServiceError as error:
            self.redo_notice = error.message
            return None
        finally:
            self.deciding = False
        return await self._refresh(user_id, book_id)

    @rx.event
    async def dismiss_redo_failure(self) -> Any:
        """Put away the message about a failed redo (the page is as it was)."""
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        book_id, number = self.view_book_id, self.redo_page
        try:
            await asyncio.to_thread(redos.dismiss_redo_failure, user_id, book_id, number)
        except ServiceError as error:
            self.redo_notice = error.message
            return None
        self._apply(await fetch_book(user_id, book_id), book_id)
        return None
