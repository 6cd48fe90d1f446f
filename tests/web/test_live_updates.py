"""The pages' background tasks: events copied into state, one task per viewer, ending on time."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import reflex as rx
from reflex.istate.data import RouterData
from reflex_base.registry import RegistrationContext

from bookbug.engine import Engine
from bookbug.services import books
from bookbug.state import book as book_state
from bookbug.state import chat as chat_state
from bookbug.state import presence
from bookbug.state.book import BookState
from bookbug.state.chat import ChatState
from bookbug.state.gallery import GalleryState
from tests.web.conftest import Viewer, build_state, call, converse_to_plot, make_book, visit, wait_until


@pytest.fixture(autouse=True)
def _quick_ticks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat_state, "IDLE_SECONDS", 0.2)
    monkeypatch.setattr(book_state, "IDLE_SECONDS", 0.2)
    monkeypatch.setattr(presence, "CHECK_SECONDS", 0.2)  # in the app: 1 s and 3 s
    monkeypatch.setattr(presence, "GRACE_SECONDS", 1.0)


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


# -- a closed tab ----------------------------------------------------------------------------------
# A served app keeps its connected tabs in its socket namespace: Socket.IO calls the namespace's
# link_token_to_sid on connect and on_disconnect when the tab's socket closes. These tests call
# the same two methods of a real Reflex app's namespace; only the socket transport is left out.

@pytest.fixture
def sockets() -> Iterator[Any]:
    """A real rx.App (in its own registration context, as Reflex's docs advise for a second app)."""
    context = RegistrationContext.get().fork()
    reset = RegistrationContext.set(context)
    try:
        yield rx.App().event_namespace
    finally:
        RegistrationContext.reset(reset)


def open_tab(state: Any, path: str) -> str:
    """The state as a connected tab sees it: its router carries the tab's client token."""
    tab = str(uuid.uuid4())
    state.router = RouterData.from_router_data({"pathname": path, "asPath": path, "token": tab,
                                                "headers": dict(state.router.headers.raw_headers)})
    return tab


WATCHERS = {
    "book page": (BookState, "/books/{id}", "load_book", "watch_book"),
    "gallery": (GalleryState, "/books", "load_gallery", "watch_gallery"),
    "conversation": (ChatState, "/create/{id}", "load_conversation", "watch_conversation"),
}


async def start_watching(page: str, viewer: Viewer, book_id: str, sockets: Any) -> tuple[Any, str, asyncio.Task]:
    cls, route, load, watch = WATCHERS[page]
    path = route.format(id=book_id)
    state = build_state(cls, token=viewer.token, path=path)
    tab = open_tab(state, path)
    await sockets.link_token_to_sid("sid-1", tab, update_state=False)
    assert await call(state, load) == getattr(cls, watch)
    watcher = asyncio.create_task(getattr(cls, watch).fn(state))
    await wait_until(lambda: state._watching, 5, "the watcher to start")
    return state, tab, watcher


@pytest.mark.parametrize("page", list(WATCHERS))
async def test_closing_the_tab_ends_its_live_task_within_a_few_seconds(
        engine: Engine, make_viewer: Callable[[str], Viewer], sockets: Any, page: str) -> None:
    viewer = make_viewer("mia")
    book_id = await make_book(viewer, approve=False)  # the plot waits for the user: nothing will happen
    state, tab, watcher = await start_watching(page, viewer, book_id, sockets)

    await asyncio.sleep(presence.GRACE_SECONDS + 2 * presence.CHECK_SECONDS)
    assert not watcher.done(), "an open tab keeps its task"

    await sockets.on_disconnect("sid-1")  # the tab is closed
    assert await presence.connected(tab) is False
    await asyncio.wait_for(watcher, presence.GRACE_SECONDS + 3 * presence.CHECK_SECONDS)
    assert not state._watching
    assert books.get_book(viewer.user_id, book_id).status == "plot", "it ended for the tab, not the book"


async def test_a_reload_keeps_the_task_until_the_viewer_goes_elsewhere(
        engine: Engine, make_viewer: Callable[[str], Viewer], sockets: Any) -> None:
    viewer = make_viewer("mia")
    book_id = await make_book(viewer, approve=False)
    state, tab, watcher = await start_watching("book page", viewer, book_id, sockets)

    await sockets.on_disconnect("sid-1")  # a reload: the socket drops and the same tab comes back
    await asyncio.sleep(2 * presence.CHECK_SECONDS)  # a check sees it missing, for less than the grace
    await sockets.link_token_to_sid("sid-2", tab, update_state=False)
    await asyncio.sleep(presence.GRACE_SECONDS + 2 * presence.CHECK_SECONDS)
    assert not watcher.done(), "a reload within the grace keeps the task"

    visit(state, "/books")  # it still ends when the viewer goes elsewhere
    await asyncio.wait_for(watcher, 5)
    assert state._watching == ""


async def test_without_a_socket_server_the_presence_check_never_ends_a_task() -> None:
    # states built outside a served app (these tests, a script) have nobody to ask
    assert await presence.connected(str(uuid.uuid4())) is None
    check = asyncio.create_task(presence.gone(str(uuid.uuid4())))
    await asyncio.sleep(presence.CHECK_SECONDS * 1.5)
    assert not check.done()
    check.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await check
