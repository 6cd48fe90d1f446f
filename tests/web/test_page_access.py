"""Every page, opened by someone else or by nobody, shows none of a user's data.

The pages are read from the page registry (the same list the app serves), so a new page is
checked as soon as it exists. Each page is loaded the way the browser loads it (its on_load
handler, over the socket) on the URL of Alice's book, by Bob (signed in, not an operator) and
by a visitor with no session; then nothing of Alice's may be anywhere in that tab's state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import bookbug.pages  # noqa: F401 - registers every page
from bookbug.engine import Engine
from bookbug.components.registry import PAGES
from bookbug.services import books
from bookbug.state.session import SessionState
from tests.web.conftest import Viewer, build_state, call, make_book, redirect_target

PAGE_ROUTES = [spec.route for spec in PAGES]
# Pages anyone may open; every other one needs a session (and /settings an operator).
OPEN_TO_ALL = {"/", "/login", "/register"}


def state_class(spec: Any) -> type[SessionState]:
    name = spec.on_load.fn.__qualname__.split(".")[0]
    found = [cls for cls in _all(SessionState) if cls.__name__ == name]
    assert found, f"no state {name} for {spec.route}"
    return found[0]


def _all(base: type[SessionState]) -> list[type[SessionState]]:
    return [base, *[sub for child in base.__subclasses__() for sub in _all(child)]]


def tab_contents(tab: SessionState) -> str:
    """Everything the tab's state tree holds, except the URL it was opened on."""
    root: Any = tab
    while root.parent_state is not None:
        root = root.parent_state

    def without_url(values: Any) -> Any:
        if isinstance(values, dict):
            return {key: without_url(value) for key, value in values.items() if "router" not in str(key)}
        return values

    return repr(without_url(root.dict()))


@pytest.fixture
async def alices_book(engine: Engine, make_viewer: Callable[[str], Viewer]) -> tuple[Viewer, str, list[str]]:
    alice = make_viewer("alice")  # the first account: the operator
    book_id = await make_book(alice, approve=False)
    detail = books.get_book(alice.user_id, book_id)
    said = [m.content for m in books.history(alice.user_id, book_id) if m.role == "assistant"]
    secrets = [alice.email, book_id, *(said[-1:]), *([detail.title] if detail.title != "Untitled book" else [])]
    return alice, book_id, secrets


def test_every_page_is_in_this_matrix() -> None:
    assert len(PAGE_ROUTES) >= 8 and all(spec.on_load is not None for spec in PAGES), \
        "a page without on_load: say here how it is checked"


@pytest.mark.parametrize("route", PAGE_ROUTES)
@pytest.mark.parametrize("who", ["someone else", "nobody"])
async def test_a_page_opened_by_someone_else_or_nobody_shows_none_of_the_owners_data(
        alices_book: tuple[Viewer, str, list[str]], make_viewer: Callable[[str], Viewer], route: str,
        who: str) -> None:
    _, book_id, secrets = alices_book
    spec = next(spec for spec in PAGES if spec.route == route)
    token = make_viewer("bob").token if who == "someone else" else ""
    tab = build_state(state_class(spec), token=token, path=route.replace("[book_id]", book_id))

    result = await call(tab, spec.on_load.fn.__name__)

    if who == "nobody" and route not in OPEN_TO_ALL:
        assert redirect_target(result).startswith("/login"), f"{route} served a visitor without a session"
    if who == "someone else" and spec.operators_only:
        assert redirect_target(result) == "/books", f"{route} served someone who is not an operator"
    held = tab_contents(tab)
    for secret in secrets:
        assert secret not in held, f"{route} opened by {who} shows {secret!r}"
