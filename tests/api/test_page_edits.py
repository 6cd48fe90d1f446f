"""Hand edits through the REST API: a finished page's words changed by the owner without a model,
screened (declined words change nothing), stored with the words before, and printed in the PDF."""

from __future__ import annotations

import asyncio
import io
import time
from typing import Any

import httpx
from pypdf import PdfReader

from bookbug.engine import list_runs
from bookbug.settings import get_settings
from bookbug.workflows import names
from tests.api.book_flow import converse_until_approved, wait_for_status
from tests.api.conftest import Caller


async def finished(client: httpx.AsyncClient, owner: Caller) -> str:
    book_id = (await client.post("/api/books", headers=owner.headers, json={"page_count": 8})).json()["id"]
    await converse_until_approved(client, owner.headers, book_id)
    await wait_for_status(client, owner.headers, book_id, "complete", timeout=120)
    return book_id


async def saved(client: httpx.AsyncClient, owner: Caller, book_id: str, timeout: float = 60.0) -> dict[str, Any]:
    """The book once no hand edit of it is being saved."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        book = (await client.get(f"/api/books/{book_id}", headers=owner.headers)).json()
        if book["edit"] is None:
            return book
        assert book["edit"]["phase"] == "saving", book["edit"]
        await asyncio.sleep(0.1)
    raise AssertionError("the edit was not saved in time")


async def pdf_text(client: httpx.AsyncClient, owner: Caller, book_id: str) -> str:
    answer = await client.get(f"/api/books/{book_id}/pdf", headers=owner.headers)
    assert answer.status_code == 200
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(answer.content)).pages)


def edit_runs(book_id: str) -> list[Any]:
    return list_runs(get_settings().db_url, subject=book_id, workflow=names.EDIT_PAGE)


async def test_a_hand_edit_is_screened_stored_and_printed(client: httpx.AsyncClient, alice: Caller,
                                                          bob: Caller) -> None:
    book_id = await finished(client, alice)
    before = (await client.get(f"/api/books/{book_id}", headers=alice.headers)).json()
    original = before["pages"][1]["text"]
    pdf_before = (await client.get(f"/api/books/{book_id}/pdf", headers=alice.headers)).content
    url = f"/api/books/{book_id}/pages/2/text"

    # refusals: nothing changes, nothing starts
    declined = await client.post(url, headers=alice.headers, json={"text": "Pip found a gun under the bed."})
    assert declined.status_code == 422, declined.text
    assert (declined.json()["error"]["code"], declined.json()["error"]["field"]) == ("unsuitable", "text")
    too_long = await client.post(url, headers=alice.headers, json={"text": "Pip ran. " * 80})
    assert too_long.status_code == 422 and too_long.json()["error"]["field"] == "text"
    unprintable = await client.post(url, headers=alice.headers, json={"text": "Pip said 你好 to the moon."})
    assert unprintable.status_code == 422 and "你" in unprintable.json()["error"]["message"]
    blank = await client.post(url, headers=alice.headers, json={"text": "   "})
    assert blank.status_code == 422 and blank.json()["error"]["field"] == "text"
    same = await client.post(url, headers=alice.headers, json={"text": original})
    assert same.status_code == 422
    assert (await client.post(url, headers=bob.headers, json={"text": "Pip waved."})).status_code == 404
    assert (await client.get(f"/api/books/{book_id}", headers=alice.headers)).json()["pages"] == before["pages"]
    assert (await client.get(f"/api/books/{book_id}/pdf", headers=alice.headers)).content == pdf_before
    assert edit_runs(book_id) == []

    # the edit: stored, the words before kept, the PDF rebuilt with the new words
    new_words = "Pip counted seven silver snails beside the garden gate."
    answer = await client.post(url, headers=alice.headers, json={"text": new_words})
    assert answer.status_code == 202 and answer.json()["status"] == "saving", answer.text
    book = await saved(client, alice, book_id)
    page = book["pages"][1]
    assert page["text"] == new_words and page["text_before_edit"] == original
    assert [p["text"] for p in book["pages"][2:]] == [p["text"] for p in before["pages"][2:]]
    printed = await pdf_text(client, alice, book_id)
    assert "seven silver snails" in printed
    assert " ".join(original.split())[:40] not in printed

    # the next edit keeps only the words just before it
    second = "Pip counted eight silver snails beside the garden gate."
    assert (await client.post(url, headers=alice.headers, json={"text": second})).status_code == 202
    page = (await saved(client, alice, book_id))["pages"][1]
    assert (page["text"], page["text_before_edit"]) == (second, new_words)
    assert "eight silver snails" in await pdf_text(client, alice, book_id)
    assert [run.status.value for run in edit_runs(book_id)] == ["completed", "completed"]


async def test_an_unfinished_book_cannot_be_edited(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id = (await client.post("/api/books", headers=alice.headers, json={})).json()["id"]
    answer = await client.post(f"/api/books/{book_id}/pages/1/text", headers=alice.headers, json={"text": "Hi."})
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "wrong_phase"
