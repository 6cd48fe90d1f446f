"""The viewer's books, newest first, with live progress bars for the ones being made."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx

from bookbug.services import books
from bookbug.errors import ServiceError
from bookbug.views import BookPage
from bookbug.state import presence
from bookbug.state.live import ASK, book_updates
from bookbug.state.rows import BookCard
from bookbug.state.session import SessionState

GALLERY_ROUTE = "/books"
PER_PAGE = 12
IN_FLIGHT = ("intake", "plot", "generating")
IDLE_SECONDS = 15.0
MAX_IDLE_TICKS = 120


class GalleryState(SessionState):
    cards: list[BookCard] = []
    page_number: int = 1
    page_total: int = 1
    book_total: int = 0
    loaded: bool = False
    notice: str = ""

    _watching: bool = False

    @rx.var
    def empty(self) -> bool:
        return self.loaded and self.book_total == 0

    @rx.var
    def has_previous(self) -> bool:
        return self.page_number > 1

    @rx.var
    def has_next(self) -> bool:
        return self.page_number < self.page_total

    @rx.var
    def page_caption(self) -> str:
        return f"Page {self.page_number} of {self.page_total}"

    def _apply(self, listing: BookPage) -> None:
        self.cards = [BookCard.of(item) for item in listing.items]
        self.page_number = listing.page
        self.page_total = listing.pages
        self.book_total = listing.total
        self.loaded = True

    def _in_flight_ids(self) -> list[str]:
        return [card.id for card in self.cards if card.status in IN_FLIGHT]

    async def _show(self, page: int) -> Any:
        user_id = await self._current_user_id()
        if not user_id:
            return self._to_login()
        try:
            listing = await asyncio.to_thread(books.list_books, user_id, page=max(1, page), per_page=PER_PAGE)
        except ServiceError as error:
            self.notice = error.message
            return None
        if not listing.items and listing.page > 1:  # the page emptied (books deleted): go back
            listing = await asyncio.to_thread(books.list_books, user_id, page=listing.pages, per_page=PER_PAGE)
        self._apply(listing)
        return GalleryState.watch_gallery if self._in_flight_ids() else None

    @rx.event
    async def load_gallery(self) -> Any:
        await self._current_user_id()
        page = str(self.router.url.query_parameters.get("page", "1"))
        return await self._show(int(page) if page.isdigit() else 1)

    @rx.event
    async def next_page(self) -> Any:
        return await self._show(self.page_number + 1)

    @rx.event
    async def previous_page(self) -> Any:
        return await self._show(self.page_number - 1)

    @rx.event(background=True)
    async def watch_gallery(self) -> AsyncIterator[Any]:
        """One task per viewer for every book in flight on the shown page."""
        async with self:  # state is read (and written) only in here: outside, it may be stale
            user_id, watched, tab = self._viewer_id, self._in_flight_ids(), self.router.session.client_token
            if not user_id or not watched or self._watching:
                return
            self._watching = True
            shown = self.page_number
        ticks = 0
        try:
            async for book_id, event in book_updates(user_id, watched, idle=IDLE_SECONDS, tab=tab):
                if event is ASK:
                    yield presence.ask()
                    continue
                ticks = ticks + 1 if event is None else 0
                listing = None
                if ticks == 1 or (event is not None and (event.final or event.event == "book")):
                    listing = await asyncio.to_thread(books.list_books, user_id, page=shown, per_page=PER_PAGE)
                async with self:
                    if str(self.router.url.path or "").rstrip("/") != GALLERY_ROUTE or ticks >= MAX_IDLE_TICKS:
                        return
                    if not await self._still_viewing_as(user_id):
                        return  # signed out meanwhile: nothing more reaches this tab
                    if listing is not None and listing.page == self.page_number:
                        self._apply(listing)
                    if event is not None:
                        self._apply_event(book_id, event.data)
                    shown = self.page_number  # the page the next re-read fetches
        finally:
            async with self:
                self._watching = False

    def _apply_event(self, book_id: str, data: dict[str, Any]) -> None:
        percent, stage = data.get("percent"), data.get("stage")
        self.cards = [
            dataclasses.replace(
                card,
                percent=int(round(percent)) if isinstance(percent, (int, float)) else card.percent,
                stage=str(stage or card.stage),
            ) if card.id == book_id else card
            for card in self.cards
        ]
