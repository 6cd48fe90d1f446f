"""Web state fixtures: a fresh database, the embedded engine running the book workflow, users
signed in through the accounts service, and state objects built the way Reflex builds them."""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

import httpx
import pytest
import reflex as rx
from argon2 import PasswordHasher
from reflex.istate.data import RouterData
from sqlmodel import SQLModel

import bookbug.db  # noqa: F401 - registers the tables
import bookbug.workflows.registered  # noqa: F401 - registers the book workflow
from bookbug.db.session import get_engine
from bookbug.edge.socket_session import SocketSessionKey
from bookbug.engine import Engine, EngineConfig, RateLimit
from bookbug.providers.auth.sessions import user_for_session
from bookbug.services.accounts import passwords
from bookbug.services.accounts.registration import register
from bookbug.services.accounts.sign_in import sign_in
from bookbug.config import app_config
from bookbug.services.runtime import use_engine
from bookbug.services.web_session import COOKIE
from bookbug.settings import get_settings, reset_settings
from bookbug.state.presence import PresenceState
from bookbug.state.session import SessionState
from tests.workflows.conversation import wait_until

PASSWORD = "correct horse battery"
FAST_ENGINE = dict(heartbeat_interval=0.5, stale_after=5.0, sweep_interval=0.5, requeue_grace=2.0,
                   retry_base=0.01, retry_cap=0.05, slot_poll=0.05, poll_delay=0.02)
S = TypeVar("S", bound=SessionState)


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # real argon2 costs ~0.3 s a hash; the pages' behaviour does not depend on its parameters
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def web_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("BOOKS_PER_MINUTE", "50")
    reset_settings()
    monkeypatch.setattr(app_config, "_cache", None)  # another test's database may be cached under that URL
    SQLModel.metadata.create_all(get_engine(sqlite_url))
    return sqlite_url


@pytest.fixture
async def engine(web_db: str) -> AsyncIterator[Engine]:
    unique = uuid.uuid4().hex[:10]
    config = EngineConfig(
        db_url=web_db, queue_name=f"webtest:{unique}:queue", key_prefix=f"webtest:{unique}",
        rate_limits={name: RateLimit(name, limit=100_000, period="1m") for name in ("anthropic", "replicate")},
        **FAST_ENGINE,  # type: ignore[arg-type]
    )
    engine = Engine(config)
    async with engine, engine.worker():
        use_engine(engine)
        try:
            yield engine
        finally:
            use_engine(None)


@dataclass
class Viewer:
    user_id: str
    email: str
    token: str  # the browser session token, as the cookie holds it


@pytest.fixture
def make_viewer(web_db: str) -> Callable[[str], Viewer]:
    def make(name: str = "reader") -> Viewer:
        email = f"{name}-{uuid.uuid4().hex[:8]}@example.com"
        user = register(email, PASSWORD)
        signed = sign_in(email, PASSWORD)
        return Viewer(user_id=user.id, email=email, token=signed.token)

    return make


def build_state(cls: type[S], *, token: str = "", path: str = "/") -> S:
    """A page state inside a fresh state tree, as Reflex's state manager creates one per tab,
    connected from a browser whose session cookie holds `token` ("" for none)."""
    root = rx.State(_reflex_internal_init=True)
    state = root.get_substate(cls.get_full_name().split("."))
    connect(state, token, path)
    return state  # type: ignore[return-value]


def socket_headers(token: str) -> dict[str, str]:
    """The socket handshake's headers once the edge has swapped the session cookie for its key."""
    rewritten = SocketSessionKey.rewrite([(b"cookie", f"{COOKIE}={token}".encode())] if token else [])
    return {name.decode(): value.decode() for name, value in rewritten}


def connect(state: rx.State, token: str, path: str | None = None) -> None:
    """A (re)connection of the tab's socket, carrying the browser's cookie as it is now."""
    where = path if path is not None else str(state.router.url.path or "/")
    state.router = RouterData.from_router_data({"pathname": where, "asPath": where, "headers": socket_headers(token)})


def visit(state: rx.State, path: str) -> None:
    """Navigating inside the app: the socket (and so its headers) stays the same."""
    headers = dict(state.router.headers.raw_headers)
    state.router = RouterData.from_router_data({"pathname": path, "asPath": path, "headers": headers})


def watching(handler: Any, state: Any, *, answers: Callable[[], bool] = lambda: True) -> asyncio.Task[None]:
    """A page's live task, run as Reflex runs a background handler: whatever it yields goes to the
    tab. Its presence checks (presence.ask()) are answered, through PresenceState.answer in the
    same tab's state tree, while `answers()` says the tab is there."""
    async def run() -> None:
        async for spec in handler.fn(state):
            callback = {name._js_expr: value for name, value in getattr(spec, "args", ())}.get("callback")
            if f"{PresenceState.get_full_name()}.answer" in str(callback) and answers():
                tab = state._get_root_state().get_substate(PresenceState.get_full_name().split("."))
                tab.router = state.router
                await PresenceState.answer.fn(tab, 1)

    return asyncio.create_task(run())


async def call(state: Any, handler: str, *args: Any) -> Any:
    """Run an event handler's function on the state, the way the app processes an event."""
    fn = getattr(type(state), handler).fn
    result = fn(state, *args)
    if inspect.isasyncgen(result):  # a live task: run to its end, answering with what it yielded first
        yielded = [event async for event in result]
        return yielded[0] if yielded else None
    return await result if asyncio.iscoroutine(result) else result


def script_of(spec: Any) -> str:
    """The JavaScript of an rx.call_script(...) a handler returned ("" if it is not one)."""
    fn = getattr(getattr(spec, "handler", None), "fn", None)
    if fn is None or fn.__qualname__ != "_call_script":
        return ""
    args = {name._js_expr: value for name, value in spec.args}
    return str(args["javascript_code"]._var_value)


def posted_form(spec: Any) -> tuple[str, dict[str, str]]:
    """Where a post_to(...) script sends the browser, and the form fields it posts."""
    script = script_of(spec)
    action = re.search(r"form\.action = (\"[^\"]*\");", script)
    fields = re.search(r"Object\.entries\((\{.*?\})\)", script)
    assert action and fields, f"not a form post: {script!r}"
    return json.loads(action.group(1)), json.loads(fields.group(1))


async def submit(spec: Any, *, cookie: str = "") -> httpx.Response:
    """Post the form a handler's script would post, to the real HTTP route, from this app's page."""
    from bookbug.api.app import build_api

    action, fields = posted_form(spec)
    headers = {"Origin": get_settings().origins[0], "Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["Cookie"] = f"{COOKIE}={cookie}"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=build_api()), base_url="http://bookbug.test") as http:
        return await http.post(action, content=urlencode(fields), headers=headers)


def cookie_set_by(answer: httpx.Response) -> str:
    """The session cookie value an answer sets ("" when it sets none or clears it)."""
    for header in answer.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        if name == COOKIE:
            return rest.split(";", 1)[0].strip('"')
    return ""


async def sign_in_through(state: rx.State, spec: Any) -> str:
    """Follow a sign-in hand-over as a browser does: post the ticket, keep the cookie the
    answer sets, reconnect the tab's socket with it. Returns the session token."""
    answer = await submit(spec)
    assert answer.status_code == 303, answer.text
    token = cookie_set_by(answer)
    assert token.startswith("bbs_"), answer.headers
    connect(state, token, answer.headers["location"].split("?", 1)[0])
    return token


def authenticate(token: str) -> Any:
    """The user behind a browser session token, or None (revoked, expired, unknown)."""
    return user_for_session(token)


def redirect_target(spec: Any) -> str:
    """Where an rx.redirect(...) returned by a handler sends the browser ("" if not a redirect)."""
    fn = getattr(getattr(spec, "handler", None), "fn", None)
    if fn is None or fn.__qualname__ != "_redirect":
        return ""
    args = {name._js_expr: value for name, value in spec.args}
    return str(args["path"]._var_value)


async def converse_to_plot(viewer: Viewer, book_id: str, timeout: float = 30.0) -> None:
    """Answer each question with its first chip (or a sentence) until the plot is proposed."""
    from bookbug.services import books

    turn = 0
    for _ in range(30):
        question = await wait_until(
            lambda turn=turn: next((m for m in reversed(books.history(viewer.user_id, book_id))
                                    if m.role == "assistant" and m.turn > turn), None), timeout, "a question")
        if question.phase == "plot_review":
            return
        await books.send_message(viewer.user_id, book_id, question.chips[0] if question.chips else "Mia, age 5")
        turn = question.turn
    raise AssertionError("the conversation never reached the plot")


async def make_book(viewer: Viewer, *, approve: bool = True) -> str:
    """A book whose plot is proposed (and, with approve, approved: being made)."""
    from bookbug.services import books

    book = await books.create_book(viewer.user_id)
    await converse_to_plot(viewer, book.id)
    if approve:
        await books.approve(viewer.user_id, book.id)
    return book.id
