"""What was spent: one ledger row per paid call, the operators' price table, and each day's
running totals (which the spending caps are checked against)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, delete, or_, update
from sqlmodel import Field, Session, SQLModel, col

from bookbug.db.types import created_field, id_field, when_field


class LedgerEntry(SQLModel, table=True):
    """One paid call, written as its answer arrived (whether or not the step it served went on
    to succeed). Kept when its book is deleted (no foreign key): it is what was spent."""

    __tablename__ = "spend_ledger"
    __table_args__ = (Index("ix_spend_ledger_at", "at"), Index("ix_spend_ledger_book", "book_id"),
                      Index("ix_spend_ledger_user_at", "user_id", "at"))

    id: str = id_field()
    at: datetime = created_field()
    provider: str = Field(max_length=40)
    model: str = Field(max_length=100)
    kind: str = Field(max_length=60)  # an agent's name, "score_illustration", "page", "character_sheet"
    book_id: str | None = Field(default=None, max_length=32)
    user_id: str | None = Field(default=None, max_length=32)
    input_tokens: int = Field(default=0)
    output_tokens: int = Field(default=0)
    cache_read_tokens: int = Field(default=0)
    cache_write_tokens: int = Field(default=0)
    images: int = Field(default=0)
    seconds: float = Field(default=0.0)
    cost_usd: float = Field(default=0.0)  # an estimate from the price table at the time
    step: str | None = Field(default=None, max_length=400)  # "<run id>/<step key>"


class PriceEntry(SQLModel, table=True):
    """An operator's price for a provider's model (or a family word, or "*"), in USD: per million
    tokens, per image, per second; `taken_on` says when the figures were read."""

    __tablename__ = "prices"

    provider: str = Field(primary_key=True, max_length=40)
    model: str = Field(primary_key=True, max_length=100)
    input: float = Field(default=0.0)
    output: float = Field(default=0.0)
    cache_read: float = Field(default=0.0)
    cache_write: float = Field(default=0.0)
    image: float = Field(default=0.0)
    second: float = Field(default=0.0)
    taken_on: str = Field(max_length=10)  # YYYY-MM-DD
    updated_by: str | None = Field(default=None, max_length=32)
    updated_at: datetime | None = when_field()


class DaySpend(SQLModel, table=True):
    """A day's (UTC) spending by one scope ("all", or "user:<id>"): what was spent, and what calls
    on their way hold. A call reserves the most it can cost with one conditional UPDATE (spent +
    held + its most <= the cap), so callers racing in any number of processes cannot cross a cap
    together; its answer moves the reservation into `spent` at the real price."""

    __tablename__ = "spend_days"

    day: str = Field(primary_key=True, max_length=10)
    scope: str = Field(primary_key=True, max_length=60)
    spent_usd: float = Field(default=0.0)
    held_usd: float = Field(default=0.0)


def forget_spender(session: Session, user_id: str, book_ids: list[str]) -> int:
    """What a deleted account spent stays on the ledger (it was spent), but no longer says whose
    it was or which of their books; their own day totals go."""
    who = or_(col(LedgerEntry.user_id) == user_id, col(LedgerEntry.book_id).in_(book_ids or [""]))
    changed = session.exec(update(LedgerEntry).where(who).values(user_id=None, book_id=None)).rowcount
    changed += session.exec(delete(DaySpend).where(col(DaySpend.scope) == f"user:{user_id}")).rowcount
    return int(changed)
