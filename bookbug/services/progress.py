"""A book's live events, for every client: the Reflex pages, the SSE stream and the CLI.

The engine publishes on the channel "book:{id}"; this turns its messages into the events
clients understand (chat, progress, page, sheet, redo, edit, complete, failed, cancelled), each with
the channel's rising id so a client can resume after the last one it saw.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from pydantic import BaseModel, Field

from bookbug.db import Book, session_scope
from bookbug.services.owned import owned_book
from bookbug.services.runtime import started_engine
from bookbug.workflows import names

FINAL = {"complete", "failed", "cancelled"}
_STATUS_EVENTS = {"completed": "complete", "failed": "failed", "cancelled": "cancelled"}


class BookEvent(BaseModel):
    id: int
    event: str  # chat | progress | page | sheet | book | redo | edit | complete | failed | cancelled
    data: dict[str, Any]
    run_id: str | None = Field(None, exclude=True)  # the run that sent it; never shown to clients

    @property
    def final(self) -> bool:
        return self.event in FINAL


def to_book_event(message: dict[str, Any]) -> BookEvent | None:
    """The client-facing event for one engine message, or None for messages clients skip."""
    if message.get("type") == "status":
        event = _STATUS_EVENTS.get(str(message.get("status")))
        if event is None:
            return None
        data = {"status": message.get("status"), "error": message.get("error")}
        if message.get("workflow") == names.REDO_PAGE:
            # a page redo ending (even failing) is not the book ending: its own event, never final
            return BookEvent(id=message["id"], event="redo", data=data, run_id=message.get("run_id"))
        if message.get("workflow") == names.EDIT_PAGE:  # likewise a hand edit saved (or not)
            return BookEvent(id=message["id"], event="edit", data=data, run_id=message.get("run_id"))
        if message.get("workflow") != names.CREATE_BOOK:
            return None
        return BookEvent(id=message["id"], event=event, data=data, run_id=message.get("run_id"))
    if message.get("type") == "progress":
        payload = dict(message.get("payload") or {})
        kind = str(payload.pop("kind", "progress"))
        data = {"stage": message.get("stage"), "page": message.get("page"), "percent": message.get("percent"),
                **payload}
        return BookEvent(id=message["id"], event=kind if kind in ("chat", "page", "sheet", "book") else "progress",
                         data=data, run_id=message.get("run_id"))
    return None


def final_event(user_id: str, book_id: str) -> BookEvent | None:
    """The book's final event when it has already finished (its event stream would never end);
    None while it is still going, and for a book that is not the user's."""
    with session_scope() as session:
        book = session.get(Book, book_id)
        if book is None or book.user_id != user_id:
            return None
        if book.status not in FINAL:  # a finished book's status names its final event
            return None
        return BookEvent(id=0, event=book.status, data={"status": book.status, "error": book.error})


async def book_events(user_id: str, book_id: str, after: int | None = None) -> AsyncIterator[BookEvent]:
    """The book's events from now on (or after `after`), ending after complete/failed/cancelled."""
    with session_scope() as session:
        owned_book(session, user_id, book_id)
    engine = await started_engine()
    async for message in engine.subscribe(f"book:{book_id}", after=after):
        event = to_book_event(message)
        if event is None:
            continue
        yield event
        if event.final:
            return


async def latest_event_id(user_id: str, book_id: str) -> int:
    """The id of the book's latest event: `book_events(after=it)` then misses nothing sent later."""
    with session_scope() as session:
        owned_book(session, user_id, book_id)
    engine = await started_engine()
    return await engine.hub.last_id(f"book:{book_id}")
