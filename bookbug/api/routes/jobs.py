"""The book's run: its state, its live event stream, cancelling and retrying it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query
from sse_starlette import EventSourceResponse
from starlette.background import BackgroundTask

from bookbug import metrics
from bookbug.api import stream
from bookbug.api.deps import CurrentUser
from bookbug.errors import NoSuchFile
from bookbug.api.schemas import BOOK_ERRORS, INPUT_ERRORS, ErrorResponse, JobView
from bookbug.services import books

router = APIRouter(prefix="/api/jobs", tags=["jobs"])

HEARTBEAT_SECONDS = 15  # a comment line this often keeps proxies from closing an idle stream

NOTHING_RUNNING: dict[int | str, dict[str, object]] = {409: {"model": ErrorResponse, "description": "Nothing to cancel (or retry) right now."}}


class NoJob(NoSuchFile):
    code = "no_job"


@router.get("/{book_id}", response_model=JobView,
            responses={**BOOK_ERRORS, 404: {"model": ErrorResponse,
                                            "description": "No such book, or it has no run yet (`no_job`)."}})
def current_job(user: CurrentUser, book_id: str) -> JobView:
    """The book's current run: status, stage, page, percent, error."""
    job = books.current_job(user.id, book_id)
    if job is None:
        raise NoJob("This book has not started a run yet.")
    return job


@router.get("/{book_id}/stream", responses={
    **BOOK_ERRORS, **INPUT_ERRORS,
    429: {"model": ErrorResponse, "description": "Too many of your streams are open at once; see Retry-After."},
    200: {"content": {"text/event-stream": {}},
          "description": "Server-Sent Events named chat, progress, page, sheet, book, redo (a page redo "
                         "ended), complete, failed or cancelled; each `data` is JSON and each `id` can be "
                         "sent back as Last-Event-ID."},
})
async def stream_events(
    user: CurrentUser, book_id: str,
    last_event_id_header: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    last_event_id: Annotated[str | None, Query(description="For clients that cannot set Last-Event-ID.")] = None,
) -> EventSourceResponse:
    """The book's live events until it is complete, failed or cancelled; for a finished book,
    those of a page redo going on (until its new version waits for a choice, or it ends)."""
    after = stream.parse_last_event_id(last_event_id_header, last_event_id)
    # Checked before the response starts, so a stranger's book is a JSON 404, not an empty stream.
    book = await asyncio.to_thread(books.get_book, user.id, book_id)
    held = await stream.open_stream_slot(user.id)  # at most STREAMS_PER_USER open at once

    async def events() -> AsyncIterator[dict[str, str]]:
        metrics.SSE_CONNECTIONS.inc()
        try:
            async for event in stream.book_stream(user.id, book_id, book_status=book.status,
                                                  book_error=book.error, last_event_id=after):
                yield stream.as_sse(event)
        finally:
            metrics.SSE_CONNECTIONS.dec()

    # X-Accel-Buffering: nginx and friends pass each event on at once instead of buffering
    hold = stream.StreamHold(held)
    return EventSourceResponse(hold.events(events()), ping=HEARTBEAT_SECONDS, headers={"X-Accel-Buffering": "no"},
                               background=BackgroundTask(hold.end))


@router.post("/{book_id}/cancel", response_model=JobView, responses={**BOOK_ERRORS, **NOTHING_RUNNING})
async def cancel(user: CurrentUser, book_id: str) -> JobView:
    """Cancel the book's run; pages already made are kept."""
    return await books.cancel(user.id, book_id)


@router.post("/{book_id}/retry", response_model=JobView, responses={**BOOK_ERRORS, **NOTHING_RUNNING})
async def retry(user: CurrentUser, book_id: str) -> JobView:
    """Run a failed book again from the step that failed; finished pages are not redone."""
    return await books.retry(user.id, book_id)
