"""Run state in the database: every transition is one conditional UPDATE, so racing workers,
senders and sweeps agree on a single winner without locks. A run's `generation` names the
execution allowed to write; a stale execution finds its generation gone and stops.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, and_, bindparam, false, insert, text, update
from sqlmodel import Session, select

from bookbug.db.runs import JobStep, Run, RunStatus, StepStatus, Wait
from bookbug.db.session import new_id, utcnow
from bookbug.engine.errors import Cancelled, Superseded

FINISHED = (RunStatus.completed.value, RunStatus.failed.value, RunStatus.cancelled.value)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without a zone; every moment the engine stores is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def _returning_generation(session: Session, statement: Any) -> int | None:
    row = session.exec(statement.returning(Run.generation)).first()  # type: ignore[union-attr]
    return None if row is None else int(row[0])


def claim(session: Session, run_id: str, generation: int) -> bool:
    """queued → running for exactly this generation; False if another execution owns the run."""
    now = utcnow()
    result = session.exec(
        update(Run)
        .where(and_(Run.id == run_id, Run.generation == generation, Run.status == RunStatus.queued.value,
                    Run.cancel_requested == False))  # noqa: E712 - SQL comparison
        .values(status=RunStatus.running.value, attempts=Run.attempts + 1, claimed_at=now,
                heartbeat_at=now, updated_at=now, not_before=None, error=None)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.exec(update(Run).where(and_(Run.id == run_id, Run.started_at.is_(None))).values(started_at=now))  # type: ignore[union-attr]
    return True


def fence(conn: Connection, run_id: str, generation: int) -> None:
    """Before a step starts: still ours and not cancelled? Doubles as a heartbeat."""
    result = conn.execute(_FENCE, {"rid": run_id, "gen": generation, "now": utcnow()})
    if result.rowcount == 1:
        return
    row = conn.execute(_RUN_STATE, {"rid": run_id}).first()
    if row is not None and row.generation == generation and row.cancel_requested:
        raise Cancelled()
    raise Superseded()


def heartbeat(session: Session, run_id: str, generation: int) -> bool:
    result = session.exec(
        update(Run)
        .where(and_(Run.id == run_id, Run.generation == generation, Run.status == RunStatus.running.value))
        .values(heartbeat_at=utcnow())
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def requeue(session: Session, run_id: str, *, from_status: str, generation: int | None = None,
            at: datetime | None = None) -> int | None:
    """Hand the run to a new execution (at `at`); returns the new generation, None if it moved on."""
    condition = and_(Run.id == run_id, Run.status == from_status, Run.cancel_requested == False)  # noqa: E712
    if generation is not None:
        condition = and_(condition, Run.generation == generation)
    return _returning_generation(session, update(Run).where(condition).values(
        status=RunStatus.queued.value, generation=Run.generation + 1, not_before=at or utcnow(),
        updated_at=utcnow(), heartbeat_at=None,
    ))


def wake(session: Session, run_id: str) -> int | None:
    """waiting → queued, once; whoever loses the race gets None."""
    return requeue(session, run_id, from_status=RunStatus.waiting.value)


def finish(session: Session, run_id: str, generation: int | None, status: RunStatus, *,
           output: Any = None, error: str | None = None) -> bool:
    condition = and_(Run.id == run_id, Run.status.notin_(FINISHED))  # type: ignore[attr-defined]
    if generation is not None:
        condition = and_(condition, Run.generation == generation)
    now = utcnow()
    result = session.exec(update(Run).where(condition).values(
        status=status.value, output=output, error=error, finished_at=now, updated_at=now, heartbeat_at=None,
    ))
    return result.rowcount == 1  # type: ignore[attr-defined]


def suspend_waiting(session: Session, run_id: str, generation: int, wait_steps: list[str]) -> bool:
    """running → waiting on `wait_steps`; False when the run was cancelled or taken over meanwhile."""
    result = session.exec(
        update(Run)
        .where(and_(Run.id == run_id, Run.generation == generation, Run.status == RunStatus.running.value,
                    Run.cancel_requested == False))  # noqa: E712
        .values(status=RunStatus.waiting.value, updated_at=utcnow(), heartbeat_at=None)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.exec(update(Wait).where(Wait.run_id == run_id).values(  # type: ignore[arg-type]
        suspended=Wait.step_id.in_(wait_steps) if wait_steps else False))  # type: ignore[attr-defined]
    return True


def has_resolved_suspension(session: Session, run_id: str) -> bool:
    return session.exec(select(Wait.id).where(
        Wait.run_id == run_id, Wait.suspended == True, Wait.resolved_at.is_not(None)  # type: ignore[union-attr]  # noqa: E712
    ).limit(1)).first() is not None


@dataclass
class StepRecord:
    """A step checkpoint as the executing workflow sees it (lighter than the ORM row)."""

    id: str
    step_id: str
    scope: str
    position: int
    kind: str
    status: str
    output: Any
    attempts: int
    started_at: datetime | None = None


def load_steps(conn: Connection, run_id: str) -> dict[str, StepRecord]:
    return {row[1]: StepRecord(*row) for row in conn.execute(_LOAD_STEPS, {"rid": run_id})}


def relaxed_commit(conn: Connection) -> None:
    """Let this transaction commit without waiting for PostgreSQL's WAL flush.

    Only for records whose loss is harmless: a step's start (its attempt count). If the
    database server itself crashed right after, the step would simply run again, which an
    unfinished step does anyway. Completions always wait for the flush.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(_RELAXED)


def start_step(conn: Connection, run_id: str, existing: StepRecord | None, *, step_id: str, scope: str,
               position: int, kind: str, status: StepStatus = StepStatus.running) -> StepRecord:
    """Record an attempt (or a wait) beginning; returns the record the step keeps."""
    now = utcnow()
    attempt = 1 if status == StepStatus.running else 0
    if existing is None:
        record = StepRecord(id=new_id(), step_id=step_id, scope=scope, position=position, kind=kind,
                            status=status.value, output=None, attempts=attempt, started_at=now)
        conn.execute(_INSERT_STEP, {"id": record.id, "run_id": run_id, "step_id": step_id, "scope": scope,
                                    "position": position, "kind": kind, "status": record.status,
                                    "attempts": attempt, "started_at": now})
        return record
    existing.attempts += attempt
    existing.status, existing.started_at = status.value, now
    conn.execute(_RESTART_STEP, {"sid": existing.id, "st": existing.status, "att": existing.attempts, "now": now})
    return existing


def complete_step(conn: Connection, step: StepRecord, output: Any) -> None:
    now = utcnow()
    conn.execute(_COMPLETE_STEP, {"sid": step.id, "out": output, "now": now, "ms": _ms_since(step.started_at, now)})
    step.status, step.output = StepStatus.completed.value, output


def fail_step(conn: Connection, step: StepRecord, status: StepStatus, error: str) -> None:
    now = utcnow()
    conn.execute(_FAIL_STEP, {"sid": step.id, "st": status.value, "err": error, "now": now,
                              "ms": _ms_since(step.started_at, now)})
    step.status = status.value


def _ms_since(started: datetime | None, now: datetime) -> float | None:
    return None if started is None else (now - aware(started)).total_seconds() * 1000  # type: ignore[operator]


# The hot path (every step) runs these prepared Core statements on a plain connection: the
# ORM's per-call expression building costs more than the SQL itself.
_RUNS, _STEPS = Run.__table__, JobStep.__table__  # type: ignore[attr-defined]
_FENCE = (update(_RUNS).where(_RUNS.c.id == bindparam("rid"), _RUNS.c.generation == bindparam("gen"),
                              _RUNS.c.status == RunStatus.running.value, _RUNS.c.cancel_requested == false())
          .values(heartbeat_at=bindparam("now")))
_RUN_STATE = select(_RUNS.c.generation, _RUNS.c.cancel_requested).where(_RUNS.c.id == bindparam("rid"))
# started_at is left out on purpose: parsing 1,000 timestamps (SQLite stores text) would be
# a third of a long replay, and only a step that starts again needs it (it gets a new one).
_LOAD_STEPS = select(_STEPS.c.id, _STEPS.c.step_id, _STEPS.c.scope, _STEPS.c.position, _STEPS.c.kind,
                     _STEPS.c.status, _STEPS.c.output, _STEPS.c.attempts
                     ).where(_STEPS.c.run_id == bindparam("rid"))
_INSERT_STEP = insert(_STEPS)
_RELAXED = text("SET LOCAL synchronous_commit TO OFF")
_RESTART_STEP = (update(_STEPS).where(_STEPS.c.id == bindparam("sid"))
                 .values(status=bindparam("st"), attempts=bindparam("att"), started_at=bindparam("now"),
                         finished_at=None))
_COMPLETE_STEP = (update(_STEPS).where(_STEPS.c.id == bindparam("sid"))
                  .values(status=StepStatus.completed.value, output=bindparam("out"), error=None,
                          finished_at=bindparam("now"), duration_ms=bindparam("ms")))
_FAIL_STEP = (update(_STEPS).where(_STEPS.c.id == bindparam("sid"))
              .values(status=bindparam("st"), error=bindparam("err"), finished_at=bindparam("now"),
                      duration_ms=bindparam("ms")))
