"""Books: create (which starts the conversation), list, read, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response, status

from bookbug.api.deps import CurrentUser
from bookbug.api.schemas import BOOK_ERRORS, AUTH_ERRORS, INPUT_ERRORS, BookDetail, BookPage, BookSummary, CreateBook, ErrorResponse
from bookbug.services import books

router = APIRouter(prefix="/api/books", tags=["books"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=BookSummary,
             responses={**AUTH_ERRORS, **INPUT_ERRORS,
                        429: {"model": ErrorResponse, "description": "Too many new books; see Retry-After."}})
async def create_book(user: CurrentUser, response: Response,
                      body: Annotated[CreateBook | None, Body()] = None) -> BookSummary:
    """Create a book and start its workflow: Bookbug's first question arrives on the stream."""
    body = body or CreateBook()
    book = await books.create_book(user.id, format=body.format, page_count=body.page_count)
    response.headers["Location"] = f"/api/books/{book.id}"
    return book


@router.get("", response_model=BookPage, responses={**AUTH_ERRORS, **INPUT_ERRORS})
def list_books(user: CurrentUser, page: Annotated[int, Query(ge=1, le=100_000)] = 1,
               per_page: Annotated[int, Query(ge=1, le=100)] = 12) -> BookPage:
    """The caller's books, newest first."""
    return books.list_books(user.id, page=page, per_page=per_page)


@router.get("/{book_id}", response_model=BookDetail, responses=BOOK_ERRORS)
def get_book(user: CurrentUser, book_id: str) -> BookDetail:
    """One book: status, brief, plot, pages with image URLs, character sheets, the PDF link."""
    return books.get_book(user.id, book_id)


@router.delete("/{book_id}", status_code=status.HTTP_204_NO_CONTENT, responses=BOOK_ERRORS)
async def delete_book(user: CurrentUser, book_id: str) -> Response:
    """Delete a book, its conversation, pages, runs and stored files."""
    await books.delete_book(user.id, book_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
