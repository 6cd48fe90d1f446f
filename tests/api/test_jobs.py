"""The run behind a book: its state, cancelling and retrying it, and the stream's edges
(a finished book's stream ends at once; a bad Last-Event-ID is 422)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bookbug.api.app import build_api
from bookbug.api.routes import jobs
from bookbug.db import Book, session_scope
from tests.api.asgi_stream import open_stream
from tests.api.conftest import Caller
from tests.support.api import assert_error, started_book


def sse_events(body: str) -> list[tuple[str | None, str]]:
    """(id, event) pairs of a whole SSE body."""
    found = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line and not line.startswith(":"))
        if "event" in fields:
            found.append((fields.get("id"), fields["event"]))
    return found


async def test_the_job_shows_the_waiting_conversation(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id, _ = await started_book(client, alice)
    job = (await client.get(f"/api/jobs/{book_id}", headers=alice.headers)).json()
    assert job["workflow"] == "create-book" and job["status"] == "waiting" and job["stage"] == "intake"
    assert job["error"] is None


async def test_a_book_without_a_run_has_no_job(client: httpx.AsyncClient, alice: Caller) -> None:
    with session_scope() as session:
        book = Book(user_id=alice.user_id, status="draft")
        session.add(book)
    assert_error(await client.get(f"/api/jobs/{book.id}", headers=alice.headers), 404, "no_job")


async def test_cancelling_stops_the_run_and_ends_the_stream(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id, _ = await started_book(client, alice)
    answer = await client.post(f"/api/jobs/{book_id}/cancel", headers=alice.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "cancelled"
    assert (await client.get(f"/api/books/{book_id}", headers=alice.headers)).json()["status"] == "cancelled"
    assert_error(await client.post(f"/api/jobs/{book_id}/cancel", headers=alice.headers), 409, "wrong_phase")
    # a finished book's stream sends its final event straight away and ends
    stream = await client.get(f"/api/jobs/{book_id}/stream", headers=alice.headers)
    assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")
    assert [event for _, event in sse_events(stream.text)] == ["cancelled"]
    # one that reconnects from the start gets what it missed (the question, the end) first
    replay = await client.get(f"/api/jobs/{book_id}/stream", headers={**alice.headers, "Last-Event-ID": "0"})
    events = sse_events(replay.text)
    names = [event for _, event in events]
    assert "chat" in names and names[-1] == "cancelled" and names.count("cancelled") == 1
    ids = [int(i) for i, _ in events if i is not None]
    assert ids == sorted(set(ids))


async def test_only_a_failed_book_can_be_retried(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id, _ = await started_book(client, alice)
    assert_error(await client.post(f"/api/jobs/{book_id}/retry", headers=alice.headers), 409, "wrong_phase")


async def test_a_malformed_last_event_id_is_422(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id, _ = await started_book(client, alice)
    for headers, params in (({"Last-Event-ID": "seven"}, {}), ({}, {"last_event_id": "-1"})):
        answer = await client.get(f"/api/jobs/{book_id}/stream", headers={**alice.headers, **headers}, params=params)
        assert_error(answer, 422, "invalid_input", "last_event_id")


async def test_an_idle_stream_sends_comment_heartbeats(client: httpx.AsyncClient, alice: Caller,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "HEARTBEAT_SECONDS", 0.2)  # 15 s in production
    book_id, _ = await started_book(client, alice)
    async with open_stream(build_api(), f"/api/jobs/{book_id}/stream", alice.headers) as reader:
        assert reader.headers["content-type"].startswith("text/event-stream")
        assert reader.headers["x-accel-buffering"] == "no" and reader.headers["cache-control"] == "no-store"
        first = [await reader.next_event(), await reader.next_event()]  # the intake's progress, the question
        assert [e.event for e in first if e] == ["progress", "chat"]
        with pytest.raises(asyncio.TimeoutError):
            await reader.next_event(timeout=1.0)  # Bookbug waits for an answer: no events ...
        assert any(comment.startswith("ping") for comment in reader.comments)  # ... but heartbeats
