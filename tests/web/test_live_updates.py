"""The pages' background tasks: events copied into state, one task per viewer, ending on time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from bookbug.engine import Engine
from bookbug.services import books
from bookbug.state import book as book_state
from bookbug.state import chat as chat_state
from bookbug.state.book import BookState
from bookbug.state.chat import ChatState
from tests.web.conftest import Viewer, build_state, call, converse_to_plot, make_book, visit, wait_until


@pytest.fixture(autouse=True)
def _quick_ticks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat_state, "IDLE_SECONDS", 0.2)
    monkeypatch.setattr(book_state, "IDLE_SECONDS", 0.2)


async def test_the_assistants_reply_arrives_without_reloading_and_the_task_ends_when_the_viewer_leaves(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    book = await books.create_book(viewer.user_id)
    state = build_state(ChatState, token=viewer.token, path=f"/create/{book.id}")
    assert await call(state, "load_conversation") == ChatState.watch_conversation
    watcher = asyncio.create_task(ChatState.watch_conversation.fn(state))
    await wait_until(lambda: state._watching == book.id, 5, "the watcher to start")

    # a second start for the same viewer and book returns at once instead of watching twice
    await asyncio.wait_for(ChatState.watch_conversation.fn(state), 1)
    assert not watcher.done()

    await wait_until(lambda: state.last_is_assistant, 20, "the first question, live")
    await call(state, "send_draft", {"message": "Her name is Mia and she is 5"})
    sent = state.messages[-1].turn
    await wait_until(lambda: state.last_is_assistant and state.messages[-1].turn > sent, 20, "the reply, live")

    visit(state, "/books")  # the viewer goes elsewhere
    await asyncio.wait_for(watcher, 5)
    assert state._watching == ""


async def test_pages_land_in_the_book_view_live_and_the_task_ends_with_the_book(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    book_id = await make_book(viewer, approve=False)
    state = build_state(BookState, token=viewer.token, path=f"/books/{book_id}")
    await call(state, "load_book")
    watcher = asyncio.create_task(BookState.watch_book.fn(state))
    await wait_until(lambda: state._watching == book_id, 5, "the watcher to start")
    await books.approve(viewer.user_id, book_id)
    await wait_until(lambda: state.pages, 60, "a page, live")
    assert state.status == "generating" or state.complete
    await asyncio.wait_for(watcher, 90)  # ends by itself once the book is complete
    assert state.complete and len(state.pages) == state.total_pages and state._watching == ""


async def test_a_watcher_for_a_finished_conversation_does_not_linger(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    book = await books.create_book(viewer.user_id)
    await converse_to_plot(viewer, book.id)
    await books.cancel(viewer.user_id, book.id)
    state = build_state(ChatState, token=viewer.token, path=f"/create/{book.id}")
    await state._reload(viewer.user_id, book.id)
    await asyncio.wait_for(ChatState.watch_conversation.fn(state), 5)
    assert state.book_status == "cancelled" and state._watching == ""
