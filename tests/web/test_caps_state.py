"""The operators' caps through the web door: the page shows the one sentence naming the cap and
when it resets, and nothing is sent."""

from __future__ import annotations

from collections.abc import Callable

from bookbug.db import DaySpend, session_scope
from bookbug.db import spending as days
from bookbug.engine import Engine
from bookbug.services import app_config, books
from bookbug.state.chat import ChatState
from tests.web.conftest import Viewer, build_state, call
from tests.web.test_chat_state import open_chat


def _spent(scope: str, usd: float) -> None:
    with session_scope() as session:
        session.add(DaySpend(day=days.day_of(), scope=scope, spent_usd=usd, held_usd=0.0))


async def test_an_answer_over_the_users_daily_cap_shows_the_cap_and_its_reset_and_is_not_sent(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    state = await open_chat(viewer)
    app_config.update({"user_spend_per_day": 1.5})
    _spent(days.user_scope(viewer.user_id), 1.5)

    await call(state, "send_draft", {"message": "Her name is Mia and she is 5"})

    assert state.notice.startswith("You have reached your spending cap of $1.50 a day; it resets at midnight UTC")
    assert [m.role for m in books.history(viewer.user_id, state.chat_book_id)] == ["assistant"]


async def test_starting_a_book_over_the_global_cap_says_so_on_the_page(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    app_config.update({"global_spend_per_day": 3.0})
    _spent(days.ALL, 3.25)
    state = build_state(ChatState, token=viewer.token, path="/create")
    assert await call(state, "start_book") is None  # no redirect: no book
    assert "Bookbug has reached its spending cap for everyone of $3.00 a day" in state.notice
