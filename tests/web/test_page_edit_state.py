"""Editing a page's words from the reader: the form starts from the page's words, declined words
change nothing and say why, kept words reach the page and the PDF, and only the owner edits."""

from __future__ import annotations

from collections.abc import Callable

from bookbug.engine import Engine
from bookbug.services import books
from bookbug.state.book import BookState
from tests.web.conftest import Viewer, build_state, call, make_book, wait_until
from tests.workflows.conversation import wait_for_status


async def test_the_owner_edits_a_pages_words_and_declined_words_change_nothing(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    owner, stranger = make_viewer("owner"), make_viewer("stranger")
    book_id = await make_book(owner)
    assert (await wait_for_status(owner.user_id, book_id)).status == "complete"
    state = build_state(BookState, token=owner.token, path=f"/books/{book_id}")
    await call(state, "load_book")
    await call(state, "next_page")
    original = state.reader_page.text

    await call(state, "open_edit")
    assert state.edit_form_open and state.edit_text == original

    await call(state, "save_edit", {"text": "Then the dragon ate the villagers."})
    assert "the new words" in state.edit_notice and state.edit_form_open
    assert books.get_book(owner.user_id, book_id).pages[1].text == original

    words = "Pip tiptoed past the sleepy garden gnomes."
    await call(state, "save_edit", {"text": words})
    assert state.edit_notice == "" and not state.edit_form_open
    detail = await wait_until(lambda: (b := books.get_book(owner.user_id, book_id)).edit is None
                              and b.pages[1].text == words and b, 60, "the edit saved")
    assert detail.pages[1].text_before_edit == original

    theirs = build_state(BookState, token=stranger.token, path=f"/books/{book_id}")
    await call(theirs, "load_book")
    assert theirs.not_found
    theirs.view_book_id, theirs.status, theirs.pages, theirs.edit_form_open = book_id, "complete", state.pages, True
    await call(theirs, "save_edit", {"text": "Pip went home."})
    assert "not found" in theirs.edit_notice
    assert books.get_book(owner.user_id, book_id).pages[1].text == words
