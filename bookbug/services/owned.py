"""Whose a book is: every service answers only for the caller's own books, and another user's
book is `NotFound`, exactly like one that does not exist."""

from __future__ import annotations

from sqlmodel import Session, select

from bookbug.db import Book, RenderedPage
from bookbug.errors import NotFound


def owned_book(session: Session, user_id: str, book_id: str) -> Book:
    book = session.get(Book, book_id) if book_id else None
    if book is None or book.user_id != user_id:
        raise NotFound("book")
    return book


def page_row(session: Session, book_id: str, number: int) -> RenderedPage:
    row = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id,
                                                  RenderedPage.page_number == number)).first()
    if row is None:
        raise NotFound("page")
    return row
