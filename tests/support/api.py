"""REST API helpers that several test modules share: the error envelope's check, books made
through the API or straight into the database, a page's next version."""

from __future__ import annotations

import asyncio
import time

import httpx

from bookbug.db import Book, RenderedPage, session_scope
from bookbug.providers.storage import book_key, get_storage
from tests.api.book_flow import wait_for_question
from tests.api.conftest import Caller


PNG = b"\x89PNG\r\n\x1a\n" + b"page-bytes"
PDF = b"%PDF-1.7\n%fake book\n"
EPUB = b"PK\x03\x04mimetypeapplication/epub+zip"
MP3 = b"ID3\x04\x00fake voice"


def finished_book(owner: Caller, *, store: bool = True) -> str:
    """A finished book's rows (and, with `store`, its files) without running a workflow."""
    with session_scope() as session:
        book = Book(user_id=owner.user_id, title="Pip's Big Day!", status="complete")
        session.add(book)
        session.flush()
        book.pdf_key = book_key(book.id, "book.pdf")
        book.cover_key = book_key(book.id, "pages", "001.png")
        book.epub_key = book_key(book.id, "book.epub")
        audio_key = book_key(book.id, "audio", "001.mp3")
        book.characters = [{"name": "Pip", "sheet_key": book_key(book.id, "sheets", "pip.png")}, {"name": "Moon"}]
        session.add(RenderedPage(book_id=book.id, page_number=1, storage_key=book.cover_key, text="Pip woke up.",
                                 version=2, narration={"key": audio_key, "text": "Pip woke up.", "duration": 1.2,
                                                       "sentences": [{"text": "Pip woke up.", "begin": 0, "end": 1.2}]}))
        book_id = book.id
        keys = {book.pdf_key: PDF, book.cover_key: PNG, book.characters[0]["sheet_key"]: PNG, book.epub_key: EPUB,
                audio_key: MP3}
    if store:
        for key, data in keys.items():
            get_storage().put(key, data)
    return book_id


def assert_error(answer: httpx.Response, status: int, code: str, field: str | None = None) -> dict[str, object]:
    """The error envelope: this status and code, a message, and (when given) the field at fault."""
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["code"] == code
    assert error["message"]
    if field is not None:
        assert error["field"] == field
    return error


async def new_book(client: httpx.AsyncClient, caller: Caller, **body: object) -> dict[str, object]:
    answer = await client.post("/api/books", headers=caller.headers, json=body or None)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def started_book(client: httpx.AsyncClient, caller: Caller) -> tuple[str, dict[str, object]]:
    book = await new_book(client, caller)
    book_id = str(book["id"])
    return book_id, await wait_for_question(client, caller.headers, book_id)


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
