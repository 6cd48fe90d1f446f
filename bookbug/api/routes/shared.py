"""What a share link opens, for anyone holding it and no account: the public reader page, the
book's words and picture addresses, its pictures and its PDF. Read-only, no chat, no cost.

Every request checks the link again, so a revoked or expired link is 404 at once, with the
same answer as a link that never existed. Files are never cached for long (a revoked link
must stop working in the browser that had it too).
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, Response

from bookbug.api import shared_page
from bookbug.services import book_files
from bookbug.api.routes.files import FILE_RESPONSES, serve
from bookbug.api.schemas import ErrorResponse, PageNumber
from bookbug.services import sharing
from bookbug.services.sharing import SharedBook
from bookbug.settings import get_settings

router = APIRouter(tags=["shared"])

LINK_ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorResponse, "description": "No such link, or it was revoked or has expired (they look the same)."},
}
Token = Path(max_length=100, description="the link's token")
NO_STORE = "no-store"


@router.get("/shared/{token}", response_class=HTMLResponse, responses=LINK_ERRORS)
async def reader(token: str = Token) -> HTMLResponse:
    """The public reader: every page's picture and words, with the book's title and cover for
    link previews (Open Graph)."""
    book = await asyncio.to_thread(sharing.shared_book, token)
    html = shared_page.render(book, token, base_url=get_settings().app_url.rstrip("/"), lang=book.language)
    return HTMLResponse(html, headers={"Cache-Control": NO_STORE})


@router.get("/api/shared/{token}", response_model=SharedBook, responses=LINK_ERRORS)
async def shared_book(token: str = Token) -> SharedBook:
    """The shared book's title, words and picture addresses."""
    return await asyncio.to_thread(sharing.shared_book, token)


@router.get("/api/shared/{token}/cover", responses={**FILE_RESPONSES, **LINK_ERRORS}, response_class=Response)
async def cover(token: str = Token) -> Response:
    file = await asyncio.to_thread(book_files.shared_cover_file, token)
    return await asyncio.to_thread(serve, file, cache=NO_STORE)


@router.get("/api/shared/{token}/pages/{number}/image", responses={**FILE_RESPONSES, **LINK_ERRORS},
            response_class=Response)
async def page_image(number: PageNumber, token: str = Token) -> Response:
    file = await asyncio.to_thread(book_files.shared_page_file, token, number)
    return await asyncio.to_thread(serve, file, cache=NO_STORE)


@router.get("/api/shared/{token}/pdf", responses={**FILE_RESPONSES, **LINK_ERRORS}, response_class=Response)
async def pdf(token: str = Token) -> Response:
    file = await asyncio.to_thread(book_files.shared_pdf_file, token)
    return await asyncio.to_thread(serve, file, attachment=True, cache=NO_STORE)
