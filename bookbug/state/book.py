"""One book: live progress while it is made, the reader when it is done, cancel and retry."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from bookbug.services import books
from bookbug.services.errors import NotFound, ServiceError
from bookbug.services.views import BookDetail
from bookbug.state.live import book_updates
from bookbug.state.rows import TALKING_STATUSES, PageRow
from bookbug.state.session import SessionState, to_login

BOOK_ROUTE = "/books"
IN_FLIGHT = ("intake", "plot", "generating")
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


def explain_failure(error: str | None) -> str:
    """The failure in words a parent understands; the technical detail follows in brackets."""
    text = (error or "").strip()
    low = text.lower()
    if not text:
        reason = "Something went wrong while making this book."
    elif "cancel" in low:
        reason = "This book was cancelled."
    elif any(word in low for word in ("401", "403", "auth", "api key", "permission")):
        reason = "The illustration or writing service refused our key, so the book could not be finished."
    elif any(word in low for word in ("429", "rate", "too many", "overloaded", "busy")):
        reason = "The illustration or writing service was too busy for too long."
    elif any(word in low for word in ("timeout", "timed out", "connect")):
        reason = "A service we rely on did not answer in time."
    else:
        reason = "Something went wrong while making this book."
    return f"{reason} You can try again: finished pages are kept. ({text})" if text else reason


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
    error: str = ""
    notice: str = ""
    not_found: bool = False
    reader_index: int = 0

    _watching: str = ""

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
        return explain_failure(self.error) if self.status == "failed" else ""

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

    # -- loading --------------------------------------------------------------------------------
    def _apply(self, detail: BookDetail | None, book_id: str) -> None:
        if detail is None:
            self.not_found = True
            self.view_book_id, self.title, self.status, self.pages, self.pdf_url = "", "", "", [], ""
            return
        self.not_found = False
        self.view_book_id = book_id
        self.title = detail.title
        self.status = detail.status
        self.error = detail.error or ""
        self.pages = [PageRow.of(p) for p in detail.pages]
        self.pdf_url = detail.pdf_url or ""
        brief_pages = (detail.brief or {}).get("page_count") if isinstance(detail.brief, dict) else None
        self.total_pages = int(detail.page_count or brief_pages or 0)
        if detail.job is not None:
            self.stage = detail.job.stage or ""
            self.progress_page = int(detail.job.page or 0)
            self.percent = int(round(detail.job.percent or 0))
        if self.status == "complete":
            self.percent = 100
        self.reader_index = min(self.reader_index, max(len(self.pages) - 1, 0))

    def _apply_progress(self, data: dict[str, Any]) -> None:
        if data.get("stage"):
            self.stage = str(data["stage"])
        if isinstance(data.get("page"), int):
            self.progress_page = int(data["page"])
        if isinstance(data.get("percent"), (int, float)):
            self.percent = int(round(data["percent"]))

    @rx.event
    async def load_book(self) -> Any:
        user_id = await self._refresh_viewer()
        if not user_id:
            return to_login()
        book_id = self._path_id()
        self.notice, self.reader_index = "", 0
        self._apply(await fetch_book(user_id, book_id), book_id)
        if self.in_flight:
            return BookState.watch_book
        return None

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

    # -- cancel and retry -------------------------------------------------------------------------
    async def _act(self, action: Any) -> Any:
        user_id = await self._current_user_id()
        if not user_id:
            return to_login()
        try:
            await action(user_id, self.view_book_id)
        except ServiceError as error:
            self.notice = error.message
        self._apply(await fetch_book(user_id, self.view_book_id), self.view_book_id)
        return BookState.watch_book if self.in_flight else None

    @rx.event
    async def cancel_book(self) -> Any:
        return await self._act(books.cancel)

    @rx.event
    async def retry_book(self) -> Any:
        self.notice = ""
        return await self._act(books.retry)

    # -- live -----------------------------------------------------------------------------------
    @rx.event(background=True)
    async def watch_book(self) -> None:
        async with self:
            book_id, user_id = self.view_book_id, self._viewer_id
            if not book_id or not user_id or self._watching == book_id:
                return
            self._watching = book_id
        ticks = 0
        try:
            async for _, event in book_updates(user_id, [book_id], idle=IDLE_SECONDS):
                ticks = ticks + 1 if event is None else 0
                fresh: BookDetail | None = None
                reload = ticks == 1 or (event is not None and (event.event in ("page", "book", "sheet") or event.final))
                if reload:
                    fresh = await fetch_book(user_id, book_id)
                async with self:
                    if self.view_book_id != book_id or not self._viewing(BOOK_ROUTE, book_id):
                        return  # the viewer moved on
                    if event is not None:
                        self._apply_progress(event.data)
                    if fresh is not None:
                        self._apply(fresh, book_id)
                    if (event is not None and event.final) or not self.in_flight or ticks >= MAX_IDLE_TICKS:
                        return
        finally:
            async with self:
                if self._watching == book_id:
                    self._watching = ""
