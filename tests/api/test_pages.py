"""Redo one page through the REST API: a new version, then keep it or go back."""

from __future__ import annotations

import httpx

from sqlmodel import select

from bookbug.api.app import build_api
from bookbug.db import RenderedPage, session_scope
from tests.api.asgi_stream import SSE, open_stream
from tests.api.book_flow import converse_until_approved, wait_for_status
from tests.api.conftest import Caller
from tests.support.api import page_version


async def test_a_page_is_redone_then_kept_and_nobody_else_can_touch_it(client: httpx.AsyncClient, alice: Caller,
                                                                        bob: Caller) -> None:
    created = await client.post("/api/books", headers=alice.headers, json={"page_count": 8})
    book_id = created.json()["id"]
    early = await client.post(f"/api/books/{book_id}/pages/2/redo", headers=alice.headers)
    assert early.status_code == 409 and early.json()["error"]["code"] == "wrong_phase"
    await converse_until_approved(client, alice.headers, book_id)
    await wait_for_status(client, alice.headers, book_id, "complete", timeout=120)

    assert (await client.post(f"/api/books/{book_id}/pages/2/redo", headers=bob.headers)).status_code == 404
    bad = await client.post(f"/api/books/{book_id}/pages/2/decision", headers=alice.headers, json={"keep": "both"})
    assert bad.status_code == 422 and bad.json()["error"]["field"]
    nothing = await client.post(f"/api/books/{book_id}/pages/2/decision", headers=alice.headers, json={"keep": "new"})
    assert nothing.status_code == 409  # no new version is waiting yet

    blank = await client.post(f"/api/books/{book_id}/pages/2/redo", headers=alice.headers, json={"note": "   "})
    assert blank.status_code == 422 and blank.json()["error"]["field"] == "note"

    original = (await client.get(f"/api/books/{book_id}", headers=alice.headers)).json()["pages"][1]
    old_picture = (await client.get(original["image_url"], headers=alice.headers)).content
    redo = await client.post(f"/api/books/{book_id}/pages/2/redo", headers=alice.headers,
                             json={"rewrite_text": True, "note": "make it sunnier"})
    assert redo.status_code == 202 and redo.json()["status"] == "redrawing"
    another = await client.post(f"/api/books/{book_id}/pages/3/redo", headers=alice.headers)
    assert another.status_code == 409  # one page at a time
    pending = await page_version(client, alice, book_id, 2, 2)
    assert pending["pending"] and pending["previous_text"] == original["text"]
    # while the choice is open, the old version's address still serves the old picture
    assert pending["previous_image_url"] == original["image_url"]
    assert (await client.get(pending["previous_image_url"], headers=alice.headers)).content == old_picture
    assert (await client.get(pending["previous_image_url"], headers=bob.headers)).status_code == 404
    book = (await client.get(f"/api/books/{book_id}", headers=alice.headers)).json()
    assert book["redo"] == {"page": 2, "phase": "deciding", "error": None}
    keep = await client.post(f"/api/books/{book_id}/pages/2/decision", headers=alice.headers, json={"keep": "new"})
    assert keep.status_code == 202
    image = await client.get(pending["image_url"], headers=alice.headers)
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/")
    assert image.content != old_picture

    # a failed redo's message (as the redo workflow records it) is put away by its owner only
    with session_scope() as session:
        row = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id,
                                                      RenderedPage.page_number == 2)).one()
        row.redo_failure = "Page 2 could not be drawn again."
        session.add(row)
    failure_url = f"/api/books/{book_id}/pages/2/redo/failure"
    assert (await client.delete(failure_url, headers=bob.headers)).status_code == 404
    assert (await client.delete(f"/api/books/{book_id}/pages/99/redo/failure",
                                headers=alice.headers)).status_code in (404, 422)
    assert (await client.delete(failure_url, headers=alice.headers)).status_code == 204
    with session_scope() as session:
        assert session.exec(select(RenderedPage.redo_failure).where(RenderedPage.book_id == book_id,
                                                                    RenderedPage.page_number == 2)).one() is None


async def stream(url: str, headers: dict[str, str]) -> list[SSE]:
    """Everything one connection to the stream sends, until the server ends it."""
    async with open_stream(build_api(), url, headers) as reader:
        return [event async for event in reader.events(timeout=60)]


async def test_the_stream_of_a_finished_book_follows_a_redo_started_before_it_was_opened(
        client: httpx.AsyncClient, alice: Caller) -> None:
    created = await client.post("/api/books", headers=alice.headers, json={"page_count": 8})
    book_id = created.json()["id"]
    await converse_until_approved(client, alice.headers, book_id)
    await wait_for_status(client, alice.headers, book_id, "complete", timeout=120)
    url = f"/api/jobs/{book_id}/stream"
    assert [e.event for e in await stream(url, alice.headers)] == ["complete"]  # nothing going on: ends at once

    # a picture-only redo with a note, then the stream opened afterwards (no Last-Event-ID)
    redo = await client.post(f"/api/books/{book_id}/pages/3/redo", headers=alice.headers,
                             json={"note": "make it a starry night"})
    assert redo.status_code == 202
    drawn = await stream(url, alice.headers)
    assert drawn[-1].event == "complete"  # the stream ends once the new version waits for the choice
    pending = drawn[-2]
    assert pending.event == "page" and pending.data["number"] == 3 and pending.data["pending"] is True
    assert pending.data["image_url"].endswith("?v=2")

    # reconnected after what it saw, it stays open until the choice is applied
    async with open_stream(build_api(), url, {**alice.headers, "Last-Event-ID": str(pending.id)}) as reader:
        keep = await client.post(f"/api/books/{book_id}/pages/3/decision", headers=alice.headers,
                                 json={"keep": "new"})
        assert keep.status_code == 202
        settled = [event async for event in reader.events(timeout=60)]
    assert [e.event for e in settled][-2:] == ["redo", "complete"]
    kept = next(e for e in settled if e.event == "page")
    assert kept.data["kept"] == "new" and kept.data["image_url"] == pending.data["image_url"]
    assert settled[-2].data["status"] == "completed"
    assert [e.event for e in await stream(url, alice.headers)] == ["complete"]
