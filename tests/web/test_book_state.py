"""The book page's state: live progress from the engine's events, the reader, cancel, not found."""

from __future__ import annotations

from collections.abc import Callable

from bookbug.engine import Engine
from bookbug.services import books
from bookbug.state.book import BookState, stage_words
from bookbug.state.live import book_updates
from tests.web.conftest import Viewer, build_state, call, make_book, redirect_target


async def test_a_book_being_made_streams_its_pages_then_opens_in_the_reader(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    book_id = await make_book(viewer)
    state = build_state(BookState, token=viewer.token, path=f"/books/{book_id}")
    await call(state, "load_book")
    kinds: list[str] = []
    async for _, event in book_updates(viewer.user_id, [book_id], idle=30):
        assert event is not None, "no event for 30 s while the book was being made"
        kinds.append(event.event)
        state._apply_progress(event.data)
    assert "page" in kinds and kinds[-1] == "complete"
    detail = books.get_book(viewer.user_id, book_id)
    state._apply(detail, book_id)
    assert state.complete and state.percent == 100 and state.pdf_url == f"/api/books/{book_id}/pdf"
    assert len(state.pages) == detail.page_count == state.total_pages

    # once finished, a new viewer's stream ends at once instead of waiting forever
    events = [event async for _, event in book_updates(viewer.user_id, [book_id], idle=5)]
    assert [e.event for e in events if e is not None] == ["complete"]

    # and the page opens on the reader, which turns pages within the book
    reader = build_state(BookState, token=viewer.token, path=f"/books/{book_id}")
    assert await call(reader, "load_book") is None  # nothing left to watch
    assert reader.complete and reader.at_first and reader.reader_page.number == 1
    await call(reader, "previous_page")
    assert reader.reader_index == 0
    for _ in range(len(reader.pages) + 3):
        await call(reader, "next_page")
    assert reader.at_last and reader.reader_page.number == len(reader.pages)
    assert reader.reader_label == f"{len(reader.pages)} / {len(reader.pages)}"
    assert reader.reader_page.image_url.startswith(f"/api/books/{book_id}/pages/")


async def test_cancelling_a_book_in_flight_stops_it(engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    book_id = await make_book(viewer, approve=False)
    state = build_state(BookState, token=viewer.token, path=f"/books/{book_id}")
    await call(state, "load_book")
    assert state.in_flight
    await call(state, "cancel_book")
    assert state.status == "cancelled" and not state.in_flight and state.notice == ""
    await call(state, "cancel_book")
    assert state.notice == "This book has nothing in progress to cancel."


async def test_someone_elses_book_is_not_found_like_a_missing_one(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    owner, stranger = make_viewer("mia"), make_viewer("leo")
    book = await books.create_book(owner.user_id)
    for path in (f"/books/{book.id}", "/books/nope"):
        state = build_state(BookState, token=stranger.token, path=path)
        assert await call(state, "load_book") is None
        assert state.not_found and state.title == "" and state.pages == []
        await call(state, "cancel_book")
        assert state.notice == "That book was not found."


async def test_a_signed_out_visitor_is_sent_to_sign_in(engine: Engine) -> None:
    state = build_state(BookState, path="/books/anything")
    assert redirect_target(await call(state, "load_book")) == "/login?next=%2Fbooks%2Fanything"


def test_stages_are_named_in_plain_words() -> None:
    assert stage_words("prose") == "Writing the pages" and stage_words("") == "Getting started"
