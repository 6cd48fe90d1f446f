"""Every paid call is on the ledger, written as its answer arrives: whether or not the step it
served went on to succeed, with its book, user, step, tokens and estimated cost."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bookbug.agents import IntakeInput, intake_turn
from bookbug.db import Book, DaySpend, LedgerEntry, session_scope
from bookbug.providers import prices
from bookbug.providers.text.claude import ClaudeWriter, InvalidReplyError
from bookbug.services import books
from bookbug.settings import Settings
from bookbug.story import Brief
from bookbug.workflows.meter import BookMeter
from tests.conftest import make_user
from tests.workflows.claude import claude_writes
from tests.workflows.conversation import newest_question, wait_until
from tests.support.workflows import first_turn


def _rows(book_id: str | None = None) -> list[LedgerEntry]:
    with session_scope() as session:
        query = select(LedgerEntry)
        if book_id is not None:
            query = query.where(LedgerEntry.book_id == book_id)
        return list(session.exec(query.order_by(LedgerEntry.at)).all())


def _writer(standin) -> ClaudeWriter:  # noqa: ANN001
    settings = Settings(anthropic_api_key="sk-test", anthropic_base_url=standin.url,
                        anthropic_model="claude-sonnet-4-6", anthropic_fast_model="claude-haiku-4-5")
    return ClaudeWriter(settings, timeout=10)


async def test_each_answered_call_of_a_book_is_a_ledger_row_with_its_step_and_the_book_costs_their_sum(
        book_backend, monkeypatch) -> None:
    with claude_writes(monkeypatch) as claude:
        claude.reply_error(529, "overloaded_error", "overloaded")  # not answered: not paid, not on the ledger
        claude.reply_tool("intake_turn", await first_turn(), input_tokens=1000, output_tokens=200,
                          cache_read=3000, cache_write=500)
        user = make_user()
        summary = await books.create_book(user.id)
        await wait_until(lambda: newest_question(user.id, summary.id, 0), timeout=60, what="the first question")

    [row] = _rows(summary.id)
    # the intake runs on the fast model
    assert (row.provider, row.model, row.kind, row.user_id) == ("anthropic", "claude-haiku-4-5", "intake_turn", user.id)
    assert (row.input_tokens, row.output_tokens, row.cache_read_tokens, row.cache_write_tokens) == (1000, 200, 3000, 500)
    assert row.step is not None and row.step.endswith("/intake-turn-0")
    haiku = prices.pick(prices.LIST_PRICES, "anthropic", "claude-haiku-4-5")
    assert (haiku.input, haiku.output, haiku.cache_read, haiku.cache_write) == (1.0, 5.0, 0.1, 1.25)
    assert row.cost_usd == pytest.approx((1000 * 1 + 200 * 5 + 3000 * 0.1 + 500 * 1.25) / 1e6)
    assert books.get_book(user.id, summary.id).cost_usd == pytest.approx(row.cost_usd)
    with session_scope() as session:
        days = session.exec(select(DaySpend)).all()
    assert {d.scope for d in days} == {"all", f"user:{user.id}"}
    assert all(d.spent_usd == pytest.approx(row.cost_usd) and d.held_usd == pytest.approx(0) for d in days)


async def test_calls_whose_replies_fail_validation_are_on_the_ledger_though_the_call_failed(
        book_backend, anthropic_standin) -> None:
    user = make_user()
    book = Book(user_id=user.id)
    with session_scope() as session:
        session.add(book)
    writer = _writer(anthropic_standin)
    writer.meter = BookMeter(book.id, user.id)
    anthropic_standin.reply_tool("intake_turn", {"nonsense": True}, input_tokens=700, output_tokens=50)
    anthropic_standin.reply_tool("intake_turn", {"still": "nonsense"}, input_tokens=900, output_tokens=60)

    with pytest.raises(InvalidReplyError):
        await writer.generate(intake_turn, IntakeInput(brief=Brief()))

    rows = _rows(book.id)
    assert [(r.input_tokens, r.output_tokens) for r in rows] == [(700, 50), (900, 60)]
    assert all(r.cost_usd > 0 and r.user_id == user.id for r in rows)
    with session_scope() as session:
        assert session.get(Book, book.id).cost_usd == pytest.approx(sum(r.cost_usd for r in rows))


async def test_a_call_that_gets_no_answer_is_not_on_the_ledger_and_holds_nothing_against_the_caps(
        book_backend, anthropic_standin) -> None:
    user = make_user()
    book = Book(user_id=user.id)
    with session_scope() as session:
        session.add(book)
    writer = _writer(anthropic_standin)
    writer.meter = BookMeter(book.id, user.id)
    anthropic_standin.reply_error(500, "api_error", "boom")

    with pytest.raises(Exception):  # noqa: B017 - any failure; the point is which rows the ledger kept
        await writer.generate(intake_turn, IntakeInput(brief=Brief()))

    assert _rows(book.id) == []
    with session_scope() as session:
        days = session.exec(select(DaySpend)).all()
    assert days and all(d.held_usd == pytest.approx(0) and d.spent_usd == 0 for d in days)


async def test_the_operators_prices_replace_the_list_prices(book_backend, anthropic_standin) -> None:
    from bookbug.services import spending

    spending.set_price("anthropic", "claude-haiku-4-5", input=10.0, output=20.0, cache_read=1.0, cache_write=12.5,
                       image=0.0, updated_by=None)
    user = make_user()
    book = Book(user_id=user.id)
    with session_scope() as session:
        session.add(book)
    writer = _writer(anthropic_standin)
    writer.meter = BookMeter(book.id, user.id)
    anthropic_standin.reply_tool("intake_turn", await first_turn(), input_tokens=1000, output_tokens=100)
    await writer.generate(intake_turn, IntakeInput(brief=Brief()))
    [row] = _rows(book.id)
    assert row.cost_usd == pytest.approx((1000 * 10 + 100 * 20) / 1e6)
