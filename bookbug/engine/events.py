"""Events: stored first (the id is an idempotency key), then fanned out to the runs they start,
resume or cancel. Fan-out is idempotent (one run per workflow per event, conditional wait
resolution), so re-sending an event, or the sweep redoing an interrupted fan-out, is safe.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bookbug.db.runs import Event, Run, RunStatus
from bookbug.db.session import session_scope, utcnow
from bookbug.engine import checkpoints, waits
from bookbug.engine.codec import NotStorable, encode
from bookbug.engine.workflow import Workflow, resolve_key

if TYPE_CHECKING:
    from bookbug.engine.engine import Engine


@dataclass
class EventReceipt:
    event_id: str
    duplicate: bool = False  # the idempotency key was seen before: this is the same event
    started: list[str] = field(default_factory=list)  # runs this event started
    resumed: list[str] = field(default_factory=list)  # waiting runs it resumed
    cancelled: list[str] = field(default_factory=list)


async def send_event(engine: Engine, name: str, data: Mapping[str, Any] | None = None, *,
                     id: str | None = None) -> EventReceipt:
    if not isinstance(name, str) or not name.strip():
        raise ValueError("an event needs a name, such as 'book/create.started'")
    if id is not None and (not isinstance(id, str) or not id or len(id) > 200):
        raise ValueError("an event id (idempotency key) must be text of 1 to 200 characters")
    try:
        payload = encode(dict(data or {}), where=f"the data of event {name!r}")
    except NotStorable as exc:
        raise ValueError(str(exc)) from None
    for wf in engine.registry.triggered_by(name):
        if wf.throttle is not None:
            resolve_key(wf.throttle.key, name, payload)  # a clear ValueError before anything is stored
    event, duplicate = _store(engine, name, payload, id)
    if duplicate and event.name != name:
        raise ValueError(f"the event id {id!r} was already used by a {event.name!r} event; ids must be unique")
    receipt = await fan_out(engine, event)
    receipt.duplicate = duplicate
    return receipt


def _store(engine: Engine, name: str, payload: dict[str, Any], key: str | None) -> tuple[Event, bool]:
    db = engine.config.db_url
    if key is not None:
        with session_scope(db) as session:
            existing = session.exec(select(Event).where(Event.idempotency_key == key)).first()
        if existing is not None:
            return existing, True
    try:
        with session_scope(db) as session:
            event = Event(name=name, data=payload, idempotency_key=key)
            session.add(event)
        return event, False
    except IntegrityError:  # the same key, sent at the same moment by someone else
        with session_scope(db) as session:
            existing = session.exec(select(Event).where(Event.idempotency_key == key)).one()
        return existing, True


async def fan_out(engine: Engine, event: Event) -> EventReceipt:
    receipt = EventReceipt(event_id=event.id)
    data = dict(event.data or {})
    for wf in engine.registry.triggered_by(event.name):
        receipt.started.append(await _start_run(engine, wf, event))
    for wf, rule in engine.registry.cancelled_by(event.name):
        if rule.match in data:
            for run_id in _runs_matching(engine, wf, event, rule.match, data[rule.match]):
                if await engine.cancel_run(run_id, reason=f"cancelled by event {event.name!r}"):
                    receipt.cancelled.append(run_id)
    with session_scope(engine.config.db_url) as session:
        candidates = waits.open_waits_for(session, event)
    for wait in candidates:
        with session_scope(engine.config.db_url) as session:
            settled = waits.try_resolve(session, wait)
        if settled and await engine.wake(wait.run_id) is not None:
            receipt.resumed.append(wait.run_id)
    with session_scope(engine.config.db_url) as session:
        session.exec(update(Event).where(Event.id == event.id).values(fanned_out_at=utcnow()))  # type: ignore[arg-type]
    return receipt


async def _start_run(engine: Engine, wf: Workflow, event: Event) -> str:
    db = engine.config.db_url
    with session_scope(db) as session:
        existing = session.exec(select(Run).where(Run.workflow == wf.name, Run.event_id == event.id)).first()
    if existing is not None:
        return existing.id
    data = dict(event.data or {})
    not_before = utcnow()
    throttle_key = None
    if wf.throttle is not None:
        throttle_key = f"{wf.name}:{resolve_key(wf.throttle.key, event.name, data)}"
        _, delay = await engine.limits.reserve(f"throttle:{throttle_key}", wf.throttle.limit,
                                               wf.throttle.period_seconds)
        not_before += timedelta(seconds=delay)
    run = Run(workflow=wf.name, status=RunStatus.queued.value, generation=1, book_id=wf.subject_of(data),
              event_id=event.id, event_data=data, throttle_key=throttle_key, not_before=not_before,
              updated_at=utcnow())
    try:
        with session_scope(db) as session:
            session.add(run)
    except IntegrityError:  # the same event fanned out twice at once: one run only
        with session_scope(db) as session:
            return session.exec(select(Run.id).where(Run.workflow == wf.name, Run.event_id == event.id)).one()
    await engine.enqueue_run(run.id, 1, at=not_before)
    await engine.publish(wf, run.id, run.book_id, {"type": "status", "status": RunStatus.queued.value})
    return run.id


def _runs_matching(engine: Engine, wf: Workflow, event: Event, field_name: str, value: Any) -> list[str]:
    query = select(Run).where(Run.workflow == wf.name, Run.status.notin_(checkpoints.FINISHED),  # type: ignore[attr-defined]
                              Run.created_at <= checkpoints.aware(event.received_at))
    if isinstance(value, str):
        query = query.where(Run.event_data[field_name].as_string() == value)  # type: ignore[index]
    with session_scope(engine.config.db_url) as session:
        runs = list(session.exec(query))
    return [r.id for r in runs if (r.event_data or {}).get(field_name) == value]
