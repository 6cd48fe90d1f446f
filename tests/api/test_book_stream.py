"""A whole book through the API and its live stream, on SQLite and on PostgreSQL.

Two clients follow the same book: one keeps its connection, the other hangs up again and
again and reconnects with Last-Event-ID. Both must see exactly the same events, in order.
"""

from __future__ import annotations

import asyncio
import io
import time

import httpx
import pytest
from pypdf import PdfReader

from bookbug.api.app import build_api
from tests.api.asgi_stream import SSE, open_stream
from tests.api.book_flow import converse_until_approved
from tests.api.conftest import Caller

STAGES = ["intake", "plot", "writing", "characters", "pages", "assembling", "complete"]
FINAL = {"complete", "failed", "cancelled"}


async def follow(url: str, headers: dict[str, str]) -> list[SSE]:
    """Everything on the stream, on one connection, until the final event."""
    seen: list[SSE] = []
    async with open_stream(build_api(), url, headers) as reader:
        assert reader.status == 200
        async for event in reader.events(timeout=60):
            seen.append(event)
            if event.event in FINAL:
                break
    return seen


async def follow_with_drops(url: str, headers: dict[str, str], every: int = 4) -> tuple[list[SSE], int]:
    """The same, hanging up after every few events and reconnecting with the last id seen."""
    seen: list[SSE] = []
    reconnects = 0
    last: int | None = None
    while not seen or seen[-1].event not in FINAL:
        resume = {**headers, "Last-Event-ID": str(last)} if last is not None else headers
        async with open_stream(build_api(), url, resume) as reader:
            assert reader.status == 200
            for _ in range(every):
                event = await reader.next_event(timeout=60)
                if event is None:
                    break
                seen.append(event)
                last = event.id if event.id is not None else last
                if event.event in FINAL:
                    break
        reconnects += 1
        await asyncio.sleep(0.05)  # events published while nobody listens must not be lost
    return seen, reconnects


@pytest.mark.parametrize("api_db", ["sqlite", "postgres"], indirect=True)
async def test_a_whole_book_streams_in_order_and_a_reconnecting_client_misses_nothing(
        client: httpx.AsyncClient, alice: Caller) -> None:
    started = time.monotonic()
    created = await client.post("/api/books", headers=alice.headers, json={"page_count": 8})
    assert created.status_code == 201, created.text
    book_id = created.json()["id"]
    url = f"/api/jobs/{book_id}/stream"
    steady = asyncio.create_task(follow(url, alice.headers))
    dropping = asyncio.create_task(follow_with_drops(url, alice.headers))

    answers = await converse_until_approved(client, alice.headers, book_id)
    events = await asyncio.wait_for(steady, 120)
    replayed, reconnects = await asyncio.wait_for(dropping, 120)

    # in order, each once, ending with the book complete
    ids = [e.id for e in events]
    assert ids == sorted(set(ids)) and None not in ids
    assert events[-1].event == "complete" and sum(e.event in FINAL for e in events) == 1
    stages = [e.data.get("stage") for e in events if e.event not in FINAL]
    first_seen = list(dict.fromkeys(s for s in stages if s))
    assert first_seen == STAGES
    chats = [e.data["message"] for e in events if e.event == "chat"]
    assert len(chats) == answers and chats[-1]["phase"] == "plot_review"
    # every page is announced (a page can be announced twice when the run resumes after
    # waiting for a drawing slot: the workflow replays; the ids above still never repeat)
    pages = {e.data["number"] for e in events if e.event == "page"}
    assert pages == set(range(1, 9))
    assert any(e.event == "book" and e.data["pdf_url"] == f"/api/books/{book_id}/pdf" for e in events)

    # the client that kept hanging up saw exactly the same, nothing missed, nothing twice
    assert reconnects > 3
    assert [(e.id, e.event, e.data) for e in replayed] == [(e.id, e.event, e.data) for e in events]

    book = (await client.get(f"/api/books/{book_id}", headers=alice.headers)).json()
    assert book["status"] == "complete" and len(book["pages"]) == 8 and book["job"]["percent"] == 100
    pdf = await client.get(book["pdf_url"], headers=alice.headers)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) >= 8
    page = await client.get(book["pages"][0]["image_url"], headers=alice.headers)
    assert page.status_code == 200 and page.headers["content-type"].startswith("image/")
    print(f"whole book in {time.monotonic() - started:.1f}s, {len(events)} events, {reconnects} reconnects")
