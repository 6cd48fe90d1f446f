"""Where a stream starts: a first connection skips a run's earlier ending (a retried book is
not reported failed again); a reconnection resumes exactly after its Last-Event-ID."""

from __future__ import annotations

import asyncio

import httpx

from bookbug.api.app import build_api
from bookbug.db import Book, session_scope
from bookbug.engine import Engine
from tests.api.asgi_stream import open_stream
from tests.api.conftest import Caller


def book_in(owner: Caller, status: str) -> str:
    with session_scope() as session:
        book = Book(user_id=owner.user_id, status=status)
        session.add(book)
        return book.id


async def publish(engine: Engine, book_id: str, *messages: dict[str, object]) -> None:
    for message in messages:
        await engine.hub.publish(f"book:{book_id}", {"workflow": "create-book", **message})


def progress(stage: str, percent: float) -> dict[str, object]:
    return {"type": "progress", "stage": stage, "percent": percent, "payload": {}}


FAILED = {"type": "status", "status": "failed", "error": "the illustrator was down"}
COMPLETED = {"type": "status", "status": "completed"}


async def test_a_first_connection_starts_after_the_last_ending(engine: Engine, alice: Caller) -> None:
    book_id = book_in(alice, "generating")  # failed once, then retried
    await publish(engine, book_id, progress("pages", 40), FAILED, progress("pages", 60))
    async with open_stream(build_api(), f"/api/jobs/{book_id}/stream", alice.headers) as reader:
        first = await reader.next_event()
        await publish(engine, book_id, progress("pages", 80), COMPLETED)
        rest = [event async for event in reader.events()]
    assert first is not None and (first.id, first.event, first.data["percent"]) == (3, "progress", 60)
    assert [(e.id, e.event) for e in rest] == [(4, "progress"), (5, "complete")]


async def test_a_reconnection_resumes_right_after_its_last_event_id(engine: Engine, alice: Caller) -> None:
    book_id = book_in(alice, "generating")
    await publish(engine, book_id, *(progress("pages", p) for p in (10, 20, 30, 40)))
    headers = {**alice.headers, "Last-Event-ID": "2"}
    async with open_stream(build_api(), f"/api/jobs/{book_id}/stream", headers) as reader:
        replayed = [await reader.next_event(), await reader.next_event()]
        live = asyncio.create_task(reader.next_event())
        await asyncio.sleep(0.1)
        await publish(engine, book_id, COMPLETED)
        assert [(e.id, e.data["percent"]) for e in replayed if e] == [(3, 30), (4, 40)]
        ending = await live
        assert ending is not None and (ending.id, ending.event) == (5, "complete")
        assert await reader.next_event() is None  # the stream ends after the final event


async def test_a_finished_book_replays_what_was_missed_then_ends(client: httpx.AsyncClient, engine: Engine,
                                                                 alice: Caller) -> None:
    book_id = book_in(alice, "failed")
    await publish(engine, book_id, progress("pages", 50), FAILED)
    fresh = await client.get(f"/api/jobs/{book_id}/stream", headers=alice.headers)
    assert "event: failed" in fresh.text and "event: progress" not in fresh.text
    resumed = await client.get(f"/api/jobs/{book_id}/stream", headers={**alice.headers, "Last-Event-ID": "0"})
    assert resumed.text.index("event: progress") < resumed.text.index("event: failed")
    assert "the illustrator was down" in resumed.text
