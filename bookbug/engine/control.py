"""Operator actions on a run: cancel it (by API or by a `cancel_on` event) and rerun a failed one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import and_, update
from sqlmodel import select

from bookbug.db.runs import JobStep, Run, RunStatus, StepStatus
from bookbug.db.session import session_scope, utcnow
from bookbug.engine import checkpoints
from bookbug.engine.errors import UnknownRun

if TYPE_CHECKING:
    from bookbug.engine.engine import Engine


async def cancel_run(engine: Engine, run_id: str, reason: str = "cancelled by request") -> bool:
    """Stop the run: a step already running may finish, nothing after it runs. False if it had ended."""
    db = engine.config.db_url
    with session_scope(db) as session:
        flagged = session.exec(update(Run).where(and_(Run.id == run_id, Run.status.notin_(checkpoints.FINISHED)))  # type: ignore[attr-defined]
                               .values(cancel_requested=True, error=reason, updated_at=utcnow()))
    if flagged.rowcount != 1:  # type: ignore[attr-defined]
        return False
    # Not executing right now: end it here. An executing run ends itself at its next step.
    now = utcnow()
    with session_scope(db) as session:
        ended = session.exec(update(Run).where(and_(
            Run.id == run_id, Run.status.in_((RunStatus.queued.value, RunStatus.waiting.value))))  # type: ignore[attr-defined]
            .values(status=RunStatus.cancelled.value, finished_at=now, updated_at=now)).rowcount  # type: ignore[attr-defined]
        run = session.get(Run, run_id)
    if ended and run is not None:
        wf = engine.registry.get(run.workflow)
        await engine.publish(wf, run_id, run.book_id, {"type": "status", "status": RunStatus.cancelled.value,
                                                       "error": reason})
    return True


async def rerun(engine: Engine, run_id: str) -> int:
    """Run a failed run again from its failed step; completed steps keep their checkpoints."""
    db = engine.config.db_url
    with session_scope(db) as session:
        run = session.get(Run, run_id)
        if run is None:
            raise UnknownRun(f"there is no run {run_id!r}")
        if run.status != RunStatus.failed.value:
            raise ValueError(f"only a failed run can be rerun; run {run_id} is {run.status}")
        unfinished = session.exec(select(JobStep).where(
            JobStep.run_id == run_id, JobStep.status != StepStatus.completed.value)).all()
        for step in unfinished:
            if step.kind == "run":
                step.status, step.attempts, step.error = StepStatus.retrying.value, 0, None
                session.add(step)
        session.exec(update(Run).where(and_(Run.id == run_id, Run.status == RunStatus.failed.value)).values(  # type: ignore[arg-type]
            status=RunStatus.running.value, error=None, finished_at=None, cancel_requested=False))
        generation = checkpoints.requeue(session, run_id, from_status=RunStatus.running.value)
    if generation is None:
        raise ValueError(f"run {run_id} changed while it was being rerun; try again")
    await engine.enqueue_run(run_id, generation)
    return generation
