"""One clock: the database's. Every moment the engine stores or compares is read in SQL.

Workers' clocks disagree (a skewed machine, a VM resumed after a pause); the database is the
one place they all meet. So heartbeats, not-before times, timeouts and liveness are written
and judged with `db_now()` inside the statement, and Python only ever handles durations
(`seconds_until`, measured by the database, then counted down on the monotonic clock).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DateTime, Float, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

# SQLite keeps datetimes as text; this is the layout SQLAlchemy writes (and orders correctly
# against), with milliseconds, which is as fine as SQLite's clock reads.
_SQLITE_FORMAT = "'%Y-%m-%d %H:%M:%f'"


class db_now(FunctionElement[Any]):  # noqa: N801 - reads as the SQL function it stands for
    """The database's current time, offset by `seconds` (may be negative)."""

    type = DateTime(timezone=True)
    inherit_cache = True

    def __init__(self, seconds: float | ColumnElement[Any] = 0.0) -> None:
        super().__init__(literal(float(seconds), Float) if isinstance(seconds, (int, float)) else seconds)


@compiles(db_now, "postgresql")
def _now_postgresql(element: db_now, compiler: Any, **kw: Any) -> str:
    # statement_timestamp(): a fresh reading per statement, unlike now(), which is frozen at
    # the start of the transaction.
    return f"(statement_timestamp() + make_interval(secs => {compiler.process(element.clauses, **kw)}))"


@compiles(db_now, "sqlite")
def _now_sqlite(element: db_now, compiler: Any, **kw: Any) -> str:
    offset = compiler.process(element.clauses, **kw)
    return f"strftime({_SQLITE_FORMAT}, 'now', printf('%+.3f seconds', {offset}))"


class seconds_until(FunctionElement[Any]):  # noqa: N801
    """Seconds from the database's now until the moment in `column` (negative once past)."""

    type = Float()
    inherit_cache = True


@compiles(seconds_until, "postgresql")
def _until_postgresql(element: seconds_until, compiler: Any, **kw: Any) -> str:
    return f"EXTRACT(EPOCH FROM ({compiler.process(element.clauses, **kw)} - statement_timestamp()))"


@compiles(seconds_until, "sqlite")
def _until_sqlite(element: seconds_until, compiler: Any, **kw: Any) -> str:
    return f"((julianday({compiler.process(element.clauses, **kw)}) - julianday('now')) * 86400.0)"
