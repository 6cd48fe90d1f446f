"""A book's files: page pictures and narration, the cover, character sheets, the PDF and the EPUB.

Each request is checked for ownership first. Local files are streamed from the files folder;
files on S3 / R2 are a redirect to a short-lived presigned URL, so the bytes never pass
through the app.
"""

from __future__ import annotations

import asyncio
import mimetypes
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, RedirectResponse, Response

from bookbug.services import book_files
from bookbug.services.book_files import StoredFile
from bookbug.api.deps import CurrentUser
from bookbug.errors import NoSuchFile
from bookbug.api.schemas import BOOK_ERRORS, INPUT_ERRORS, CharacterIndex, PageNumber, PageVersion
from bookbug.providers.storage import FileMissing, InvalidKey, LocalStore, get_storage
from bookbug.publishing.screen_sizes import ScreenSize
from bookbug.views import cover_tag

router = APIRouter(prefix="/api/books", tags=["files"])
# not in every system's mime.types
mimetypes.add_type("application/epub+zip", ".epub")
mimetypes.add_type("audio/mpeg", ".mp3")

FILE_RESPONSES: dict[int | str, dict[str, object]] = {
    **BOOK_ERRORS, **INPUT_ERRORS,
    200: {"description": "The file.", "content": {"image/png": {}, "image/jpeg": {}, "application/pdf": {},
                                                  "application/epub+zip": {}, "audio/mpeg": {}}},
    307: {"description": "Files on S3 / R2: a redirect to a presigned URL."},
}


def serve(file: StoredFile, *, attachment: bool = False, cache: str = "private, no-cache") -> Response:
    storage = get_storage()
    media_type = mimetypes.guess_type(file.key)[0] or "application/octet-stream"
    extension = mimetypes.guess_extension(media_type) or ""
    filename = file.filename if file.filename.endswith(extension) else file.filename + extension
    disposition = "attachment" if attachment else "inline"
    try:
        if isinstance(storage, LocalStore):
            path = storage.path_for(file.key)
            if not path.is_file():
                raise FileMissing(file.key)
            return FileResponse(path, media_type=media_type, filename=filename, content_disposition_type=disposition,
                                headers={"Cache-Control": cache})
        if storage.name == "s3":
            return RedirectResponse(storage.url_for(file.key), status_code=307, headers={"Cache-Control": "no-store"})
        return Response(storage.get(file.key), media_type=media_type,
                        headers={"Cache-Control": cache,
                                 "Content-Disposition": f'{disposition}; filename="{filename}"'})
    except (FileMissing, InvalidKey):
        raise NoSuchFile("That file is missing from storage.") from None


@router.get("/{book_id}/pdf", responses=FILE_RESPONSES, response_class=Response)
async def pdf(user: CurrentUser, book_id: str) -> Response:
    """The print-ready PDF (a download), once the book is complete."""
    file = await asyncio.to_thread(book_files.pdf_file, user.id, book_id)
    return await asyncio.to_thread(serve, file, attachment=True)


@router.get("/{book_id}/epub", responses=FILE_RESPONSES, response_class=Response)
async def epub(user: CurrentUser, book_id: str) -> Response:
    """The read-along e-book (a fixed-layout EPUB 3, narrated where the book has a voice), once complete."""
    file = await asyncio.to_thread(book_files.epub_file, user.id, book_id)
    return await asyncio.to_thread(serve, file, attachment=True)


@router.get("/{book_id}/pages/{number}/audio", responses=FILE_RESPONSES, response_class=Response)
async def page_audio(user: CurrentUser, book_id: str, number: PageNumber) -> Response:
    """The voice reading one page (MP3)."""
    file = await asyncio.to_thread(book_files.audio_file, user.id, book_id, number)
    return await asyncio.to_thread(serve, file)


FOR_GOOD = "private, max-age=31536000, immutable"
SizeQuery = Annotated[ScreenSize | None, Query(description="A smaller JPEG copy: `thumb` for cards, `screen` for "
                                                           "the reader; omit for the stored picture.")]


@router.get("/{book_id}/cover", responses=FILE_RESPONSES, response_class=Response)
async def cover(user: CurrentUser, book_id: str, c: Annotated[str | None, Query(max_length=64)] = None,
                size: SizeQuery = None) -> Response:
    """The cover. With the current `c` (its content tag, in the book's cover URL) browsers may cache it for good."""
    file = await asyncio.to_thread(book_files.cover_file, user.id, book_id)
    cache = FOR_GOOD if c is not None and c == cover_tag(file.key) else "private, no-cache"
    return await asyncio.to_thread(serve, await asyncio.to_thread(book_files.sized, file, size), cache=cache)


@router.get("/{book_id}/pages/{number}/image", responses=FILE_RESPONSES, response_class=Response)
async def page_image(user: CurrentUser, book_id: str, number: PageNumber, v: PageVersion = None,
                     size: SizeQuery = None) -> Response:
    """One page's picture. With the current `v`, browsers may cache it for good (a redo bumps it).

    While a redone page waits for a decision, the old version's `v` serves the old picture.
    """
    file = await asyncio.to_thread(book_files.page_file, user.id, book_id, number, v)
    cache = FOR_GOOD if v is not None and v == file.version else "private, no-cache"
    return await asyncio.to_thread(serve, await asyncio.to_thread(book_files.sized, file, size), cache=cache)


@router.get("/{book_id}/characters/{index}/image", responses=FILE_RESPONSES, response_class=Response)
async def character_image(user: CurrentUser, book_id: str, index: CharacterIndex) -> Response:
    """A character's reference sheet, reused in every page's illustration prompt."""
    file = await asyncio.to_thread(book_files.character_file, user.id, book_id, index)
    return await asyncio.to_thread(serve, file)
