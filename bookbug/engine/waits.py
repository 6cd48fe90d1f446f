"""Waits: a run suspended until a matching event arrives or its timeout passes.

The race Inngest loses (inngest/inngest#1433): an event stored while the wait is being
registered. Here both sides write first and read second: the sender commits the event, then
looks for waits; the waiter commits its wait, then looks for events. Whichever commits
second sees the other's row, so at least one side finds the pair, and a conditional UPDATE
(`resolved_at IS NULL`) lets exactly one side resolve it. A wait looks back to the start of
its run (events numbered after its triggering event), not to the moment it registered, so an
event that arrived between the run's previous step and this wait still counts. Each event
resolves at most one wait of a run (a unique key), so a loop of waits on the same event name
receives the events one by one, in arrival order. Both lookups go through an index (see
matching.py); timeouts are the database's clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from bookbug.db.session import new_id
from bookbug.engine import matching
from bookbug.engine.clock import db_now, seconds_until
from bookbug.engine.tables import Event, Step, StepStatus, Wait, WaitShape

WAITS, EVENTS, STEPS, SHAPES = (Wait.__table__, Event.__table__, Step.__table__,  # type: ignore[attr-defined]  # SQLModel sets __table__ on table classes without declaring it
                                WaitShape.__table__)  # type: ignore[attr-defined]  # SQLModel sets __table__ on table classes without declaring it


@dataclass(frozen=True)
class WaitRef:
    id: str
    run_id: str
    step_key: str
    event_name: str | None
    match: dict[str, Any] | None
    since_seq: int
    timeout_in: float | None  # seconds until it times out (database clock), None: never
    resolved: bool = False


def register(conn: Connection, *, run_id: str, step_key: str, since_seq: int, event_name: str | None,
             match: Mapping[str, Any] | None, timeout: float | None) -> WaitRef:
    """The run's wait for `step_key`, created on first reach (a replay finds the same row)."""
    existing = _load(conn, run_id, step_key)
    if existing is not None:
        return existing
    wait_id = new_id()
    conn.execute(WAITS.insert().values(
        id=wait_id, run_id=run_id, step_key=step_key, event_name=event_name, match=dict(match) if match else None,
        match_key=matching.match_key(match) if event_name else None, since_seq=since_seq,
        timeout_at=None if timeout is None else db_now(timeout), suspended=False,
    ))
    if event_name is not None:
        _remember_shape(conn, event_name, matching.shape_of(match))
    return WaitRef(wait_id, run_id, step_key, event_name, dict(match) if match else None, since_seq, timeout)


def _load(conn: Connection, run_id: str, step_key: str) -> WaitRef | None:
    row = conn.execute(select(
        WAITS.c.id, WAITS.c.event_name, WAITS.c.match, WAITS.c.since_seq, WAITS.c.resolved_at,
        seconds_until(WAITS.c.timeout_at).label("timeout_in"),
    ).where(WAITS.c.run_id == run_id, WAITS.c.step_key == step_key)).first()
    if row is None:
        return None
    return WaitRef(row.id, run_id, step_key, row.event_name, row.match, int(row.since_seq),
                   None if row.timeout_in is None else float(row.timeout_in), row.resolved_at is not None)


def load(conn: Connection, wait_id: str) -> WaitRef | None:
    row = conn.execute(select(WAITS.c.run_id, WAITS.c.step_key).where(WAITS.c.id == wait_id)).first()
    return None if row is None else _load(conn, row.run_id, row.step_key)


def _remember_shape(conn: Connection, event_name: str, shape: str) -> None:
    dialect = conn.dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    conn.execute(builder(SHAPES).values(event_name=event_name, fields=shape).on_conflict_do_nothing())


def earliest_event(conn: Connection, wait: WaitRef) -> tuple[int, Any] | None:
    """(seq, data) of the oldest matching event since the wait's run began, not used by its run."""
    if wait.event_name is None:
        return None
    used = exists().where(WAITS.c.run_id == wait.run_id, WAITS.c.event_seq == EVENTS.c.seq)
    query = (select(EVENTS.c.seq, EVENTS.c.data)
             .where(EVENTS.c.name == wait.event_name, EVENTS.c.seq > wait.since_seq,
                    matching.contains(conn.dialect.name, wait.match), ~used)
             .order_by(EVENTS.c.seq))
    for seq, data in conn.execute(query):
        if matching.fits(data, wait.match):
            return int(seq), data
    return None


def resolve(conn: Connection, wait: WaitRef, event: tuple[int, Any] | None) -> bool:
    """Settle the wait with `event` (None: its time is up) and checkpoint its step; False if it
    was settled already, the event went to another wait of the run, or the time is not up."""
    condition = and_(WAITS.c.id == wait.id, WAITS.c.resolved_at.is_(None))
    if event is None:
        condition = and_(condition, WAITS.c.timeout_at <= db_now())
    try:
        with conn.begin_nested():
            result = conn.execute(update(WAITS).where(condition).values(
                resolved_at=db_now(), event_seq=None if event is None else event[0]))
    except IntegrityError:  # this event already settled another wait of the same run
        return False
    if result.rowcount != 1:
        return False
    conn.execute(update(STEPS).where(and_(
        STEPS.c.run_id == wait.run_id, STEPS.c.step_key == wait.step_key,
        STEPS.c.status != StepStatus.completed.value,
    )).values(status=StepStatus.completed.value, output=None if event is None else event[1], finished_at=db_now()))
    return True


def try_resolve(conn: Connection, wait: WaitRef) -> bool:
    """Resolve the wait if its event is here or its time is up."""
    if wait.resolved:
        return False
    event = earliest_event(conn, wait)
    if event is not None and resolve(conn, wait, event):
        return True
    return wait.timeout_in is not None and resolve(conn, wait, None)


def open_waits_for(conn: Connection, name: str, seq: int, data: Mapping[str, Any] | None) -> list[WaitRef]:
    """Unresolved waits this event could settle: one indexed lookup per shape of its name."""
    shapes = conn.execute(select(SHAPES.c.fields).where(SHAPES.c.event_name == name)).scalars().all()
    keys = {key for key in (matching.key_for_shape(data, shape) for shape in shapes) if key is not None}
    if not keys:
        return []
    rows = conn.execute(select(WAITS.c.run_id, WAITS.c.step_key).where(
        WAITS.c.event_name == name, WAITS.c.match_key.in_(sorted(keys)), WAITS.c.resolved_at.is_(None),
        WAITS.c.since_seq < seq,
    )).all()
    found = [_load(conn, row.run_id, row.step_key) for row in rows]
    return [wait for wait in found if wait is not None]
