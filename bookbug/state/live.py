"""Live book events for the pages' background tasks.

Each open view subscribes to its books' progress events (no database polling). Events from
several books are merged into one stream; when nothing happens for `idle` seconds the stream
yields a tick (None), so the page can check its viewer is still there and, once after
subscribing, re-read the database to cover anything published before the subscription began.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable

from bookbug.db import Book, session_scope
from bookbug.services import progress
from bookbug.services.progress import BookEvent

log = logging.getLogger(__name__)

FINAL_STATUS_EVENTS = {"complete": "complete", "failed": "failed", "cancelled": "cancelled"}
_END = object()


def final_event_for(user_id: str, book_id: str) -> BookEvent | None:
    """The book's final event when it has already finished (its event stream would never end)."""
    with session_scope() as session:
        book = session.get(Book, book_id)
        if book is None or book.user_id != user_id:
            return None
        event = FINAL_STATUS_EVENTS.get(book.status)
        return BookEvent(id=0, event=event, data={"status": book.status, "error": book.error}) if event else None


async def _pump(user_id: str, book_id: str, queue: asyncio.Queue[tuple[str, object]]) -> None:
    try:
        finished = await asyncio.to_thread(final_event_for, user_id, book_id)
        if finished is not None:
            await queue.put((book_id, finished))
            return
        async for event in progress.book_events(user_id, book_id):
            await queue.put((book_id, event))
    except asyncio.CancelledError:
        raise
    except Exception:  # a broken stream ends this book's updates, not the page
        log.exception("live events for book %s stopped", book_id)
    finally:
        queue.put_nowait((book_id, _END))


async def book_updates(user_id: str, book_ids: Iterable[str], *, idle: float) -> AsyncIterator[tuple[str, BookEvent | None]]:
    """(book_id, event) as events arrive, ("", None) after `idle` quiet seconds; ends when every
    book's stream has ended (each ends after its book's final event)."""
    queue: asyncio.Queue[tuple[str, object]] = asyncio.Queue()
    pumps = [asyncio.create_task(_pump(user_id, book_id, queue)) for book_id in dict.fromkeys(book_ids)]
    open_streams = len(pumps)
    try:
        while open_streams:
            try:
                book_id, item = await asyncio.wait_for(queue.get(), idle)
            except TimeoutError:
                yield "", None
                continue
            if item is _END:
                open_streams -= 1
                continue
            assert isinstance(item, BookEvent)
            yield book_id, item
    finally:
        for pump in pumps:
            pump.cancel()
