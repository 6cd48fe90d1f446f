"""Operator actions on a run: cancel it (by API or by a `cancel_on` event) and rerun a failed one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import and_, select, update

from bookbug.engine.clock import db_now
from bookbug.engine.errors import UnknownRun
from bookbug.engine.tables import FINISHED, Run, RunStatus, Step, StepStatus

if TYPE_CHECKING:
    from bookbug.engine.engine import Engine

RUNS, STEPS = Run.__table__, Step.__table__  # type: ignore[attr-defined]  # SQLModel sets __table__ on table classes without declaring it
_IDLE = (RunStatus.queued.value, RunStatus.waiting.value)


async def cancel_run(engine: Engine, run_id: str, reason: str = "cancelled by request") -> bool:
    """Stop the run: a step already running may finish, nothing after it runs. False if it had ended.

    A run not executing right now ends here; an executing one ends itself at its next step, or,
    if its worker stops first, wherever it is handed back (the hand-back ends a cancelled run).
    """
    with engine.transaction() as conn:
        flagged = conn.execute(update(RUNS).where(and_(RUNS.c.id == run_id, RUNS.c.status.notin_(FINISHED)))
                               .values(cancel_requested=True, error=reason, updated_at=db_now()))
    if flagged.rowcount != 1:
        return False
    with engine.transaction() as conn:
        ended = conn.execute(update(RUNS).where(and_(RUNS.c.id == run_id, RUNS.c.status.in_(_IDLE)))
                             .values(status=RunStatus.cancelled.value, finished_at=db_now(), updated_at=db_now())
                             ).rowcount
        row = conn.execute(select(RUNS.c.workflow, RUNS.c.subject).where(RUNS.c.id == run_id)).first()
    if ended and row is not None:
        await engine.publish(engine.registry.get(row.workflow), run_id, row.subject,
                             {"type": "status", "status": RunStatus.cancelled.value, "error": reason})
    return True


async def rerun(engine: Engine, run_id: str) -> int:
    """Run a failed run again from its failed step; completed steps keep their checkpoints."""
    with engine.transaction() as conn:
        status = conn.execute(select(RUNS.c.status).where(RUNS.c.id == run_id)).scalar()
        if status is None:
            raise UnknownRun(f"there is no run {run_id!r}")
        if status != RunStatus.failed.value:
            raise ValueError(f"only a failed run can be rerun; run {run_id} is {status}")
        generation = conn.execute(update(RUNS).where(and_(
            RUNS.c.id == run_id, RUNS.c.status == RunStatus.failed.value,
        )).values(status=RunStatus.queued.value, generation=RUNS.c.generation + 1, reruns=RUNS.c.reruns + 1,
                  error=None, failure=None,
                  finished_at=None, cancel_requested=False, not_before=db_now(), updated_at=db_now(),
                  heartbeat_at=None).returning(RUNS.c.generation)).scalar()
        if generation is None:
            raise ValueError(f"run {run_id} changed while it was being rerun; try again")
        # Its failed (or cut-off) steps start again with fresh attempts; waits are left as they were.
        conn.execute(update(STEPS).where(and_(
            STEPS.c.run_id == run_id, STEPS.c.kind == "run",
            STEPS.c.status.in_((StepStatus.failed.value, StepStatus.retrying.value, StepStatus.running.value)),
        )).values(status=StepStatus.retrying.value, attempts=0, error=None, failure=None, not_before=None))
    await engine.enqueue_run(run_id, int(generation))
    return int(generation)
