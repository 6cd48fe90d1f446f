"""Run and step state in the database: every transition is one conditional UPDATE, so racing
workers, senders and sweeps agree on a single winner without locks held across awaits.

Fencing. A run's `generation` names the one execution allowed to write. Every write an
execution makes (a step's start, restart, completion or failure, a suspension, the end, its
progress) runs in a transaction that first passes the fence: an UPDATE of the run row that
matches only this generation while the run is running. On PostgreSQL that UPDATE also locks
the row, so a hand-over to a new generation (itself an UPDATE of that row) is ordered
strictly before or after the whole write: a late execution's result is dropped, never
written over what the new one already used. A completed step is never reset.

Every moment is the database's (`db_now`), so no worker's clock decides anything.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Float, and_, bindparam, case, false, func, insert, select, text, update
from sqlalchemy.sql.expression import ColumnElement

from bookbug.db.session import new_id
from bookbug.engine.clock import db_now, seconds_until
from bookbug.engine.errors import Cancelled, Superseded
from bookbug.engine.tables import FINISHED, Run, RunStatus, Step, StepStatus, Wait

log = logging.getLogger("bookbug.engine")

RUNS, STEPS, WAITS = Run.__table__, Step.__table__, Wait.__table__  # type: ignore[attr-defined]  # SQLModel sets __table__ on table classes without declaring it


# -- a run changing hands ----------------------------------------------------------------------

def claim(conn: Connection, run_id: str, generation: int) -> bool:
    """queued → running for exactly this generation, once its not-before time has come."""
    result = conn.execute(_CLAIM, {"rid": run_id, "gen": generation})
    return result.rowcount == 1


@dataclass(frozen=True)
class RunState:
    status: str
    generation: int
    cancel_requested: bool
    due_in: float | None  # seconds until not_before (database clock), None when unset


def run_state(conn: Connection, run_id: str) -> RunState | None:
    row = conn.execute(_RUN_STATE, {"rid": run_id}).first()
    if row is None:
        return None
    return RunState(row.status, row.generation, bool(row.cancel_requested),
                    None if row.due_in is None else float(row.due_in))


@dataclass(frozen=True)
class Handover:
    status: str  # queued (a new execution will take it) or cancelled (it was asked to stop)
    generation: int


def hand_back(conn: Connection, run_id: str, *, from_status: str, generation: int | None = None,
              delay: float = 0.0) -> Handover | None:
    """Give the run to a new execution `delay` seconds from now, or, when a cancel was asked
    for meanwhile, end it as cancelled (nothing else would ever end it). None if the run is no
    longer in `from_status` (with `generation`): someone else moved it first."""
    condition = and_(RUNS.c.id == run_id, RUNS.c.status == from_status)
    if generation is not None:
        condition = and_(condition, RUNS.c.generation == generation)
    cancelling = RUNS.c.cancel_requested == True  # noqa: E712 - SQL comparison
    now = db_now()
    due: ColumnElement[Any] = db_now(max(0.0, delay))
    if from_status == RunStatus.queued.value and delay <= 0:
        # A run that never started, handed on at once, stays due when it was: the sweep puts
        # overdue runs back in line by that moment.
        due = case((RUNS.c.not_before < now, RUNS.c.not_before), else_=now)
    row = conn.execute(
        update(RUNS).where(condition).values(
            status=case((cancelling, RunStatus.cancelled.value), else_=RunStatus.queued.value),
            generation=RUNS.c.generation + 1,
            not_before=case((cancelling, None), else_=due),
            finished_at=case((cancelling, now), else_=None),
            error=case((cancelling, func.coalesce(RUNS.c.error, "cancelled")), else_=RUNS.c.error),
            updated_at=now, heartbeat_at=None,
        ).returning(RUNS.c.status, RUNS.c.generation)
    ).first()
    return None if row is None else Handover(str(row.status), int(row.generation))


def finish(conn: Connection, run_id: str, generation: int, status: RunStatus, *, output: Any = None,
           error: str | None = None, failure: dict[str, Any] | None = None) -> bool:
    """The run ends, if this generation still owns it and it has not ended."""
    now = db_now()
    result = conn.execute(update(RUNS).where(and_(
        RUNS.c.id == run_id, RUNS.c.generation == generation, RUNS.c.status.notin_(FINISHED),
    )).values(status=status.value, output=output, error=error, failure=failure, finished_at=now, updated_at=now,
              heartbeat_at=None))
    return result.rowcount == 1


def suspend_waiting(conn: Connection, run_id: str, generation: int, wait_keys: list[str]) -> bool:
    """running → waiting on `wait_keys`; False when the run was cancelled or taken over meanwhile."""
    result = conn.execute(update(RUNS).where(and_(
        RUNS.c.id == run_id, RUNS.c.generation == generation, RUNS.c.status == RunStatus.running.value,
        RUNS.c.cancel_requested == false(),
    )).values(status=RunStatus.waiting.value, updated_at=db_now(), heartbeat_at=None))
    if result.rowcount != 1:
        return False
    conn.execute(update(WAITS).where(WAITS.c.run_id == run_id).values(
        suspended=WAITS.c.step_key.in_(wait_keys) if wait_keys else false()))
    return True


def has_resolved_suspension(conn: Connection, run_id: str) -> bool:
    return conn.execute(select(WAITS.c.id).where(
        WAITS.c.run_id == run_id, WAITS.c.suspended == True, WAITS.c.resolved_at.is_not(None),  # noqa: E712
    ).limit(1)).first() is not None


# -- fences ----------------------------------------------------------------------------------

def fence_start(conn: Connection, run_id: str, generation: int) -> None:
    """Before a step starts: still ours, and not cancelled? Doubles as a heartbeat."""
    if conn.execute(_FENCE_START, {"rid": run_id, "gen": generation}).rowcount == 1:
        return
    state = run_state(conn, run_id)
    if state is not None and state.generation == generation and state.cancel_requested:
        raise Cancelled()
    raise Superseded()


def fence_write(conn: Connection, run_id: str, generation: int, what: str) -> None:
    """Before writing a step's outcome: still ours? (A cancel does not stop a finished step
    from being recorded.) A stale execution's outcome is dropped here, and said so."""
    if conn.execute(_FENCE_WRITE, {"rid": run_id, "gen": generation}).rowcount == 1:
        return
    log.warning("run %s: execution %s was superseded; its %s is dropped", run_id, generation, what)
    raise Superseded()


def beat(conn: Connection, run_id: str, generation: int) -> bool:
    """A heartbeat; False when this execution no longer owns the run."""
    return conn.execute(_FENCE_WRITE, {"rid": run_id, "gen": generation}).rowcount == 1


# -- steps -----------------------------------------------------------------------------------

@dataclass
class StepRecord:
    """A step checkpoint as the executing workflow sees it (lighter than the ORM row)."""

    id: str
    key: str
    scope: str
    position: int
    kind: str
    fn: str | None
    status: str
    output: Any
    attempts: int
    due_at: float | None = None  # monotonic moment a retrying step may be called again
    started_at: float | None = None  # monotonic moment this execution started it


def load_steps(conn: Connection, run_id: str) -> dict[str, StepRecord]:
    loaded_at = time.monotonic()
    records = {}
    for row in conn.execute(_LOAD_STEPS, {"rid": run_id}):
        due = None if row.due_in is None else loaded_at + float(row.due_in)
        records[row.step_key] = StepRecord(row.id, row.step_key, row.scope, row.position, row.kind, row.fn,
                                           row.status, row.output, row.attempts, due)
    return records


def load_step(conn: Connection, step_id: str) -> StepRecord | None:
    loaded = {r.id: r for r in (StepRecord(row.id, row.step_key, row.scope, row.position, row.kind, row.fn,
                                           row.status, row.output, row.attempts)
                                for row in conn.execute(_LOAD_STEP, {"sid": step_id}))}
    return loaded.get(step_id)


def relaxed_commit(conn: Connection) -> None:
    """Let this transaction commit without waiting for PostgreSQL's WAL flush.

    Only for records whose loss is harmless: a step's start (its attempt count). If the
    database server itself crashed right after, the step would simply run again, which an
    unfinished step does anyway. Completions wait for the flush unless configured otherwise.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(_RELAXED)


def start_step(conn: Connection, run_id: str, generation: int, existing: StepRecord | None, *, key: str,
               scope: str, position: int, kind: str, fn: str | None,
               status: StepStatus = StepStatus.running) -> StepRecord:
    """Record an attempt (or a wait) beginning, behind the start fence; returns the record the
    step keeps. If the step turns out to be completed already, that record comes back instead
    (the caller returns its output rather than running it again)."""
    fence_start(conn, run_id, generation)
    attempt = 1 if status == StepStatus.running else 0
    if existing is None:
        record = StepRecord(id=new_id(), key=key, scope=scope, position=position, kind=kind, fn=fn,
                            status=status.value, output=None, attempts=attempt, started_at=time.monotonic())
        conn.execute(_INSERT_STEP, {"id": record.id, "run_id": run_id, "step_key": key, "scope": scope,
                                    "position": position, "kind": kind, "fn": fn, "status": record.status,
                                    "attempts": attempt, "generation": generation})
        return record
    restarted = conn.execute(_RESTART_STEP, {"sid": existing.id, "st": status.value, "att": attempt,
                                             "gen": generation, "pos": position}).rowcount == 1
    if not restarted:  # completed (never reset): hand back what was stored
        stored = load_step(conn, existing.id)
        if stored is not None:
            return stored
    existing.attempts += attempt
    existing.status, existing.started_at, existing.due_at = status.value, time.monotonic(), None
    existing.position = position  # where it runs now (a loop may have moved it): replays look for it here
    return existing


def complete_step(conn: Connection, run_id: str, generation: int, step: StepRecord, output: Any) -> None:
    fence_write(conn, run_id, generation, f"result of step {step.key!r}")
    conn.execute(_COMPLETE_STEP, {"sid": step.id, "out": output, "gen": generation, "ms": _ms_since(step)})
    step.status, step.output = StepStatus.completed.value, output


def fail_step(conn: Connection, run_id: str, generation: int, step: StepRecord, status: StepStatus, error: str,
              failure: dict[str, Any] | None = None, retry_in: float | None = None) -> None:
    """The attempt failed: for good (`failed`), or to be tried again no sooner than `retry_in` s."""
    fence_write(conn, run_id, generation, f"failure of step {step.key!r}")
    values = {"sid": step.id, "st": status.value, "err": error, "fail": failure, "gen": generation,
              "ms": _ms_since(step)}
    if retry_in is None:
        conn.execute(_FAIL_STEP, values)
    else:
        conn.execute(_RETRY_STEP, {**values, "due": retry_in})
    step.status = status.value
    step.due_at = None if retry_in is None else time.monotonic() + retry_in


def defer_step(conn: Connection, run_id: str, generation: int, step: StepRecord, reason: str,
               retry_in: float) -> None:
    """The attempt never reached its service (a rate limit or pause said "not yet"): it does not
    count, and the step is due again in `retry_in` seconds."""
    fence_write(conn, run_id, generation, f"deferral of step {step.key!r}")
    conn.execute(_DEFER_STEP, {"sid": step.id, "err": reason, "gen": generation, "due": retry_in})
    step.status, step.attempts = StepStatus.retrying.value, max(0, step.attempts - 1)
    step.due_at = time.monotonic() + retry_in


def _ms_since(step: StepRecord) -> float | None:
    return None if step.started_at is None else (time.monotonic() - step.started_at) * 1000


# The hot path (every step) runs these prepared Core statements on a plain connection: the
# ORM's per-call expression building costs more than the SQL itself.
_RUNNING = RunStatus.running.value
_CLAIM = (update(RUNS).where(
    RUNS.c.id == bindparam("rid"), RUNS.c.generation == bindparam("gen"), RUNS.c.status == RunStatus.queued.value,
    RUNS.c.cancel_requested == false(), (RUNS.c.not_before.is_(None)) | (RUNS.c.not_before <= db_now()),
).values(status=_RUNNING, attempts=RUNS.c.attempts + 1, claimed_at=db_now(), heartbeat_at=db_now(),
         updated_at=db_now(), started_at=func.coalesce(RUNS.c.started_at, db_now()), not_before=None, error=None,
         failure=None))
_RUN_STATE = select(RUNS.c.status, RUNS.c.generation, RUNS.c.cancel_requested,
                    seconds_until(RUNS.c.not_before).label("due_in")).where(RUNS.c.id == bindparam("rid"))
_FENCE_START = (update(RUNS).where(RUNS.c.id == bindparam("rid"), RUNS.c.generation == bindparam("gen"),
                                   RUNS.c.status == _RUNNING, RUNS.c.cancel_requested == false())
                .values(heartbeat_at=db_now()))
_FENCE_WRITE = (update(RUNS).where(RUNS.c.id == bindparam("rid"), RUNS.c.generation == bindparam("gen"),
                                   RUNS.c.status == _RUNNING)
                .values(heartbeat_at=db_now()))
_STEP_COLUMNS = (STEPS.c.id, STEPS.c.step_key, STEPS.c.scope, STEPS.c.position, STEPS.c.kind, STEPS.c.fn,
                 STEPS.c.status, STEPS.c.output, STEPS.c.attempts)
# Only a retrying step's due time is worth the database's arithmetic (a long replay reads
# thousands of completed steps).
_LOAD_STEPS = select(*_STEP_COLUMNS, case(
    (STEPS.c.status == StepStatus.retrying.value, seconds_until(STEPS.c.not_before)), else_=None,
).label("due_in")).where(STEPS.c.run_id == bindparam("rid"))
_LOAD_STEP = select(*_STEP_COLUMNS).where(STEPS.c.id == bindparam("sid"))
_INSERT_STEP = insert(STEPS).values(started_at=db_now())
_RELAXED = text("SET LOCAL synchronous_commit TO OFF")
_RESTART_STEP = (update(STEPS).where(STEPS.c.id == bindparam("sid"),
                                     STEPS.c.status.notin_((StepStatus.completed.value, StepStatus.failed.value)))
                 .values(status=bindparam("st"), attempts=STEPS.c.attempts + bindparam("att"),
                         generation=bindparam("gen"), position=bindparam("pos"), started_at=db_now(),
                         finished_at=None, not_before=None))
_COMPLETE_STEP = (update(STEPS).where(STEPS.c.id == bindparam("sid"), STEPS.c.status != StepStatus.completed.value)
                  .values(status=StepStatus.completed.value, output=bindparam("out"), error=None, failure=None,
                          generation=bindparam("gen"), not_before=None, finished_at=db_now(),
                          duration_ms=bindparam("ms")))
_FAIL_STEP = (update(STEPS).where(STEPS.c.id == bindparam("sid"), STEPS.c.status != StepStatus.completed.value)
              .values(status=bindparam("st"), error=bindparam("err"), failure=bindparam("fail"),
                      generation=bindparam("gen"), finished_at=db_now(), duration_ms=bindparam("ms"), not_before=None))
_RETRY_STEP = _FAIL_STEP.values(not_before=db_now(bindparam("due", type_=Float())))
_DEFER_STEP = (update(STEPS).where(STEPS.c.id == bindparam("sid"), STEPS.c.status != StepStatus.completed.value)
               .values(status=StepStatus.retrying.value, error=bindparam("err"), generation=bindparam("gen"),
                       attempts=STEPS.c.attempts - 1,  # counted when it started
                       finished_at=db_now(), not_before=db_now(bindparam("due", type_=Float()))))
