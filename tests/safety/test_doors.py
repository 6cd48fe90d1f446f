"""Doors with no writer to ask screen with the same list: a note for a page redone, and hand edits
(issue 18 calls `check_for_book`). Refused with a plain sentence, close ideas, and nothing changed."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import select

from bookbug.db import Book, RenderedPage, session_scope
from bookbug.engine import list_runs
from bookbug.services import suitability
from bookbug.errors import NotFound, Unsuitable
from bookbug.settings import get_settings
from bookbug.story import AgeRange, Brief
from tests.api.conftest import Caller
from tests.support.api import finished_book


def aged(book_id: str, youngest: int) -> None:
    with session_scope() as session:
        session.get(Book, book_id).brief = Brief(age_range=AgeRange(min=youngest, max=youngest)).model_dump(mode="json")


async def test_an_unsuitable_redo_note_is_refused_with_ideas_and_nothing_starts(client: httpx.AsyncClient,
                                                                               alice: Caller) -> None:
    book_id = finished_book(alice)
    answer = await client.post(f"/api/books/{book_id}/pages/1/redo", headers=alice.headers,
                               json={"note": "make the dragon eat the villagers"})
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert (error["code"], error["field"], error["concern"]) == ("unsuitable", "note", "violence")
    assert "leave out" in error["message"] and len(error["suggestions"]) == 3
    assert not [run for run in list_runs(get_settings().db_url) if run.subject == book_id]
    with session_scope() as session:
        page = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id)).one()
    assert page.redo_count == 0


async def test_a_harmless_note_that_looks_alarming_is_taken(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id = finished_book(alice)
    answer = await client.post(f"/api/books/{book_id}/pages/1/redo", headers=alice.headers,
                               json={"note": "add a killer whale and a water gun"})
    assert answer.status_code == 202, answer.text


@pytest.mark.parametrize(("youngest", "text", "refused"), [
    (4, "Pip tiptoed into the spooky haunted house.", True),
    (8, "Pip tiptoed into the spooky haunted house.", False),
    (8, "Pip found a gun under the bed.", True),
    (3, "Pip shared a blood orange with the killer whale.", False),
])
def test_hand_edits_are_screened_for_the_books_own_readers(alice: Caller, youngest: int, text: str,
                                                           refused: bool) -> None:
    book_id = finished_book(alice, store=False)
    aged(book_id, youngest)
    if refused:
        with pytest.raises(Unsuitable) as caught:
            suitability.check_for_book(alice.user_id, book_id, text, what="the page's words")
        assert "please change the page's words" in caught.value.message
    else:
        suitability.check_for_book(alice.user_id, book_id, text)


def test_someone_elses_book_is_not_found_before_anything_is_screened(alice: Caller, bob: Caller) -> None:
    book_id = finished_book(alice, store=False)
    with pytest.raises(NotFound):
        suitability.check_for_book(bob.user_id, book_id, "a gentle walk")
