"""A tab whose session has ended can do nothing: every handler of every page state re-checks
the session, and signs the tab out instead of reading or changing anything.

The handlers are not listed by hand: they are read from the page states themselves, so a
handler added tomorrow is checked by these tests too (and must be either checked or
deliberately public, which the first test enforces). Each ended session is the real thing:
signed out everywhere from another device, expired, or (for the operators' page) the operator
role taken away, by OPERATOR_EMAILS or by `bookbug-admin revoke`.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

import bookbug.pages  # noqa: F401 - registers every page, and so every page state
from bookbug.db import session_scope
from bookbug.engine import latest_run
from bookbug.db.accounts import UserSession
from bookbug.db.session import get_engine, utcnow
from bookbug.engine import Engine
from bookbug.components.registry import PAGES
from bookbug.providers.auth.roles import USER
from bookbug.services.accounts.api_tokens import create_api_token
from bookbug.services.accounts.operators import set_role
from bookbug.services.accounts.sessions import revoke_all_sessions
from bookbug.settings import get_settings, reset_settings
from bookbug.state.operator_settings import OperatorSettingsState
from bookbug.state.session import CHECK_SECONDS, SessionState, is_guarded, is_public
from tests.web.conftest import Viewer, build_state, call, make_book, redirect_target, watching

# The only handlers that run for a visitor without a session: the sign-in and registration
# forms, signing out, and the pages' "who is this" look-up. Adding one here is a decision.
PUBLIC = {
    ("SessionState", "load_viewer"),
    ("AuthState", "clear_error"), ("AuthState", "register"), ("AuthState", "sign_in"),
    ("AuthState", "sign_out"), ("AuthState", "leave_if_signed_in"),
    ("ClerkAuthState", "clerk_session"),
}
BUILT_IN = {"setvar"}  # Reflex's own: it only calls the state's set_* handlers (checked themselves)


def page_states(base: type[SessionState] = SessionState) -> Iterator[type[SessionState]]:
    for state in base.__subclasses__():
        yield state
        yield from page_states(state)


def all_handlers() -> list[tuple[type[SessionState], str, Any]]:
    found = [(SessionState, name, handler) for name, handler in SessionState.event_handlers.items()]
    for state in page_states():
        found += [(state, name, handler) for name, handler in state.event_handlers.items()]
    return [(state, name, handler) for state, name, handler in found if name not in BUILT_IN]


def guarded_handlers() -> list[tuple[type[SessionState], str]]:
    return [(state, name) for state, name, handler in all_handlers() if is_guarded(handler.fn)]


def test_every_handler_is_checked_unless_it_is_deliberately_public() -> None:
    assert len(all_handlers()) > 30  # the walk found the page states
    for state, name, handler in all_handlers():
        if (state.__name__, name) in PUBLIC:
            assert is_public(handler.fn), f"{state.__name__}.{name} is listed public but not marked @public"
        else:
            assert is_guarded(handler.fn), f"{state.__name__}.{name} runs without checking the session"


# -- the world a signed-in viewer had, before their session ended ------------------------------
# States with no page load of their own: shown on a page, they learn the viewer as any tab does
# and read the book from the page's path.
SHOWN_ON = {"ShareState": "/books/[book_id]"}


def load_for(state: type[SessionState]) -> tuple[str, str]:
    """The page route (with [book_id] when it has one) and on_load handler that fill `state`."""
    routes: list[tuple[str, str]] = []
    for page_state in state.__mro__:  # a substate of a page's state (the reader's redo form) loads with it
        routes = [(spec.route, spec.on_load.fn.__name__) for spec in PAGES
                  if spec.on_load is not None and spec.on_load.fn.__qualname__.split(".")[0] == page_state.__name__]
        if routes or page_state.__name__ in SHOWN_ON:
            break
    if not routes and state.__name__ in SHOWN_ON:
        return SHOWN_ON[state.__name__], "load_viewer"
    assert routes, f"no page loads {state.__name__}: say here how its handlers get their data"
    return max(routes, key=lambda route: "[book_id]" in route[0])


class World:
    def __init__(self, viewer: Viewer, book_id: str, token_id: str, run_id: str) -> None:
        self.viewer, self.book_id, self.token_id, self.run_id = viewer, book_id, token_id, run_id

    def args_for(self, state: type[SessionState], name: str) -> list[Any]:
        """Plausible arguments for a handler, by parameter name (a new name must be added here)."""
        known: dict[str, Any] = {
            "form": {"name": "laptop", "message": "Mia, age 5", "note": "make Mia laugh", "rewrite": "on",
                     "books_per_minute": "99", "page_concurrency": "9"},
            "value": "something", "chip": "Mia", "index": 0, "number": 1, "keep": "new",
            "token_id": self.token_id, "run_id": self.run_id, "key": "books_per_minute", "status": "all",
            "share_id": "0" * 32,
        }
        handler = state.event_handlers[name]
        params = list(inspect.signature(handler.fn).parameters.values())[1:]
        missing = [p.name for p in params if p.name not in known and p.default is inspect.Parameter.empty]
        assert not missing, f"{state.__name__}.{name} takes {missing}: add sample values for them here"
        return [known[p.name] for p in params if p.name in known]


@pytest.fixture
async def world(engine: Engine, make_viewer: Callable[[str], Viewer]) -> World:
    viewer = make_viewer("mia")  # the first account: an operator
    book_id = await make_book(viewer, approve=False)  # its plot waits for approval
    token = create_api_token(viewer.user_id, "existing")
    run = latest_run(get_settings().db_url, book_id, "create-book")
    assert run is not None
    run_id = run.id
    return World(viewer, book_id, token.id, run_id)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """What a handler could change: books, the conversation, pages, tokens, settings, runs, events."""
    queries = {
        "books": "SELECT id, status, title, updated_at FROM books",
        "chat_messages": "SELECT id, content FROM chat_messages",
        "rendered_pages": "SELECT id, version, redo_count FROM rendered_pages",
        "api_tokens": "SELECT id, revoked_at FROM api_tokens",
        "app_settings": "SELECT key, value FROM app_settings",
        "engine_runs": "SELECT id, status, cancel_requested FROM engine_runs",
        "engine_events": "SELECT count(*) FROM engine_events",
        "sign_in_tickets": "SELECT count(*) FROM sign_in_tickets",
        "book_shares": "SELECT id, revoked_at FROM book_shares",
    }
    with get_engine(get_settings().db_url).connect() as conn:
        return {name: sorted(map(tuple, conn.execute(text(sql)).all()), key=repr) for name, sql in queries.items()}


def at_defaults(state: SessionState) -> list[str]:
    """The state's own fields (and the viewer's) that still hold something: after signing the
    tab out, none should."""
    held = []
    for owner in {type(state), SessionState}:
        for name, field in owner.get_fields().items():
            if name.startswith("rx_router") or name == "router_data" or field._owner is not owner:
                continue
            if getattr(state, name) != field.default_value():
                held.append(name)
    return held


async def loaded_tabs(world: World, targets: list[tuple[type[SessionState], str]]) -> dict[Any, SessionState]:
    """One tab per handler, each showing its page as the viewer saw it while signed in."""
    tabs = {}
    for state, name in targets:
        route, load = load_for(state)
        tab = build_state(state, token=world.viewer.token, path=route.replace("[book_id]", world.book_id))
        await call(tab, load)
        assert tab.signed_in, f"{state.__name__} did not load for a signed-in viewer"
        tabs[(state, name)] = tab
    return tabs


def end_every_session(world: World) -> None:
    revoke_all_sessions(world.viewer.user_id)  # "sign out everywhere", from another device


def expire_every_session(world: World) -> None:
    with session_scope() as session:
        for row in session.exec(select(UserSession).where(UserSession.user_id == world.viewer.user_id)).all():
            row.expires_at = utcnow() - timedelta(seconds=1)
            session.add(row)


ENDINGS: dict[str, Callable[[World], None]] = {
    "signed out everywhere": end_every_session,
    "the session expired": expire_every_session,
}


@pytest.mark.parametrize("ending", list(ENDINGS))
async def test_once_the_session_ends_every_handler_signs_the_tab_out_and_changes_nothing(
        world: World, ending: str) -> None:
    tabs = await loaded_tabs(world, guarded_handlers())
    assert tabs[(OperatorSettingsState, "save_settings")].config  # the pages held the viewer's data
    ENDINGS[ending](world)
    await asyncio.sleep(CHECK_SECONDS + 0.2)  # past the one-second memory of the last check

    before = snapshot()
    for (state, name), tab in tabs.items():
        result = await call(tab, name, *world.args_for(state, name))
        where = f"{state.__name__}.{name} after '{ending}'"
        assert redirect_target(result).startswith("/login"), f"{where} was not sent to sign in: {result!r}"
        assert not tab.signed_in, f"{where} left the tab signed in"
        assert at_defaults(tab) == [], f"{where} left the user's data in the tab"
    assert snapshot() == before


DEMOTIONS = ["OPERATOR_EMAILS no longer lists them", "bookbug-admin revoke"]


@pytest.mark.parametrize("demotion", DEMOTIONS)
async def test_an_operator_whose_role_was_taken_away_can_do_nothing_on_the_operators_page(
        world: World, demotion: str, monkeypatch: pytest.MonkeyPatch) -> None:
    targets = [(state, name) for state, name in guarded_handlers() if state is OperatorSettingsState]
    tabs = await loaded_tabs(world, targets)
    assert all(tab.viewer_is_operator and tab.runs for tab in tabs.values())
    if demotion == "bookbug-admin revoke":
        set_role(world.viewer.email, USER)
    else:
        monkeypatch.setenv("OPERATOR_EMAILS", "someone-else@example.com")
        reset_settings()
    await asyncio.sleep(CHECK_SECONDS + 0.2)

    before = snapshot()
    for (state, name), tab in tabs.items():
        result = await call(tab, name, *world.args_for(state, name))
        where = f"{state.__name__}.{name} after '{demotion}'"
        assert redirect_target(result) == "/books", f"{where} still served an operator: {result!r}"
        assert not tab.viewer_is_operator and tab.runs == [] and tab.config == {}, where
    assert snapshot() == before


async def test_a_live_page_stops_sending_updates_once_the_session_ends(world: World,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from bookbug.state import chat
    from bookbug.state.chat import ChatState

    monkeypatch.setattr(chat, "IDLE_SECONDS", 0.2)  # the watcher looks again at every quiet moment
    tab = build_state(ChatState, token=world.viewer.token, path=f"/create/{world.book_id}")
    assert await call(tab, "load_conversation") == ChatState.watch_conversation
    watcher = watching(ChatState.watch_conversation, tab)
    await asyncio.sleep(0.5)
    assert not watcher.done()  # signed in, nothing happening: it keeps watching
    end_every_session(world)
    await asyncio.wait_for(watcher, 30)  # then lets go (a generous bound, not a speed test)
    assert tab._watching == ""
