"""What books cost, for the people who look: a book's cost, the operators' price table, and the
spending summaries on /settings; and the doors' check of the daily spending caps."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import col, select

from bookbug.db import Book, BookStatus, LedgerEntry, PriceEntry, User, session_scope, utcnow
from bookbug.db import spending as days
from bookbug.errors import InvalidInput, OverCap
from bookbug.workflows import meter

ESTIMATE_NOTE = "estimates from list prices"


def check_daily_caps(user_id: str) -> None:
    """Refuse new paid work at the door once the user's (or everyone's) cap for today is reached."""
    crossed = days.over(meter.caps_for(user_id))
    if crossed is not None:
        raise OverCap(crossed.sentence(), retry_after=days.seconds_to_next_day())


# -- prices ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PriceRow:
    provider: str
    model: str
    input: float
    output: float
    cache_read: float
    cache_write: float
    image: float
    taken_on: str
    edited: bool  # an operator's figure, not the list price


def price_rows() -> list[PriceRow]:
    with session_scope() as session:
        edited = {(r.provider, r.model) for r in session.exec(select(PriceEntry)).all()}
    meter.forget_prices()
    return [PriceRow(p.provider, p.model, p.input, p.output, p.cache_read, p.cache_write, p.image,
                     p.taken_on.isoformat(), (p.provider, p.model) in edited)
            for p in sorted(meter.price_list(), key=lambda p: (p.provider, p.model))]


def set_price(provider: str, model: str, *, input: float, output: float, cache_read: float, cache_write: float,
              image: float, updated_by: str | None) -> None:
    """An operator's price for a model (or a family word, or "*"): USD per million tokens, per image."""
    provider, model = provider.strip(), model.strip()
    if provider not in ("anthropic", "replicate"):
        raise InvalidInput("A price is for anthropic or replicate.", field="provider")
    if not model or len(model) > 100:
        raise InvalidInput("Name the model (or a family word such as sonnet, or * for any other).", field="model")
    values = {"input": input, "output": output, "cache_read": cache_read, "cache_write": cache_write, "image": image}
    for name, value in values.items():
        if not 0 <= value <= 10000:
            raise InvalidInput(f"The {name.replace('_', ' ')} price must be a number from 0 to 10000 (USD).",
                               field=name)
    with session_scope() as session:
        row = session.get(PriceEntry, (provider, model)) or PriceEntry(provider=provider, model=model, taken_on="")
        for name, value in values.items():
            setattr(row, name, float(value))
        row.taken_on, row.updated_by, row.updated_at = utcnow().date().isoformat(), (updated_by or "")[:32] or None, utcnow()
        session.add(row)
    meter.forget_prices()


# -- what was spent ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Spend:
    label: str
    usd: float
    calls: int = 0


@dataclass(frozen=True)
class Summary:
    by_day: list[Spend]
    by_user: list[Spend]
    by_provider: list[Spend]
    top_books: list[Spend]
    finished_books: int
    median_book_usd: float | None
    p90_book_usd: float | None


def _p90(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.9 * len(ordered) + 0.5) - 1))]


def summary(days_back: int = 14) -> Summary:
    since = utcnow() - timedelta(days=days_back)
    cost, calls = func.sum(LedgerEntry.cost_usd), func.count()
    with session_scope() as session:
        rows = session.exec(select(LedgerEntry.at, LedgerEntry.cost_usd).where(LedgerEntry.at >= since)).all()
        per_day: dict[str, list[float]] = {}
        for at, usd in rows:
            per_day.setdefault(at.strftime("%Y-%m-%d"), []).append(usd)
        by_user = session.exec(select(User.email, cost, calls).join(User, col(User.id) == LedgerEntry.user_id)
                               .where(LedgerEntry.at >= since).group_by(User.email)
                               .order_by(cost.desc()).limit(10)).all()
        by_provider = session.exec(select(LedgerEntry.provider, cost, calls).where(LedgerEntry.at >= since)
                                   .group_by(LedgerEntry.provider).order_by(cost.desc())).all()
        top = session.exec(select(Book.id, Book.title, Book.cost_usd).where(Book.cost_usd > 0)
                           .order_by(col(Book.cost_usd).desc()).limit(10)).all()
        finished = [float(c) for c in session.exec(select(Book.cost_usd).where(
            Book.status == BookStatus.complete.value)).all()]
    return Summary(
        by_day=[Spend(d, round(sum(v), 4), len(v)) for d, v in sorted(per_day.items())],
        by_user=[Spend(str(email), round(float(usd or 0), 4), int(n)) for email, usd, n in by_user],
        by_provider=[Spend(str(p), round(float(usd or 0), 4), int(n)) for p, usd, n in by_provider],
        top_books=[Spend(f"{title or 'Untitled book'} ({book_id[:8]})", round(float(usd), 4)) for book_id, title, usd in top],
        finished_books=len(finished),
        median_book_usd=round(statistics.median(finished), 4) if finished else None,
        p90_book_usd=_p90(finished),
    )


def book_cost(book_id: str) -> float:
    with session_scope() as session:
        total = session.exec(select(func.sum(LedgerEntry.cost_usd)).where(LedgerEntry.book_id == book_id)).one()
    return round(float(total or 0.0), 6)
