"""Redoing one page from the reader: the form's checks, the new version arriving live beside
the old one, keeping either, and nobody acting on someone else's book."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlmodel import select

from bookbug.db import session_scope
from bookbug.engine import RunView, list_runs
from bookbug.engine.tables import Event
from bookbug.settings import get_settings
from bookbug.engine import Engine
from bookbug.providers.images import OfflineIllustrator
from bookbug.resilience.errors import FatalError
from bookbug.services import books
from bookbug.services.progress import to_book_event
from bookbug.state import book as book_state
from bookbug.state.book import BookState
from bookbug.state.page_redo import reader_mode
from bookbug.state.redo_form import RedoFormState
from bookbug.state.rows import PageRow
from bookbug.workflows import names
from tests.web.conftest import Viewer, build_state, call, make_book, wait_until, watching
from tests.workflows.conversation import wait_for_status


@pytest.fixture(autouse=True)
def _no_idle_reloads(monkeypatch: pytest.MonkeyPatch) -> None:
    # no quiet-time re-read of the database: whatever reaches the page arrives as an event
    monkeypatch.setattr(book_state, "IDLE_SECONDS", 600.0)


def redo_runs(book_id: str) -> list[RunView]:
    return list_runs(get_settings().db_url, subject=book_id, workflow=names.REDO_PAGE)


def redo_events() -> int:
    with session_scope() as session:
        return len(session.exec(select(Event.id).where(Event.name == names.PAGE_REDO)).all())


async def complete_book(viewer: Viewer) -> str:
    book_id = await make_book(viewer)
    book = await wait_for_status(viewer.user_id, book_id)
    assert book.status == "complete", book.error
    return book_id


def redo_form(state: BookState) -> RedoFormState:
    """The reader's redo form: a substate of the book page, in the same tab's state tree."""
    return state._get_root_state().get_substate(RedoFormState.get_full_name().split("."))  # type: ignore[return-value]


def reader_on(viewer: Viewer, book_id: str, *, status: str = "complete") -> BookState:
    """A reader whose screen says the book is complete with one page (as a stale tab might)."""
    state = build_state(BookState, token=viewer.token, path=f"/books/{book_id}")
    state.view_book_id, state.status = book_id, status
    state.pages = [PageRow(number=1, text="Once upon a time.", image_url=f"/api/books/{book_id}/pages/1/image?v=1")]
    return state


async def test_a_redone_page_arrives_live_beside_the_old_one_and_keep_new_or_old_updates_the_reader(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    book_id = await complete_book(viewer)
    state = build_state(BookState, token=viewer.token, path=f"/books/{book_id}")
    form = redo_form(state)
    assert await call(state, "load_book") is None  # a finished book: nothing to watch
    stale_tab = build_state(BookState, token=viewer.token, path=f"/books/{book_id}")
    await call(stale_tab, "load_book")

    await call(state, "open_page", 1)
    before = state.reader_page
    assert form.can_redo and before.number == 2 and not before.pending
    await call(form, "open_redo")
    assert form.redo_form_open
    started = await call(form, "start_redo", {"note": "  make Mia laugh ", "rewrite": "on"})
    assert started == BookState.watch_book
    assert not form.redo_form_open and form.redo_notice == ""
    assert state.redo_phase in ("drawing", "deciding") and not form.can_redo
    [run] = redo_runs(book_id)
    assert (run.event_data or {})["page"] == 2
    assert (run.event_data or {})["rewrite_text"] is True and (run.event_data or {})["note"] == "make Mia laugh"
    # the echo of a double click finds the form sent and starts nothing more
    assert await call(form, "start_redo", {"note": "", "rewrite": "on"}) is None
    assert len(redo_runs(book_id)) == 1 and form.redo_notice == ""

    watcher = watching(BookState.watch_book, state)
    await wait_until(lambda: state.reader_mode == "deciding", 60, "the new version, live")
    pending = state.reader_page
    assert pending.pending and pending.previous_text == before.text
    assert pending.previous_image_url == before.image_url and pending.image_url.endswith("?v=2&size=screen")
    assert state.redo_elsewhere == ""

    # another tab, loaded before the redo, still offers it: the service refuses, in plain words
    await call(redo_form(stale_tab), "open_redo")
    await call(redo_form(stale_tab), "start_redo", {"note": ""})
    assert redo_form(stale_tab).redo_notice == "Page 2 has a new version waiting: keep it or go back first."
    assert len(redo_runs(book_id)) == 1
    await call(state, "open_page", 0)
    assert state.redo_elsewhere == "Page 2 has a new version waiting for your choice."
    await call(state, "open_page_number", state.redo_elsewhere_page)
    assert state.reader_page.number == 2

    await call(form, "keep_version", "new")
    assert form.redo_notice == "" and state.reader_mode in ("saving", "")
    await call(form, "keep_version", "old")  # the echo of a double click changes nothing
    assert form.redo_notice == ""
    await asyncio.wait_for(watcher, 60)  # ends by itself once the redo is settled and the PDF rebuilt
    kept = state.reader_page
    assert not kept.pending and kept.image_url == pending.image_url and kept.text == pending.text
    assert state.redo_phase == "" and not state.pdf_rebuilding and form.can_redo and state._watching == ""

    # going back: page 3 redone (the picture only), then the old one kept
    await call(state, "open_page", 2)
    old = state.reader_page
    await call(form, "open_redo")
    assert await call(form, "start_redo", {"note": ""}) == BookState.watch_book
    watcher = watching(BookState.watch_book, state)
    await wait_until(lambda: state.reader_mode == "deciding", 60, "page 3's new version, live")
    assert state.reader_page.image_url.endswith("?v=2&size=screen")
    await call(form, "keep_version", "old")
    await asyncio.wait_for(watcher, 60)
    assert state.reader_page == old and state.redo_phase == "" and form.can_redo
    assert sorted(r.status for r in redo_runs(book_id)) == ["completed", "completed"]


async def test_a_blank_or_too_long_note_gets_a_message_and_starts_nothing(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    book = await books.create_book(viewer.user_id)
    # a book that is not complete makes the service refuse with another sentence, so each
    # message below can only come from the note's own check
    state = reader_on(viewer, book.id)
    form = redo_form(state)
    await call(form, "open_redo")
    refusals = {
        "   ": "The note is blank: write what should change, or leave it empty.",
        "x" * 501: "A note for the page can be at most 500 characters; this one has 501.",
    }
    for note, message in refusals.items():
        await call(form, "start_redo", {"note": note, "rewrite": "on"})
        assert form.redo_notice == message
    assert form.redo_form_open and redo_events() == 0 and redo_runs(book.id) == []

    await call(form, "set_redo_note", "shorter")
    assert form.redo_notice == "" and form.redo_note_length == 7
    # a fine form, the note for the picture alone (the box is not ticked): now the service has its say
    await call(form, "start_redo", {"note": "make Mia laugh"})
    assert form.redo_notice == "Pages can be redone once the book is complete." and redo_events() == 0


async def test_a_failed_redo_says_why_until_the_viewer_dismisses_it_or_redoes_the_page_again(
        engine: Engine, make_viewer: Callable[[str], Viewer], monkeypatch: pytest.MonkeyPatch) -> None:
    viewer = make_viewer("mia")
    book_id = await complete_book(viewer)
    state = build_state(BookState, token=viewer.token, path=f"/books/{book_id}")
    form = redo_form(state)
    await call(state, "load_book")
    await call(state, "open_page", 3)
    before = state.reader_page

    async def refuse(self, request):  # type: ignore[no-untyped-def]
        raise FatalError("Replicate refused to start the model: 401 Unauthorized", service="replicate", status=401)

    with monkeypatch.context() as patched:
        patched.setattr(OfflineIllustrator, "start", refuse)
        for attempt in (1, 2):
            await call(form, "open_redo")
            assert await call(form, "start_redo", {"note": "a kite in the sky"}) == BookState.watch_book
            assert state.redo_failure == ""  # starting again put the last failure away
            watcher = watching(BookState.watch_book, state)
            await wait_until(lambda: state.reader_mode == "failed", 60, f"failure {attempt}, live")
            await asyncio.wait_for(watcher, 60)
            assert state.redo_failure == ("Redrawing page 4 did not work: a service we rely on refused our key, and the people "
                   "who run Bookbug need to fix that. The page stays as it was; you can try again.")
            assert state.reader_page == before and form.can_redo and state.redo_elsewhere == ""
            if attempt == 1:
                await call(form, "dismiss_redo_failure")
                assert state.reader_mode == "" and state.redo_failure == "" and state.redo_phase == ""
                later = build_state(BookState, token=viewer.token, path=f"/books/{book_id}")
                await call(later, "load_book")
                assert later.redo_phase == ""  # put away for good, not only on this screen
    assert len(redo_runs(book_id)) == 2 and {r.status for r in redo_runs(book_id)} == {"failed"}

    # the illustrator works again: the next redo starts at once, and the message is gone
    await call(form, "open_redo")
    assert await call(form, "start_redo", {"note": ""}) == BookState.watch_book
    assert state.redo_failure == "" and state.reader_mode in ("drawing", "deciding")
    watcher = watching(BookState.watch_book, state)
    await wait_until(lambda: state.reader_mode == "deciding", 60, "the new version, live")
    await call(form, "keep_version", "new")
    await asyncio.wait_for(watcher, 60)
    assert state.reader_page.image_url.endswith("?v=4&size=screen")  # redo 3's picture: versions are never reused


async def test_someone_elses_book_is_refused_as_not_found(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    owner, stranger = make_viewer("mia"), make_viewer("leo")
    book = await books.create_book(owner.user_id)
    state = build_state(BookState, token=stranger.token, path=f"/books/{book.id}")
    form = redo_form(state)
    await call(state, "load_book")
    assert state.not_found and not form.can_redo

    # even a screen that names the owner's book acts as the signed-in viewer, never as the owner
    tampered = reader_on(stranger, book.id)
    await call(redo_form(tampered), "open_redo")
    await call(redo_form(tampered), "start_redo", {"note": ""})
    assert redo_form(tampered).redo_notice == "That book was not found."
    await call(redo_form(tampered), "keep_version", "new")
    assert redo_form(tampered).redo_notice == "That book was not found."
    assert redo_events() == 0 and redo_runs(book.id) == []


def test_a_redo_ending_reaches_the_page_as_its_own_event_never_as_the_books_end() -> None:
    message = {"id": 7, "type": "status", "workflow": names.REDO_PAGE, "status": "failed", "error": "boom"}
    event = to_book_event(message)
    assert event is not None and event.event == "redo" and not event.final
    assert event.data == {"status": "failed", "error": "boom"}
    assert to_book_event({**message, "status": "waiting"}) is None


def test_the_reader_shows_each_page_by_where_its_redo_stands() -> None:
    page = PageRow(number=2, text="new", image_url="/new", pending=True, previous_text="old",
                   previous_image_url="/old")
    other = PageRow(number=3, text="", image_url="/3")
    assert reader_mode(page, 2, "deciding") == "deciding"
    assert reader_mode(page, 2, "finishing") == "saving"
    assert reader_mode(PageRow(number=2, text="", image_url="/2"), 2, "finishing") == ""
    assert reader_mode(other, 3, "drawing") == "drawing"
    assert reader_mode(other, 3, "failed") == "failed" and reader_mode(other, 2, "failed") == ""
