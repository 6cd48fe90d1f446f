"""Redo one page: a new version beside the old until the user decides; nothing else changes."""

from __future__ import annotations

import pytest

from bookbug.db import Book, RenderedPage, session_scope
from bookbug.providers.storage import get_storage
from bookbug.services import books
from bookbug.services.errors import WrongPhase
from sqlmodel import select
from tests.conftest import make_user
from tests.workflows.conversation import answer_intake, wait_for_status, wait_until


def page_rows(book_id: str) -> dict[int, RenderedPage]:
    with session_scope() as session:
        return {p.page_number: p for p in session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id))}


async def finished_book(user_id: str) -> str:
    summary = await books.create_book(user_id, page_count=8)
    await answer_intake(user_id, summary.id)
    await books.approve(user_id, summary.id)
    book = await wait_for_status(user_id, summary.id)
    assert book.status == "complete", book.error
    return summary.id


async def test_redoing_a_page_keeps_the_old_version_until_the_new_one_is_accepted(book_backend) -> None:
    user = make_user()
    book_id = await finished_book(user.id)
    before = page_rows(book_id)
    with session_scope() as session:
        sheets_before = session.get(Book, book_id).characters
        pdf_key = session.get(Book, book_id).pdf_key
    pdf_before = get_storage().get(pdf_key)

    await books.redo_page(user.id, book_id, 3, rewrite_text=True, note="make Mia laugh")
    pending = await wait_until(lambda: (row := page_rows(book_id)[3]).previous_key and row, what="the new version")
    assert pending.version == 2 and pending.previous_key == before[3].storage_key
    assert get_storage().exists(before[3].storage_key), "the old picture is kept until a decision"
    with pytest.raises(WrongPhase):
        await books.redo_page(user.id, book_id, 3)

    await books.decide_page(user.id, book_id, 3, keep="new")
    settled = await wait_until(lambda: (row := page_rows(book_id)[3]).previous_key is None and row, what="settling")
    assert settled.storage_key != before[3].storage_key
    assert not get_storage().exists(before[3].storage_key)
    after = page_rows(book_id)
    for number in before:
        if number != 3:
            assert after[number].storage_key == before[number].storage_key
            assert after[number].text == before[number].text
    with session_scope() as session:
        assert session.get(Book, book_id).characters == sheets_before
    await wait_until(lambda: get_storage().get(pdf_key) != pdf_before, what="the rebuilt PDF")


async def test_going_back_restores_the_old_page_exactly(book_backend) -> None:
    user = make_user()
    book_id = await finished_book(user.id)
    before = page_rows(book_id)[5]
    await books.redo_page(user.id, book_id, 5)
    await wait_until(lambda: page_rows(book_id)[5].previous_key, what="the new version")
    new_key = page_rows(book_id)[5].storage_key
    await books.decide_page(user.id, book_id, 5, keep="old")
    restored = await wait_until(lambda: (row := page_rows(book_id)[5]).previous_key is None and row, what="going back")
    assert (restored.storage_key, restored.text, restored.version) == (before.storage_key, before.text, before.version)
    assert not get_storage().exists(new_key)
