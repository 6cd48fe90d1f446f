"""Redo one page through the REST API: a new version, then keep it or go back."""

from __future__ import annotations

import asyncio
import time

import httpx

from tests.api.book_flow import converse_until_approved, wait_for_status
from tests.api.conftest import Caller


async def page_version(client: httpx.AsyncClient, caller: Caller, book_id: str, number: int, version: int,
                       timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        book = (await client.get(f"/api/books/{book_id}", headers=caller.headers)).json()
        page = next(p for p in book["pages"] if p["number"] == number)
        if page["version"] == version:
            return page
        await asyncio.sleep(0.1)
    raise AssertionError(f"page {number} did not reach version {version}")


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

    unread = await client.post(f"/api/books/{book_id}/pages/2/redo", headers=alice.headers,
                               json={"note": "make it sunnier"})  # a note only the rewritten words would read
    assert unread.status_code == 422 and unread.json()["error"]["field"] == "note"

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
