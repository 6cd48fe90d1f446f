"""What operators see of spending: per day, person and provider, the dearest books, and the cost
of a finished book (median, p90), all read from the ledger and the books' costs."""

from __future__ import annotations

import pytest

from bookbug.db import Book, LedgerEntry, session_scope
from bookbug.db import spending as days
from bookbug.services import spending
from bookbug.errors import InvalidInput
from tests.conftest import make_user


def _book(user_id: str, cost: float, status: str = "complete") -> str:
    book = Book(user_id=user_id, status=status, title=f"Book {cost}")
    with session_scope() as session:
        session.add(book)
    for provider, share in (("anthropic", 0.25), ("replicate", 0.75)):
        entry = LedgerEntry(provider=provider, model="m", kind="k", book_id=book.id, user_id=user_id,
                            cost_usd=round(cost * share, 6))
        days.record(entry, [days.ALL, days.user_scope(user_id)], 0.0, day=days.day_of())
    return book.id


def test_the_summary_adds_up_the_ledger_and_gives_the_median_and_p90_of_finished_books(book_backend) -> None:
    mia, leo = make_user("mia@example.com"), make_user("leo@example.com")
    for cost in (1.0, 2.0, 3.0, 4.0, 10.0):
        _book(mia.id, cost)
    _book(leo.id, 20.0, status="failed")  # spent, but not a finished book

    summary = spending.summary()

    assert summary.finished_books == 5 and summary.median_book_usd == 3.0 and summary.p90_book_usd == 10.0
    assert {s.label: s.usd for s in summary.by_user} == {"leo@example.com": 20.0, "mia@example.com": 20.0}
    assert {s.label: s.usd for s in summary.by_provider} == {"anthropic": 10.0, "replicate": 30.0}
    assert sum(s.usd for s in summary.by_day) == pytest.approx(40.0)
    assert [s.usd for s in summary.top_books][:2] == [20.0, 10.0]
    assert spending.book_cost(_book(mia.id, 0.5)) == pytest.approx(0.5)


def test_a_price_is_set_only_with_sane_figures_and_shows_as_set_here(book_backend) -> None:
    with pytest.raises(InvalidInput):
        spending.set_price("anthropic", "sonnet", input=-1, output=15, cache_read=0.3, cache_write=3.75, image=0,
                           updated_by=None)
    with pytest.raises(InvalidInput):
        spending.set_price("openai", "gpt", input=1, output=1, cache_read=0, cache_write=0, image=0, updated_by=None)
    spending.set_price("replicate", "google/imagen-4", input=0, output=0, cache_read=0, cache_write=0, image=0.05,
                       updated_by=None)
    rows = {(r.provider, r.model): r for r in spending.price_rows()}
    assert rows[("replicate", "google/imagen-4")].image == 0.05 and rows[("replicate", "google/imagen-4")].edited
    assert rows[("anthropic", "sonnet")].taken_on == "2025-11-24" and not rows[("anthropic", "sonnet")].edited
