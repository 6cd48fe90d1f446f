"""Live book events for the pages' background tasks.

Each open view subscribes to its books' progress events (no database polling). Events from
several books are merged into one stream; when nothing happens for `idle` seconds the stream
yields a tick (None), so the page can check its viewer is still there and, once after
subscribing, re-read the database to cover anything published before the subscription began.
Given the viewer's tab (its client token), the stream also yields ASK every few seconds, which
the page's task answers by yielding presence.ask() to its tab, and ends once the tab has stopped
answering (see presence.py), instead of lingering until the book finishes or the idle limit.
A view that knows where it stands (`after`: the book's latest event id, taken before it read
the database) instead gets everything since, even for a finished book whose pages are redone.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import AsyncIterator, Iterable, Mapping

from bookbug.services import progress
from bookbug.services.progress import BookEvent
from bookbug.state import presence

log = logging.getLogger(__name__)

_END = object()
_CHECK = object()


class Ask(enum.Enum):
    ASK = "ask"


ASK = Ask.ASK  # "ask the tab whether it is still there": the task yields presence.ask()


async def _pump(user_id: str, book_id: str, queue: asyncio.Queue[tuple[str, object]], after: int | None) -> None:
    try:
        if after is None:
            finished = await asyncio.to_thread(progress.final_event, user_id, book_id)
            if finished is not None:
                await queue.put((book_id, finished))
                return
        async for event in progress.book_events(user_id, book_id, after=after):
            await queue.put((book_id, event))
    except asyncio.CancelledError:
        raise
    except Exception:  # a broken stream ends this book's updates, not the page
        log.exception("live events for book %s stopped", book_id)
    finally:
        queue.put_nowait((book_id, _END))


async def _now_and_then(queue: asyncio.Queue[tuple[str, object]]) -> None:
    while True:
        await asyncio.sleep(presence.CHECK_SECONDS)
        queue.put_nowait(("", _CHECK))


async def book_updates(user_id: str, book_ids: Iterable[str], *, idle: float, tab: str = "",
                       after: Mapping[str, int] | None = None
                       ) -> AsyncIterator[tuple[str, BookEvent | None | Ask]]:
    """(book_id, event) as events arrive, ("", None) after `idle` quiet seconds and, given a tab,
    ("", ASK) every presence.CHECK_SECONDS; ends when every book's stream has ended (each ends
    after its book's final event), or when `tab` has stopped answering.
    A book named in `after` streams from that event id on, finished or not: the caller ends it."""
    queue: asyncio.Queue[tuple[str, object]] = asyncio.Queue()
    since = after or {}
    tasks = [asyncio.create_task(_pump(user_id, book_id, queue, since.get(book_id)))
             for book_id in dict.fromkeys(book_ids)]
    open_streams = len(tasks)
    watch = presence.Watch(tab)
    if open_streams and tab:
        tasks.append(asyncio.create_task(_now_and_then(queue)))
    loop = asyncio.get_running_loop()
    quiet_since = loop.time()  # asking the tab is not news: it does not put off the idle tick
    try:
        while open_streams:
            try:
                book_id, item = await asyncio.wait_for(queue.get(), max(0.0, quiet_since + idle - loop.time()))
            except TimeoutError:
                quiet_since = loop.time()
                yield "", None
                continue
            if item is _CHECK:
                if await watch.gone():
                    return
                await watch.asking()
                yield "", ASK
                continue
            quiet_since = loop.time()
            if item is _END:
                open_streams -= 1
                continue
            assert isinstance(item, BookEvent)
            yield book_id, item
    finally:
        for task in tasks:
            task.cancel()
