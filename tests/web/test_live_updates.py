"""The pages' background tasks: events copied into state, one task per viewer, ending on time."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from redis.asyncio import Redis
from reflex.istate.data import RouterData

from bookbug.engine import Engine
from bookbug.services import books, tab_answers
from bookbug.state import book as book_state
from bookbug.state import chat as chat_state
from bookbug.state import gallery as gallery_state
from bookbug.state import presence
from bookbug.state.book import BookState
from bookbug.state.chat import ChatState
from bookbug.state.gallery import GalleryState
from bookbug.state.live import ASK, book_updates
from tests.web.conftest import Viewer, build_state, call, converse_to_plot, make_book, visit, wait_until, watching


@pytest.fixture(autouse=True)
def _quick_ticks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat_state, "IDLE_SECONDS", 0.2)
    monkeypatch.setattr(book_state, "IDLE_SECONDS", 0.2)
    monkeypatch.setattr(presence, "CHECK_SECONDS", 0.2)  # in the app: 2 s and 8 s
    monkeypatch.setattr(presence, "LEASE_SECONDS", 1.0)


async def test_the_assistants_reply_arrives_without_reloading_and_the_task_ends_when_the_viewer_leaves(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    book = await books.create_book(viewer.user_id)
    state = build_state(ChatState, token=viewer.token, path=f"/create/{book.id}")
    assert await call(state, "load_conversation") == ChatState.watch_conversation
    watcher = watching(ChatState.watch_conversation, state)
    await wait_until(lambda: state._watching == book.id, 5, "the watcher to start")

    # a second start for the same viewer and book returns at once instead of watching twice
    await asyncio.wait_for(watching(ChatState.watch_conversation, state), 1)
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
    watcher = watching(BookState.watch_book, state)
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
    await asyncio.wait_for(watching(ChatState.watch_conversation, state), 5)
    assert state.book_status == "cancelled" and state._watching == ""


# -- a closed tab ----------------------------------------------------------------------------------
# A live task asks its tab every presence.CHECK_SECONDS whether it is still there (it yields
# presence.ask(): a script whose answer comes back as PresenceState.answer). `watching` runs the
# task as Reflex does and answers for the tab while the test says the tab is open.

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


class Tab:
    def __init__(self) -> None:
        self.open = True


async def start_watching(page: str, viewer: Viewer, book_id: str, tab: Tab) -> tuple[Any, asyncio.Task[None]]:
    cls, route, load, watch = WATCHERS[page]
    path = route.format(id=book_id)
    state = build_state(cls, token=viewer.token, path=path)
    open_tab(state, path)
    assert await call(state, load) == getattr(cls, watch)
    watcher = watching(getattr(cls, watch), state, answers=lambda: tab.open)
    await wait_until(lambda: state._watching, 5, "the watcher to start")
    return state, watcher


@pytest.mark.parametrize("page", list(WATCHERS))
async def test_closing_the_tab_ends_its_live_task_within_a_few_seconds(
        engine: Engine, make_viewer: Callable[[str], Viewer], page: str) -> None:
    viewer = make_viewer("mia")
    book_id = await make_book(viewer, approve=False)  # the plot waits for the user: nothing will happen
    tab = Tab()
    state, watcher = await start_watching(page, viewer, book_id, tab)

    await asyncio.sleep(presence.LEASE_SECONDS + 2 * presence.CHECK_SECONDS)
    assert not watcher.done(), "an open tab answers, and keeps its task"

    tab.open = False  # the tab is closed: nobody answers any more
    await asyncio.wait_for(watcher, presence.LEASE_SECONDS + 3 * presence.CHECK_SECONDS)
    assert not state._watching
    assert books.get_book(viewer.user_id, book_id).status == "plot", "it ended for the tab, not the book"


async def test_a_reload_keeps_the_task_until_the_viewer_goes_elsewhere(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    book_id = await make_book(viewer, approve=False)
    tab = Tab()
    state, watcher = await start_watching("book page", viewer, book_id, tab)

    tab.open = False  # a reload: for a moment nobody answers, then the same tab does again
    await asyncio.sleep(2 * presence.CHECK_SECONDS)  # a question or two unanswered, less than the lease
    tab.open = True
    await asyncio.sleep(presence.LEASE_SECONDS + 2 * presence.CHECK_SECONDS)
    assert not watcher.done(), "a reload within the lease keeps the task"

    visit(state, "/books")  # it still ends when the viewer goes elsewhere
    await asyncio.wait_for(watcher, 5)
    assert state._watching == ""


async def test_a_task_without_a_tab_asks_nobody_and_never_times_out(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    # states built outside a served app (these tests, a script) have no client token: nobody to ask
    viewer = make_viewer("mia")
    book_id = await make_book(viewer, approve=False)
    asked: list[Any] = []
    updates = book_updates(viewer.user_id, [book_id], idle=60.0, tab="")
    collect = asyncio.create_task(anext(updates))
    done, _ = await asyncio.wait([collect], timeout=presence.LEASE_SECONDS + 3 * presence.CHECK_SECONDS)
    asked += [task.result() for task in done]
    assert asked == [], "no tab: no question, and no end for want of an answer"
    collect.cancel()  # ends the stream too (its finally stops its helpers)
    with contextlib.suppress(asyncio.CancelledError):
        await collect


class OnlyInside:
    """A background task's `self` that, like Reflex's StateProxy, is current only inside
    `async with self`; unlike it, it notes every use outside, where a read may be stale."""

    def __init__(self, state: Any) -> None:
        object.__setattr__(self, "_state", state)
        object.__setattr__(self, "_inside", False)
        object.__setattr__(self, "outside", [])

    async def __aenter__(self) -> OnlyInside:
        object.__setattr__(self, "_inside", True)
        return self

    async def __aexit__(self, *exc: Any) -> None:
        object.__setattr__(self, "_inside", False)

    def __getattr__(self, name: str) -> Any:
        if not object.__getattribute__(self, "_inside"):
            object.__getattribute__(self, "outside").append(name)
        return getattr(object.__getattribute__(self, "_state"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        if not object.__getattribute__(self, "_inside"):
            object.__getattribute__(self, "outside").append(name)
        setattr(object.__getattribute__(self, "_state"), name, value)


async def test_the_gallery_watcher_reads_its_state_only_inside_async_with_self(
        engine: Engine, make_viewer: Callable[[str], Viewer], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gallery_state, "IDLE_SECONDS", 0.2)  # a quiet moment soon: the listing is read again
    viewer = make_viewer("mia")
    await make_book(viewer, approve=False)  # in flight: the gallery watches it
    state = build_state(GalleryState, token=viewer.token, path="/books")
    assert await call(state, "load_gallery") == GalleryState.watch_gallery
    reread = asyncio.Event()
    list_books = books.list_books

    def counted(*args: Any, **kwargs: Any) -> Any:
        reread.set()
        return list_books(*args, **kwargs)

    monkeypatch.setattr(books, "list_books", counted)
    task = OnlyInside(state)
    watcher = watching(GalleryState.watch_gallery, task)
    await asyncio.wait_for(reread.wait(), 10)  # the watcher read the listing again, for the page shown
    visit(state, "/")
    await asyncio.wait_for(watcher, 5)
    assert task.outside == [], f"read or written outside `async with self`: {task.outside}"


async def test_a_task_held_up_longer_than_the_lease_is_not_taken_for_a_closed_tab(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    # The tab answers every question at once, but the task itself stalls (a slow query, a busy
    # lock) for longer than the lease: the questions it never sent are not unanswered ones.
    viewer = make_viewer("mia")
    book_id = await make_book(viewer, approve=False)
    tab = str(uuid.uuid4())
    updates = book_updates(viewer.user_id, [book_id], idle=60.0, tab=tab)
    asks = 0
    async for _, event in updates:
        if event is ASK:
            await tab_answers.answered(tab)  # as PresenceState.answer does, in whichever app process
            asks += 1
            if asks == 2:
                await asyncio.sleep(presence.LEASE_SECONDS + 2 * presence.CHECK_SECONDS)  # the stall
            if asks == 6:
                break
    await updates.aclose()
    assert asks == 6, "the stream went on after the stall"


async def test_an_answer_handled_by_another_app_process_keeps_the_task(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    # After a reconnect a tab's answers may reach another app process than its task's: they are
    # kept in the shared Redis, not in the memory of the process that handled them.
    viewer = make_viewer("mia")
    book_id = await make_book(viewer, approve=False)
    tab = str(uuid.uuid4())
    updates = book_updates(viewer.user_id, [book_id], idle=60.0, tab=tab)
    other_process = Redis(connection_pool=engine.redis.connection_pool)  # its own client, same store
    key = f"{engine.config.key_prefix}:tab-answered:{tab}"
    asks = 0
    started = asyncio.get_running_loop().time()
    async for _, event in updates:
        if event is ASK:
            seconds, micros = await other_process.time()
            await other_process.set(key, int(seconds) * 1000 + int(micros) // 1000)
            asks += 1
            if asyncio.get_running_loop().time() - started > 2 * presence.LEASE_SECONDS + presence.CHECK_SECONDS:
                break
    await updates.aclose()
    assert asks >= 2 * presence.LEASE_SECONDS / presence.CHECK_SECONDS, "the task outlived two leases"
