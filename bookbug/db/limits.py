"""Places under a limit: a key's N slots (a user's new books a minute, their open streams,
an address's registrations an hour), each held until a moment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Index, delete, or_
from sqlmodel import Field, Session, SQLModel, col


class LimitSlot(SQLModel, table=True):
    """One of the slots a limit gives a key. A caller takes a slot with one conditional write
    (a new row, or a row whose hold ran out), so callers racing for the last one cannot both
    get it, whichever process they run in."""

    __tablename__ = "limit_slots"
    __table_args__ = (Index("ix_limit_slots_held_until", "held_until"),)

    kind: str = Field(primary_key=True, max_length=40)
    key: str = Field(primary_key=True, max_length=200)
    slot: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    held_until: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    holder: str = Field(default="", max_length=32)  # who holds it, so only they release it


def forget_book_slots(session: Session, book_ids: list[str]) -> int:
    """The slots held for these books (plot changes) and their pages ("<book>:<page>", redos):
    a deleted book leaves no key behind."""
    if not book_ids:
        return 0
    keyed = or_(col(LimitSlot.key).in_(book_ids), *[col(LimitSlot.key).startswith(f"{b}:") for b in book_ids])
    return int(session.exec(delete(LimitSlot).where(keyed)).rowcount)
