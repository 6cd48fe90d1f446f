"""Events: stored first (the id is an idempotency key), then fanned out to the runs they start,
resume or cancel. Fan-out is idempotent (one run per workflow per event, conditional wait
resolution), so re-sending an event, or the sweep redoing an interrupted fan-out, is safe.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from bookbug.db.session import new_id
from bookbug.engine import matching, waits
from bookbug.engine.checkpoints import relaxed_commit
from bookbug.engine.clock import db_now
from bookbug.engine.codec import NotStorable, encode
from bookbug.engine.tables import FINISHED, Event, Run, RunStatus
from bookbug.engine.workflow import Workflow, resolve_key

if TYPE_CHECKING:
    from bookbug.engine.engine import Engine

EVENTS, RUNS = Event.__table__, Run.__table__  # type: ignore[attr-defined]  # SQLModel sets __table__ on table classes without declaring it


@dataclass
class EventReceipt:
    event_id: str
    duplicate: bool = False  # the idempotency key was seen before: this is the same event
    started: list[str] = field(default_factory=list)  # runs this event started
    resumed: list[str] = field(default_factory=list)  # waiting runs it resumed
    cancelled: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StoredEvent:
    seq: int
    id: str
    name: str
    data: dict[str, Any]
    subject: str | None


async def send_event(engine: Engine, name: str, data: Mapping[str, Any] | None = None, *,
                     id: str | None = None, subject: str | None = None) -> EventReceipt:
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        raise ValueError("an event needs a name of at most 100 characters, such as 'order/placed'")
    if id is not None and (not isinstance(id, str) or not id or len(id) > 200):
        raise ValueError("an event id (idempotency key) must be text of 1 to 200 characters")
    try:
        payload = encode(dict(data or {}), where=f"the data of event {name!r}")
    except NotStorable as exc:
        raise ValueError(str(exc)) from None
    for wf in engine.registry.triggered_by(name):
        for expression in (wf.throttle.key if wf.throttle else None, wf.fair_key):
            if expression is not None:
                resolve_key(expression, name, payload)  # a clear ValueError before anything is stored
    if subject is None:
        subject = engine.registry.subject_of(payload)
    with engine.transaction() as conn:
        event, duplicate = _store(conn, name, payload, id, subject)
    if duplicate and event.name != name:
        raise ValueError(f"the event id {id!r} was already used by a {event.name!r} event; ids must be unique")
    receipt = await fan_out(engine, event)
    receipt.duplicate = duplicate
    return receipt


def _store(conn: Connection, name: str, payload: dict[str, Any], key: str | None,
           subject: str | None) -> tuple[StoredEvent, bool]:
    if key is not None:
        existing = _by_key(conn, key)
        if existing is not None:
            return existing, True
    event_id = new_id()
    try:
        with conn.begin_nested():
            seq = conn.execute(insert(EVENTS).values(id=event_id, name=name, subject=subject, data=payload,
                                                     idempotency_key=key).returning(EVENTS.c.seq)).scalar_one()
    except IntegrityError:  # the same key, sent at the same moment by someone else
        existing = _by_key(conn, key) if key is not None else None
        if existing is None:
            raise
        return existing, True
    return StoredEvent(int(seq), event_id, name, payload, subject), False


def _by_key(conn: Connection, key: str) -> StoredEvent | None:
    row = conn.execute(select(EVENTS.c.seq, EVENTS.c.id, EVENTS.c.name, EVENTS.c.data, EVENTS.c.subject)
                       .where(EVENTS.c.idempotency_key == key)).first()
    return None if row is None else StoredEvent(int(row.seq), row.id, row.name, dict(row.data or {}), row.subject)


def load(conn: Connection, seq: int) -> StoredEvent | None:
    row = conn.execute(select(EVENTS.c.seq, EVENTS.c.id, EVENTS.c.name, EVENTS.c.data, EVENTS.c.subject)
                       .where(EVENTS.c.seq == seq)).first()
    return None if row is None else StoredEvent(int(row.seq), row.id, row.name, dict(row.data or {}), row.subject)


async def fan_out(engine: Engine, event: StoredEvent) -> EventReceipt:
    receipt = EventReceipt(event_id=event.id)
    for wf in engine.registry.triggered_by(event.name):
        receipt.started.append(await _start_run(engine, wf, event))
    for wf, rule in engine.registry.cancelled_by(event.name):
        if rule.match in event.data:
            for run_id in _runs_matching(engine, wf, event, rule.match):
                if await engine.cancel_run(run_id, reason=f"cancelled by event {event.name!r}"):
                    receipt.cancelled.append(run_id)
    with engine.transaction() as conn:
        candidates = waits.open_waits_for(conn, event.name, event.seq, event.data)
    for wait in candidates:
        with engine.transaction() as conn:
            settled = waits.try_resolve(conn, wait)
        if settled and await engine.wake(wait.run_id) is not None:
            receipt.resumed.append(wait.run_id)
    with engine.transaction() as conn:
        relaxed_commit(conn)  # lost in a database crash, the sweep fans the event out again: harmless
        conn.execute(update(EVENTS).where(EVENTS.c.seq == event.seq).values(fanned_out_at=db_now()))
    return receipt


async def _start_run(engine: Engine, wf: Workflow, event: StoredEvent) -> str:
    with engine.transaction() as conn:
        existing = conn.execute(select(RUNS.c.id).where(RUNS.c.workflow == wf.name,
                                                        RUNS.c.event_id == event.id)).scalar()
    if existing is not None:
        return str(existing)
    delay = 0.0
    throttle_key = None
    if wf.throttle is not None:
        throttle_key = f"{wf.name}:{resolve_key(wf.throttle.key, event.name, event.data)}"
        _, delay = await engine.limits.reserve(f"throttle:{throttle_key}", wf.throttle.limit,
                                               wf.throttle.period_seconds)
    run_id = new_id()
    try:
        with engine.transaction() as conn, conn.begin_nested():
            conn.execute(insert(RUNS).values(
                id=run_id, workflow=wf.name, status=RunStatus.queued.value, generation=1,
                subject=wf.subject_of(event.data), event_id=event.id, event_seq=event.seq, event_name=event.name,
                event_data=event.data, throttle_key=throttle_key, not_before=db_now(delay), updated_at=db_now(),
                attempts=0, cancel_requested=False,
            ))
    except IntegrityError:  # the same event fanned out twice at once: one run only
        with engine.transaction() as conn:
            return str(conn.execute(select(RUNS.c.id).where(RUNS.c.workflow == wf.name,
                                                            RUNS.c.event_id == event.id)).scalar_one())
    await engine.enqueue_run(run_id, 1, delay=delay)
    await engine.publish(wf, run_id, wf.subject_of(event.data), {"type": "status", "status": RunStatus.queued.value})
    return run_id


def _runs_matching(engine: Engine, wf: Workflow, event: StoredEvent, field_name: str) -> list[str]:
    """Unfinished runs of `wf` started before `event` whose triggering data[field] equals the event's."""
    query = select(RUNS.c.id, RUNS.c.event_data).where(
        RUNS.c.workflow == wf.name, RUNS.c.status.notin_(FINISHED), RUNS.c.event_seq < event.seq)
    value = event.data[field_name]
    if field_name == wf.subject:  # the usual case, through the subject index
        query = query.where(RUNS.c.subject == wf.subject_of(event.data))
    with engine.transaction() as conn:
        rows = conn.execute(query).all()
    return [row.id for row in rows if matching.fits(row.event_data, {field_name: value})]
