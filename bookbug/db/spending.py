"""The ledger's writes: reserve against a day's caps, record a paid call, release a reservation.

Each is one short transaction of conditional UPDATEs, so it holds across processes: PostgreSQL
locks the day's row and re-checks the condition, SQLite writes one at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from bookbug.db.books import Book
from bookbug.db.ledger import DaySpend, LedgerEntry
from bookbug.db.session import session_scope, utcnow

ALL = "all"


def user_scope(user_id: str) -> str:
    return f"user:{user_id}"


def day_of(moment: datetime | None = None) -> str:
    return (moment or utcnow()).strftime("%Y-%m-%d")


def seconds_to_next_day(moment: datetime | None = None) -> float:
    now = moment or utcnow()
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1.0, (tomorrow - now).total_seconds())


@dataclass(frozen=True)
class Cap:
    scope: str  # ALL or user_scope(id)
    usd: float  # 0: no cap

    def sentence(self, *, paused: bool = False, moment: datetime | None = None) -> str:
        """The one plain sentence a person sees when this cap stops something: a request at a
        door (`paused` False), or a book already running that it paused."""
        resets = f"midnight UTC, {in_words(seconds_to_next_day(moment))} from now"
        if paused:
            whose = "Bookbug's spending cap for everyone" if self.scope == ALL else "your spending cap"
            return (f"Paused: going on would cross {whose} of ${self.usd:,.2f} a day; the book carries on "
                    f"when the cap resets at {resets}, or sooner if an operator raises it.")
        if self.scope == ALL:
            return f"Bookbug has reached its spending cap for everyone of ${self.usd:,.2f} a day; it resets at {resets}."
        return f"You have reached your spending cap of ${self.usd:,.2f} a day; it resets at {resets}."


def in_words(seconds: float) -> str:
    """A wait as a person says it: "3 hours", "25 minutes", "1 day"."""
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    if hours <= 24:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = round(hours / 24)
    return f"{days} day{'s' if days != 1 else ''}"

# SQLModel sets __table__ on table classes without declaring it.
_DAY_SPEND: Table = DaySpend.__table__  # type: ignore[attr-defined]
_BOOKS: Table = Book.__table__  # type: ignore[attr-defined]


def _insert(session: Session) -> Callable[[Table], postgresql.Insert]:
    # sqlite's Insert has the same on_conflict_do_nothing(), under another class
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert  # type: ignore[return-value]


def _ensure_rows(session: Session, day: str, scopes: list[str]) -> None:
    table = _DAY_SPEND
    for scope in scopes:
        session.execute(_insert(session)(table).values(day=day, scope=scope, spent_usd=0.0, held_usd=0.0)
                        .on_conflict_do_nothing())


def reserve(caps: list[Cap], amount: float, *, day: str | None = None, db_url: str | None = None) -> Cap | None:
    """Hold `amount` against every scope of `caps` for `day`, all or none; returns the first cap
    it would cross (nothing is held then), or None when it is held."""
    day = day or day_of()
    table = _DAY_SPEND
    with session_scope(db_url) as session:
        _ensure_rows(session, day, [cap.scope for cap in caps])
        for cap in caps:
            statement = update(table).where(table.c.day == day, table.c.scope == cap.scope)
            if cap.usd > 0:
                statement = statement.where(table.c.spent_usd + table.c.held_usd + amount <= cap.usd)
            held = session.execute(statement.values(held_usd=table.c.held_usd + amount).returning(table.c.scope))
            if held.first() is None:
                session.rollback()
                return cap
    return None


def release(scopes: list[str], amount: float, *, day: str, db_url: str | None = None) -> None:
    table = _DAY_SPEND
    with session_scope(db_url) as session:
        session.execute(update(table).where(table.c.day == day, table.c.scope.in_(scopes))
                        .values(held_usd=table.c.held_usd - amount))


def record(entry: LedgerEntry, scopes: list[str], reserved: float, *, day: str, db_url: str | None = None) -> None:
    """Write the call's ledger row, move its reservation into the day's spending at its real cost,
    and add that cost to its book, in one transaction."""
    table = _DAY_SPEND
    with session_scope(db_url) as session:
        session.add(entry)
        _ensure_rows(session, day, scopes)
        session.execute(update(table).where(table.c.day == day, table.c.scope.in_(scopes))
                        .values(held_usd=table.c.held_usd - reserved, spent_usd=table.c.spent_usd + entry.cost_usd))
        if entry.book_id:
            books = _BOOKS
            session.execute(update(books).where(books.c.id == entry.book_id)
                            .values(cost_usd=books.c.cost_usd + entry.cost_usd))


def over(caps: list[Cap], *, day: str | None = None, db_url: str | None = None) -> Cap | None:
    """The first cap already reached today (for a door to refuse new paid work early)."""
    for cap in caps:
        if cap.usd > 0 and spent_today(cap.scope, day=day, db_url=db_url) >= cap.usd:
            return cap
    return None


def spent_today(scope: str, *, day: str | None = None, db_url: str | None = None) -> float:
    with session_scope(db_url) as session:
        row = session.get(DaySpend, (day or day_of(), scope))
        return 0.0 if row is None else float(row.spent_usd + max(0.0, row.held_usd))
