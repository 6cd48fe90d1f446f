"""Waits: a run suspended until a matching event arrives or its timeout passes.

The race Inngest loses (inngest/inngest#1433): an event stored while the wait is being
registered. Here both sides write first and read second: the sender commits the event, then
looks for waits; the waiter commits its wait, then looks for events. Whichever commits
second sees the other's row, so at least one side finds the pair, and a conditional UPDATE
(`resolved_at IS NULL`) lets exactly one side resolve it. A wait looks back to the start of
its run (`since`), not to the moment it registered, so an event that arrived between the
run's previous step and this wait still counts. Each event resolves at most one wait of a run:
a loop of waits on the same event name receives the events one by one, in arrival order.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import and_, update
from sqlmodel import Session, select

from bookbug.db.runs import Event, JobStep, StepStatus, Wait
from bookbug.db.session import utcnow
from bookbug.engine.checkpoints import aware


def register(session: Session, *, run_id: str, step_id: str, since: datetime, event_name: str | None,
             match: Mapping[str, Any] | None, timeout_at: datetime | None) -> Wait:
    """The run's wait for `step_id`, created on first reach (a replay finds the same row)."""
    existing = session.exec(select(Wait).where(Wait.run_id == run_id, Wait.step_id == step_id)).first()
    if existing is not None:
        return existing
    first = next(iter(match.items()), None) if match else None
    wait = Wait(
        run_id=run_id, step_id=step_id, event_name=event_name, match=dict(match) if match else None,
        match_field=first[0] if first else None,
        match_value=None if first is None or first[1] is None else str(first[1]),
        since=since, timeout_at=timeout_at,
    )
    session.add(wait)
    session.flush()
    return wait


def matches(data: Mapping[str, Any] | None, match: Mapping[str, Any] | None) -> bool:
    data = data or {}
    return all(field in data and data[field] == value for field, value in (match or {}).items())


def earliest_event(session: Session, wait: Wait) -> Event | None:
    """The oldest matching event received since the wait's look-back start, not yet used by its run."""
    if wait.event_name is None:
        return None
    used = select(Wait.event_id).where(Wait.run_id == wait.run_id, Wait.event_id.is_not(None))  # type: ignore[union-attr]
    query = select(Event).where(
        Event.name == wait.event_name, Event.received_at >= aware(wait.since),
        Event.id.notin_(used),  # type: ignore[attr-defined]
    )
    for field, value in (wait.match or {}).items():
        if isinstance(value, str):  # narrows the scan in SQL; `matches` below has the last word
            query = query.where(Event.data[field].as_string() == value)  # type: ignore[index]
    for event in session.exec(query.order_by(Event.received_at, Event.id).limit(100)):  # type: ignore[arg-type]
        if matches(event.data, wait.match):
            return event
    return None


def resolve(session: Session, wait: Wait, event: Event | None) -> bool:
    """Settle the wait with `event` (None: timed out) and checkpoint its step; False if already settled."""
    now = utcnow()
    result = session.exec(
        update(Wait).where(and_(Wait.id == wait.id, Wait.resolved_at.is_(None)))  # type: ignore[union-attr]
        .values(resolved_at=now, event_id=event.id if event else None)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.exec(
        update(JobStep).where(and_(JobStep.run_id == wait.run_id, JobStep.step_id == wait.step_id))  # type: ignore[arg-type]
        .values(status=StepStatus.completed.value, output=event.data if event else None, finished_at=now)
    )
    return True


def try_resolve(session: Session, wait: Wait) -> bool:
    """Resolve the wait if its event is here or its time is up."""
    if wait.resolved_at is not None:
        return False
    event = earliest_event(session, wait)
    if event is not None:
        return resolve(session, wait, event)
    timeout_at = aware(wait.timeout_at)
    if timeout_at is not None and timeout_at <= utcnow():
        return resolve(session, wait, None)
    return False


def open_waits_for(session: Session, event: Event) -> list[Wait]:
    """Unresolved waits this event could settle."""
    waits = session.exec(select(Wait).where(
        Wait.event_name == event.name, Wait.resolved_at.is_(None),  # type: ignore[union-attr]
        Wait.since <= aware(event.received_at),
    ))
    return [w for w in waits if matches(event.data, w.match)]
