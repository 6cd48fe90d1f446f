"""One book: live progress while it is made, the reader when it is done, cancel and retry, and
redoing one page of a finished book (a new version beside the old one, then keep one)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx

from bookbug.services import books, page_edits, progress
from bookbug.errors import NotFound, ServiceError
from bookbug.views import BookDetail
from bookbug.state import page_redo
from bookbug.state import presence
from bookbug.state.live import ASK, book_updates
from bookbug.state.rows import TALKING_STATUSES, PageRow
from bookbug.state.session import SessionState

BOOK_ROUTE = "/books"
IN_FLIGHT = ("intake", "plot", "generating", "paused")
IDLE_SECONDS = 10.0
MAX_IDLE_TICKS = 180

STAGE_WORDS = {
    "intake": "Talking it through", "plot": "Planning the story", "characters": "Drawing the characters",
    "style": "Choosing the look", "prose": "Writing the pages", "pages": "Illustrating the pages",
    "illustrate": "Illustrating the pages", "assemble": "Binding the book", "pdf": "Binding the book",
}


def stage_words(stage: str) -> str:
    key = (stage or "").lower()
    for name, words in STAGE_WORDS.items():
        if key.startswith(name):
            return words
    return stage.replace("-", " ").replace("_", " ").capitalize() if stage else "Getting started"


async def fetch_book(user_id: str, book_id: str) -> BookDetail | None:
    try:
        return await asyncio.to_thread(books.get_book, user_id, book_id)
    except NotFound:
        return None


class BookState(SessionState):
    view_book_id: str = ""
    title: str = ""
    status: str = ""
    stage: str = ""
    progress_page: int = 0
    total_pages: int = 0
    percent: int = 0
    pages: list[PageRow] = []
    pdf_url: str = ""
    epub_url: str = ""
    error: str = ""
    notice: str = ""
    not_found: bool = False
    reader_index: int = 0
    # redoing a page: the book's latest redo (its form and the choice after it: redo_form.py)
    redo_page: int = 0
    redo_phase: str = ""  # "" | drawing | deciding | finishing | failed (services.views.RedoView)
    redo_error: str = ""  # when the latest redo failed: why, in the service's plain words
    # editing a page's words by hand: the book's latest edit, and the form
    edit_page: int = 0
    edit_phase: str = ""  # "" | saving | failed (services.views.EditView)
    edit_error: str = ""
    edit_form_open: bool = False
    edit_text: str = ""
    edit_notice: str = ""  # why the words were refused, in one sentence
    edit_sending: bool = False
    cost_usd: float = 0.0  # what the book has cost so far (an estimate), shown to its owner only

    _watching: str = ""
    _follow_from: int = -1  # the book's latest event id when it was last read; -1: unknown

    @rx.var
    def in_flight(self) -> bool:
        return self.status in IN_FLIGHT

    @rx.var
    def complete(self) -> bool:
        return self.status == "complete"

    @rx.var
    def failed(self) -> bool:
        return self.status == "failed"

    @rx.var
    def still_talking(self) -> bool:
        return self.status in TALKING_STATUSES

    @rx.var
    def stage_label(self) -> str:
        return stage_words(self.stage)

    @rx.var
    def page_label(self) -> str:
        done = max(self.progress_page, len(self.pages))
        return f"page {done} of {self.total_pages}" if self.total_pages else f"{len(self.pages)} pages so far"

    @rx.var
    def failure(self) -> str:
        # the services give a failed book one plain sentence, chosen by the kind of failure
        return (self.error or "Something went wrong while making this book.") if self.status == "failed" else ""

    @rx.var
    def reader_page(self) -> PageRow:
        if not self.pages:
            return PageRow(number=0, text="", image_url="")
        return self.pages[min(max(self.reader_index, 0), len(self.pages) - 1)]

    @rx.var
    def reader_label(self) -> str:
        return f"{min(self.reader_index + 1, len(self.pages))} / {len(self.pages)}" if self.pages else ""

    @rx.var
    def at_first(self) -> bool:
        return self.reader_index <= 0

    @rx.var
    def at_last(self) -> bool:
        return self.reader_index >= len(self.pages) - 1

    @rx.var
    def cost_label(self) -> str:
        return f"Cost so far: about ${self.cost_usd:,.2f} (an estimate from list prices)" if self.cost_usd else ""

    @rx.var
    def paused(self) -> bool:
        return self.status == "paused"

    @rx.var
    def redo_busy(self) -> bool:
        return page_redo.busy(self.redo_phase, self.pages)

    @rx.var
    def edit_saving(self) -> bool:
        return self.edit_phase == "saving"

    @rx.var
    def watch_needed(self) -> bool:
        return self.in_flight or self.redo_busy or self.edit_saving

    @rx.var
    def can_edit(self) -> bool:
        return (self.complete and not self.redo_busy and not self.edit_saving and not self.edit_sending
                and bool(self.pages))

    @rx.var
    def edit_failure(self) -> str:
        return self.edit_error if self.edit_phase == "failed" else ""

    @rx.var
    def reader_mode(self) -> str:
        return page_redo.reader_mode(self.reader_page, self.redo_page, self.redo_phase)

    @rx.var
    def redo_elsewhere(self) -> str:
        return page_redo.elsewhere(self.redo_page, self.redo_phase, self.pages, self.reader_page.number)[1]

    @rx.var
    def redo_elsewhere_page(self) -> int:
        return page_redo.elsewhere(self.redo_page, self.redo_phase, self.pages, self.reader_page.number)[0]

    @rx.var
    def redo_failure(self) -> str:
        return self.redo_error if self.redo_phase == "failed" else ""

    @rx.var
    def pdf_rebuilding(self) -> bool:
        return self.redo_phase == "finishing" or self.edit_phase == "saving"

    async def _redo_form(self) -> redo_form.RedoFormState:
        """The page's redo form: a substate of this one, in the same tab's state tree."""
        return await self.get_state(redo_form.RedoFormState)

    # -- loading --------------------------------------------------------------------------------
    def _apply(self, detail: BookDetail | None, book_id: str) -> None:
        if detail is None:
            self.not_found = True
            self.view_book_id, self.title, self.status, self.pages, self.pdf_url = "", "", "", [], ""
            self.epub_url = ""
            self.cost_usd = 0.0
            self.redo_page, self.redo_phase, self.redo_error = 0, "", ""
            self.edit_page, self.edit_phase, self.edit_error, self.edit_form_open = 0, "", "", False
            return
        self.not_found = False
        self.view_book_id = book_id
        self.title = detail.title
        self.status = detail.status
        self.error = detail.error or ""
        self.cost_usd = detail.cost_usd
        self.pages = [PageRow.of(p) for p in detail.pages]
        self.pdf_url = detail.pdf_url or ""
        self.epub_url = detail.epub_url or ""
        brief_pages = (detail.brief or {}).get("page_count") if isinstance(detail.brief, dict) else None
        self.total_pages = int(detail.page_count or brief_pages or 0)
        if detail.job is not None:
            self.stage = detail.job.stage or ""
            self.progress_page = int(detail.job.page or 0)
            self.percent = int(round(detail.job.percent or 0))
        if self.status == "complete":
            self.percent = 100
        self.reader_index = min(self.reader_index, max(len(self.pages) - 1, 0))
        self.redo_page = detail.redo.page if detail.redo else 0
        self.redo_phase = detail.redo.phase if detail.redo else ""
        self.redo_error = (detail.redo.error or "") if detail.redo else ""
        self.edit_page = detail.edit.page if detail.edit else 0
        self.edit_phase = detail.edit.phase if detail.edit else ""
        self.edit_error = (detail.edit.error or "") if detail.edit else ""

    def _apply_progress(self, data: dict[str, Any]) -> None:
        if data.get("stage"):
            self.stage = str(data["stage"])
        if isinstance(data.get("page"), int):
            self.progress_page = int(data["page"])
        if isinstance(data.get("percent"), (int, float)):
            self.percent = int(round(data["percent"]))

    async def _mark(self, user_id: str, book_id: str) -> None:
        """Note the book's latest event before reading it: the live task starts right after it."""
        try:
            self._follow_from = await progress.latest_event_id(user_id, book_id)
        except NotFound:
            self._follow_from = -1

    async def _reload(self, user_id: str, book_id: str) -> Any:
        await self._mark(user_id, book_id)
        return await self._refresh(user_id, book_id)

    async def _refresh(self, user_id: str, book_id: str) -> Any:
        """Read the book again; watch it live while anything about it is still going on."""
        self._apply(await fetch_book(user_id, book_id), book_id)
        return BookState.watch_book if self.watch_needed else None

    @rx.event
    async def load_book(self) -> Any:
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        book_id = self._path_id()
        self.notice, self.reader_index = "", 0
        (await self._redo_form())._clear()
        self.edit_form_open, self.edit_notice, self.edit_sending = False, "", False
        return await self._reload(user_id, book_id)

    # -- reader ---------------------------------------------------------------------------------
    @rx.event
    def next_page(self) -> None:
        if self.reader_index < len(self.pages) - 1:
            self.reader_index += 1

    @rx.event
    def previous_page(self) -> None:
        if self.reader_index > 0:
            self.reader_index -= 1

    @rx.event
    def open_page(self, index: int) -> None:
        if 0 <= index < len(self.pages):
            self.reader_index = index

    @rx.event
    def open_page_number(self, number: int) -> None:
        index = next((i for i, page in enumerate(self.pages) if page.number == number), -1)
        if index >= 0:
            self.reader_index = index

    # -- edit a page's words by hand ------------------------------------------------------------
    @rx.event
    async def open_edit(self) -> None:
        self.edit_notice = ""
        if not self.can_edit:
            self.edit_notice = (page_redo.busy_sentence(self.redo_page, self.redo_phase, self.pages)
                                or ("Your last edit is being saved; try again in a moment." if self.edit_saving
                                    else "A page's words can be edited once the book is complete."))
            return
        (await self._redo_form()).redo_form_open = False  # one form at a time
        self.edit_form_open, self.edit_text = True, self.reader_page.text

    @rx.event
    def close_edit(self) -> None:
        self.edit_form_open, self.edit_notice = False, ""

    @rx.event
    def set_edit_text(self, value: str) -> None:
        self.edit_text = value
        self.edit_notice = ""

    @rx.event
    async def save_edit(self, form: dict[str, Any] | None = None) -> Any:
        """Keep the words in the form as the page's; the PDF is rebuilt with them."""
        if not self.edit_form_open or self.edit_sending:
            return None  # the second click of a double click: the words were sent already
        words = str(form.get("text", "")) if form is not None else self.edit_text
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        book_id, number = self.view_book_id, self.reader_page.number
        self.edit_sending, self.edit_notice = True, ""
        try:
            await self._mark(user_id, book_id)  # before the edit starts: the live task then misses none of it
            await page_edits.edit_page_text(user_id, book_id, number, words)
        except ServiceError as error:
            self.edit_notice = error.message
            return None
        finally:
            self.edit_sending = False
        self.edit_form_open, self.edit_text = False, ""
        return await self._refresh(user_id, book_id)

    # -- cancel and retry -------------------------------------------------------------------------
    async def _act(self, action: Any) -> Any:
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        await self._mark(user_id, self.view_book_id)  # before acting: the live task misses none of it
        try:
            await action(user_id, self.view_book_id)
        except ServiceError as error:
            self.notice = error.message
        return await self._refresh(user_id, self.view_book_id)

    @rx.event
    async def cancel_book(self) -> Any:
        return await self._act(books.cancel)

    @rx.event
    async def retry_book(self) -> Any:
        self.notice = ""
        return await self._act(books.retry)

    # -- live -----------------------------------------------------------------------------------
    @rx.event(background=True)
    async def watch_book(self) -> AsyncIterator[Any]:
        async with self:
            book_id, user_id, tab = self.view_book_id, self._viewer_id, self.router.session.client_token
            after = {book_id: self._follow_from} if self._follow_from >= 0 else None
            if not book_id or not user_id or self._watching == book_id:
                return
            self._watching = book_id
        ticks, released = 0, False
        try:
            async for _, event in book_updates(user_id, [book_id], idle=IDLE_SECONDS, tab=tab, after=after):
                if event is ASK:
                    yield presence.ask()
                    continue
                ticks = ticks + 1 if event is None else 0
                fresh: BookDetail | None = None
                news = ("page", "book", "sheet", "redo", "edit")
                reload = ticks == 1 or (event is not None and (event.event in news or event.final))
                if reload:
                    fresh = await fetch_book(user_id, book_id)
                async with self:
                    moved_on = (self.view_book_id != book_id or not self._viewing(BOOK_ROUTE, book_id)
                                or not await self._still_viewing_as(user_id))  # or signed out meanwhile
                    if not moved_on:
                        if event is not None and self.in_flight:  # a redo's progress is not the book's
                            self._apply_progress(event.data)
                        if fresh is not None:
                            self._apply(fresh, book_id)
                    if (moved_on or (event is not None and event.final) or not self.watch_needed
                            or ticks >= MAX_IDLE_TICKS):
                        # let go in the same step that decides to stop: a redo started a moment
                        # later must find no watcher here, or nobody would watch it
                        if self._watching == book_id:
                            self._watching = ""
                        released = True
                        return
        finally:
            if not released:
                async with self:
                    if self._watching == book_id:
                        self._watching = ""


# The redo form subclasses BookState, so it can only be imported once BookState exists; importing
# it here registers it with every use of the book page (a state tree lacks a class added later).
from bookbug.state import redo_form  # noqa: E402
