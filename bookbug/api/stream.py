"""The live stream of one book, as Server-Sent Events: where it starts and where it ends.

Every event carries the engine channel's rising id. A client that reconnects sends the last
id it saw (`Last-Event-ID`) and first gets what it missed from the engine's backlog, then live
events: nothing missed, nothing twice. A first connection starts after the book's latest
final event in the backlog (so a retried book is not reported finished by its old failure),
which also replays a question asked before the client connected. The stream ends after
complete, failed or cancelled; for a book that is already finished it only replays what a
reconnecting client missed and then sends the final event at once, instead of waiting forever.
While a page of a finished book is being redone, the stream follows that redo (a first
connection from the redo's first event) until its new version waits for the owner's choice,
or it failed, or the choice is applied; then it ends the same way.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from bookbug.services import page_work, slots
from bookbug.errors import InvalidInput, Throttled
from bookbug.services.progress import FINAL, BookEvent, book_events, to_book_event
from bookbug.services.runtime import started_engine
from bookbug.settings import get_settings

# The book's own final statuses, and the run status words the engine's final events carry.
_FINAL_STATUS_WORDS = {"complete": "completed", "failed": "failed", "cancelled": "cancelled"}


MAX_EVENT_ID = 2**53 - 1  # ids are counters; a larger one never came from this stream


def channel(book_id: str) -> str:
    return f"book:{book_id}"


def parse_last_event_id(header: str | None, query: str | None) -> int | None:
    """The id to resume after: the `Last-Event-ID` header, else the `last_event_id` parameter."""
    raw = header if header not in (None, "") else query
    if raw is None or raw.strip() == "":
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        raise InvalidInput("Last-Event-ID must be the id of an event from this stream (a whole number).",
                           field="last_event_id") from None
    if value < 0:
        raise InvalidInput("Last-Event-ID cannot be negative.", field="last_event_id")
    if value > MAX_EVENT_ID:
        raise InvalidInput("Last-Event-ID is not the id of an event from this stream.", field="last_event_id")
    return value


async def _kept_events(book_id: str, after: int) -> list[BookEvent]:
    engine = await started_engine()
    kept: list[dict[str, Any]] = await engine.hub.missed(channel(book_id), after)
    return [event for event in map(to_book_event, kept) if event is not None]


async def _start_after(book_id: str) -> int:
    """For a first connection: just after the latest final event kept, or from the beginning."""
    finals = [event.id for event in await _kept_events(book_id, 0) if event.final]
    return max(finals, default=0)


def finished_event(status: str, error: str | None, last_id: int | None) -> BookEvent:
    # No engine event to replay (the backlog expired, or the client saw it already): the
    # final event is rebuilt from the book; its id repeats the last one so a reconnect is harmless.
    return BookEvent(id=last_id or 0, event=status, data={"status": _FINAL_STATUS_WORDS[status], "error": error})


async def book_stream(user_id: str, book_id: str, *, book_status: str, book_error: str | None,
                      last_event_id: int | None) -> AsyncIterator[BookEvent]:
    """The events a client should see, given the book's status when it connected."""
    if book_status in FINAL:
        redo = await asyncio.to_thread(page_work.redo_in_flight, user_id, book_id)
        last = last_event_id
        if redo is not None:
            # a page of the finished book is being redone: follow that redo to its next stop
            after = last_event_id if last_event_id is not None else await _start_of_run(book_id, redo[0])
            async for event in _redo_events(user_id, book_id, redo[0], after):
                yield event
                if event.final:
                    return
                last = event.id
        elif last_event_id is not None:
            for event in await _kept_events(book_id, last_event_id):
                yield event
                if event.final:
                    return
                last = event.id
        yield finished_event(book_status, book_error, last)
        return
    after = last_event_id if last_event_id is not None else await _start_after(book_id)
    async for event in book_events(user_id, book_id, after=after):
        yield event


async def _start_of_run(book_id: str, run_id: str) -> int:
    """For a first connection during a redo: just before the redo's first event, so the client
    sees all of it (the new version may be drawn before it connects); else from now."""
    engine = await started_engine()
    kept: list[dict[str, Any]] = await engine.hub.missed(channel(book_id), 0)
    ids = [int(message["id"]) for message in kept if message.get("run_id") == run_id]
    return min(ids) - 1 if ids else await engine.hub.last_id(channel(book_id))


async def _redo_events(user_id: str, book_id: str, run_id: str, after: int) -> AsyncIterator[BookEvent]:
    """The book's events after `after` until the redo `run_id` stops for the owner's choice (its
    new version shown), or ends: failed, or the choice applied."""
    async for event in book_events(user_id, book_id, after=after):
        yield event
        if event.final or event.run_id != run_id:
            continue
        if event.event == "redo":
            return
        if event.event == "page" and event.data.get("pending"):
            redo = await asyncio.to_thread(page_work.redo_in_flight, user_id, book_id)
            if redo is None or redo[1] == "deciding":  # else the choice is made: on to the page kept
                return


def as_sse(event: BookEvent) -> dict[str, str]:
    """The fields sse-starlette sends: id, event name and the data as JSON."""
    fields = {"event": event.event, "data": json.dumps(event.data, default=str)}
    if event.id > 0:  # engine ids start at 1; 0 marks a final event rebuilt from the book
        fields["id"] = str(event.id)
    return fields


# -- how many streams one user may keep open --------------------------------------------------
STREAMS = "stream"  # the limit kind (services/slots.py): a slot per open stream, per user
SLOT_HOLD = timedelta(seconds=60)  # a process that dies frees its streams' slots after this
RENEW_EVERY = 20.0


async def open_stream_slot(user_id: str) -> slots.Held:
    """A slot for one more open stream of this user, or Throttled (shared by every process)."""
    limit = get_settings().streams_per_user
    held = await asyncio.to_thread(slots.take, STREAMS, user_id, limit, SLOT_HOLD)
    if isinstance(held, slots.Full):
        raise Throttled(f"You have {limit} live streams open already; close one (or wait for it to end) and try "
                        "again.", retry_after=max(1.0, held.retry_after))
    return held


class StreamHold:
    """An open stream's slot: renewed while the stream is open, freed once its response ends.

    Freed by the response's background task, not by the events' generator: a client that hangs
    up cancels the response mid-await, and a generator cut off there may never finish its own
    clean-up (its renewals would then keep the slot held for good)."""

    def __init__(self, held: slots.Held) -> None:
        self.held = held
        self._ended = asyncio.Event()

    async def events(self, events: AsyncIterator[dict[str, str]]) -> AsyncIterator[dict[str, str]]:
        """`events`, with the slot renewed while they flow."""
        keeper = asyncio.create_task(self._renew())
        try:
            async for event in events:
                yield event
        finally:
            keeper.cancel()

    async def _renew(self) -> None:
        while not self._ended.is_set():
            try:
                await asyncio.wait_for(self._ended.wait(), RENEW_EVERY)
            except TimeoutError:
                await asyncio.to_thread(slots.renew, self.held, SLOT_HOLD)

    async def end(self) -> None:
        """The slot is free again (the response's background task: runs however it ended)."""
        self._ended.set()
        await asyncio.to_thread(slots.release, self.held)
