"""Limits as slots: a key gets `limit` slots, each held until a moment, taken atomically.

"At most 3 new books a minute" is 3 slots per user, each held for a minute once taken; "at
most 10 open streams" is 10 slots held while a stream lives (renewed as it goes, so a crashed
process frees its slots when their hold runs out). A caller takes a slot with one conditional
write: it inserts a row nobody has yet, or updates a row whose hold has run out. The database
decides between racing callers (PostgreSQL locks the row and re-checks the condition, SQLite
writes one at a time), so two callers never get the same slot, in one process or in many.
That is what a count followed by an insert cannot promise.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, Update, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, delete, select

from bookbug.db import LimitSlot, session_scope, utcnow

FORGET_AFTER = timedelta(days=1)  # rows free this long are deleted (address keys come and go)
SLOTS: Table = LimitSlot.__table__  # type: ignore[attr-defined]  # SQLModel sets __table__ on table classes without declaring it


@dataclass(frozen=True)
class Held:
    """A slot taken: `holder` proves it is ours when renewing or releasing it."""

    kind: str
    key: str
    slot: int
    holder: str


@dataclass(frozen=True)
class Full:
    """Every slot is held; the first one frees in `retry_after` seconds."""

    retry_after: float

    @property
    def seconds(self) -> int:
        return max(1, math.ceil(self.retry_after))


def _insert_if_free(session: Session) -> Callable[[Table], postgresql.Insert | sqlite.Insert]:
    """The dialect's INSERT, which has ON CONFLICT DO NOTHING (the generic one has not)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


def take_in(session: Session, kind: str, key: str, limit: int, hold: timedelta, *,
            now: datetime | None = None) -> Held | Full:
    """Take one of the key's `limit` slots for `hold`, inside the caller's transaction (so a
    book and the slot it used commit together), or say when one frees."""
    now = now or utcnow()
    holder = uuid.uuid4().hex
    until = now + hold
    insert = _insert_if_free(session)
    table = SLOTS
    for slot in range(limit):
        row = dict(kind=kind, key=key, slot=slot, held_until=until, holder=holder)
        # RETURNING, not the row count: psycopg reports no count for these statements
        added = session.execute(insert(table).values(**row).on_conflict_do_nothing().returning(table.c.slot))
        if added.first() is not None:
            return Held(kind, key, slot, holder)
        freed = session.execute(
            update(table)
            .where(table.c.kind == kind, table.c.key == key, table.c.slot == slot, table.c.held_until <= now)
            .values(held_until=until, holder=holder)
            .returning(table.c.slot))
        if freed.first() is not None:
            return Held(kind, key, slot, holder)
    soonest = session.exec(select(func.min(LimitSlot.held_until)).where(
        LimitSlot.kind == kind, LimitSlot.key == key, col(LimitSlot.slot) < limit)).one()
    if soonest is not None and soonest.tzinfo is None:  # SQLite hands back naive UTC
        soonest = soonest.replace(tzinfo=now.tzinfo)
    return Full(retry_after=max(0.0, ((soonest or now) - now).total_seconds()))


def take(kind: str, key: str, limit: int, hold: timedelta, *, db_url: str | None = None) -> Held | Full:
    """`take_in`, in a transaction of its own; now and then it forgets long-free rows too."""
    with session_scope(db_url) as session:
        taken = take_in(session, kind, key, limit, hold)
        if isinstance(taken, Held) and taken.slot == 0:
            session.exec(delete(LimitSlot).where(col(LimitSlot.held_until) < utcnow() - FORGET_AFTER))
        return taken


def renew(held: Held, hold: timedelta, *, db_url: str | None = None) -> bool:
    """Hold our slot for `hold` more; False when it is no longer ours (it ran out and was taken)."""
    with session_scope(db_url) as session:
        return session.execute(_ours(held).values(held_until=utcnow() + hold).returning(SLOTS.c.slot)
                               ).first() is not None


def release(held: Held, *, db_url: str | None = None) -> None:
    """Free our slot now (a stream closed); someone else's is left alone."""
    with session_scope(db_url) as session:
        session.execute(_ours(held).values(held_until=utcnow(), holder=""))


def _ours(held: Held) -> Update:
    table = SLOTS
    return update(table).where(table.c.kind == held.kind, table.c.key == held.key, table.c.slot == held.slot,
                               table.c.holder == held.holder)
