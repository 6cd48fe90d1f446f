"""Which stored file a file route serves, for the book's owner (or a live share link) only.

The service views hand out app routes for images and the PDF (never storage keys or bucket
URLs); this resolves such a route back to its storage key after the same ownership check
every other door makes. The REST routes serve what it finds; the data export reuses StoredFile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from sqlmodel import select

from bookbug.db import RenderedPage, session_scope
from bookbug.providers.storage import FileMissing, InvalidKey, get_storage
from bookbug.publishing.screen_sizes import ScreenSize, sized_copy, sized_key
from bookbug.services.owned import owned_book
from bookbug.services.sharing import accepted_page, shared_book_row
from bookbug.errors import NoSuchFile
from bookbug.views import previous_version


@dataclass(frozen=True)
class StoredFile:
    key: str
    filename: str  # what a download is saved as
    version: int | None = None


def _slug(title: str, fallback: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (title or "").lower()).strip("-")[:60]
    return slug or fallback


def _whole_book_file(user_id: str, book_id: str, kind: Literal["pdf", "epub"], name: str) -> StoredFile:
    with session_scope() as session:
        book = owned_book(session, user_id, book_id)
        key = book.pdf_key if kind == "pdf" else book.epub_key
        if not key:
            raise NoSuchFile(f"This book has no {name} yet; it is made when every page is done.")
        return StoredFile(key, _slug(book.title, f"bookbug-{book.id}") + f".{kind}")


def pdf_file(user_id: str, book_id: str) -> StoredFile:
    return _whole_book_file(user_id, book_id, "pdf", "PDF")


def epub_file(user_id: str, book_id: str) -> StoredFile:
    return _whole_book_file(user_id, book_id, "epub", "e-book")


def audio_file(user_id: str, book_id: str, number: int) -> StoredFile:
    """The voice reading the page, while it still reads the page's words."""
    with session_scope() as session:
        owned_book(session, user_id, book_id)
        page = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id,
                                                       RenderedPage.page_number == number)).first()
        told = (page.narration or {}) if page is not None else {}
        if page is None or not told.get("key") or told.get("text") != page.text:
            raise NoSuchFile(f"Page {number} has no narration yet.")
        return StoredFile(str(told["key"]), f"page-{number}.mp3")


def cover_file(user_id: str, book_id: str) -> StoredFile:
    with session_scope() as session:
        book = owned_book(session, user_id, book_id)
        if not book.cover_key:
            raise NoSuchFile("This book has no cover yet.")
        return StoredFile(book.cover_key, f"cover-{book.id}")


def page_file(user_id: str, book_id: str, number: int, version: int | None = None) -> StoredFile:
    """The page's picture; while a redone version waits for a decision, `version` may name the old one."""
    with session_scope() as session:
        owned_book(session, user_id, book_id)
        page = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id,
                                                       RenderedPage.page_number == number)).first()
        if page is None:
            raise NoSuchFile(f"Page {number} has no picture yet.")
        old = previous_version(page)
        if version is not None and old is not None and version == old and page.previous_key:
            return StoredFile(page.previous_key, f"page-{number}", old)
        return StoredFile(page.storage_key, f"page-{number}", page.version)


def character_file(user_id: str, book_id: str, index: int) -> StoredFile:
    with session_scope() as session:
        book = owned_book(session, user_id, book_id)
        sheets = book.characters or []  # indexed like the view's image URLs: by position in the list
        sheet = sheets[index] if 0 <= index < len(sheets) else None
        key = sheet.get("sheet_key") if isinstance(sheet, dict) else None
        if not key:
            raise NoSuchFile("That character has no sheet yet.")
        return StoredFile(str(key), f"character-{index}")


def sized(file: StoredFile, size: ScreenSize | None) -> StoredFile:
    """The picture's copy for `size` (made and stored on first request), or the file itself for None."""
    if size is None:
        return file
    storage = get_storage()
    key = sized_key(file.key, size)
    try:
        if not storage.exists(key):
            # two first requests at once both make it: the same bytes, written twice
            storage.put(key, sized_copy(storage.get(file.key), size), "image/jpeg")
    except (FileMissing, InvalidKey):
        raise NoSuchFile("That file is missing from storage.") from None
    return StoredFile(key, f"{file.filename}-{size.value}", file.version)


# -- through a share link: the same files, found from the link's token (checked every time) ----

def shared_pdf_file(token: str) -> StoredFile:
    with session_scope() as session:
        book = shared_book_row(session, token)
        if not book.pdf_key:
            raise NoSuchFile("This book has no PDF.")
        return StoredFile(book.pdf_key, _slug(book.title, f"bookbug-{book.id}") + ".pdf")


def shared_cover_file(token: str) -> StoredFile:
    with session_scope() as session:
        book = shared_book_row(session, token)
        if not book.cover_key:
            raise NoSuchFile("This book has no cover.")
        return StoredFile(book.cover_key, "cover")


def shared_page_file(token: str, number: int) -> StoredFile:
    """The page's picture as its owner last accepted it (never a redo still waiting for a choice)."""
    with session_scope() as session:
        book = shared_book_row(session, token)
        page = session.exec(select(RenderedPage).where(RenderedPage.book_id == book.id,
                                                       RenderedPage.page_number == number)).first()
        if page is None:
            raise NoSuchFile(f"Page {number} has no picture.")
        key, _, version = accepted_page(page)
        return StoredFile(key, f"page-{number}", version)
