"""The operators' caps through the web door: the page shows the one sentence naming the cap and
when it resets, and nothing is sent."""

from __future__ import annotations

from collections.abc import Callable

from bookbug.db import DaySpend, session_scope
from bookbug.db import spending as days
from bookbug.engine import Engine
from bookbug.services import books
from bookbug.config import app_config
from bookbug.state.chat import ChatState
from tests.web.conftest import Viewer, build_state, call
from tests.support.web import open_chat


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


async def test_operators_see_spending_and_set_a_price_and_members_cannot(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    from bookbug.db import Book, LedgerEntry
    from bookbug.state.operator_settings import OperatorSettingsState
    from tests.web.conftest import redirect_target

    operator, member = make_viewer("operator"), make_viewer("member")
    book = Book(user_id=member.user_id, status="complete", title="Pip's day")
    with session_scope() as session:
        session.add(book)
    days.record(LedgerEntry(provider="replicate", model="google/imagen-4", kind="page", book_id=book.id,
                            user_id=member.user_id, images=1, cost_usd=0.04), [days.ALL], 0.0, day=days.day_of())

    state = build_state(OperatorSettingsState, token=operator.token, path="/settings")
    await call(state, "load_settings")
    assert [(r.label, r.usd) for r in state.spend_by_provider] == [("replicate", "$0.0400")]
    assert state.spend_by_user[0].label.startswith("member") and state.top_books[0].label.startswith("Pip's day")
    assert state.book_costs[1].value == "$0.0400"  # the median of one finished book
    assert any(r.model == "sonnet" and r.source == "list price" for r in state.prices)

    await call(state, "save_price", {"provider": "anthropic", "model": "sonnet", "input": "abc"})
    assert "input price must be a number" in state.price_notice
    await call(state, "save_price", {"provider": "anthropic", "model": "sonnet", "input": "2.5", "output": "12",
                                     "cache_read": "0.25", "cache_write": "3.1", "image": "0"})
    sonnet = next(r for r in state.prices if r.model == "sonnet")
    assert (sonnet.input, sonnet.source) == ("2.5", "set here")

    visitor = build_state(OperatorSettingsState, token=member.token, path="/settings")
    assert redirect_target(await call(visitor, "save_price", {"provider": "anthropic", "model": "x"})) == "/books"
    assert not any(r.model == "x" for r in state.prices)
