"""The sweep: the database is the source of truth, Redis only carries work, so whatever Redis
or a dead worker lost is rebuilt from the rows. Safe to run from many workers at once: every
repair is a conditional update or an ARQ enqueue with a job id that de-duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_
from sqlmodel import select

from bookbug.db.runs import Event, Run, RunStatus, Wait
from bookbug.db.session import session_scope, utcnow
from bookbug.engine import checkpoints, waits

if TYPE_CHECKING:
    from bookbug.engine.engine import Engine

BATCH = 500


@dataclass
class SweepReport:
    stale_requeued: int = 0  # runs whose worker died (stopped beating, or before claiming)
    waits_expired: int = 0  # waits and sleeps whose time was up
    woken: int = 0  # waiting runs whose wait was settled but never resumed
    requeued: int = 0  # queued runs whose job Redis lost, queued again
    events_fanned_out: int = 0  # events whose fan-out was interrupted


async def sweep(engine: Engine) -> SweepReport:
    config = engine.config
    report = SweepReport()
    now = utcnow()
    stale = now - timedelta(seconds=config.stale_after)
    grace = now - timedelta(seconds=config.requeue_grace)
    db = config.db_url

    with session_scope(db) as session:
        dead = session.exec(select(Run.id, Run.generation).where(
            Run.status == RunStatus.running.value,
            func.coalesce(Run.heartbeat_at, Run.claimed_at, Run.updated_at) < stale,
        ).limit(BATCH)).all()
    for run_id, generation in dead:
        if await engine.requeue(run_id, RunStatus.running, generation, delay=0) is not None:
            report.stale_requeued += 1

    with session_scope(db) as session:
        expired = session.exec(select(Wait).join(Run, Run.id == Wait.run_id).where(  # type: ignore[arg-type]
            Wait.resolved_at.is_(None), Wait.timeout_at <= now,  # type: ignore[union-attr,operator]
            Run.status.notin_(checkpoints.FINISHED),  # type: ignore[attr-defined]
        ).limit(BATCH)).all()
    for wait in expired:
        with session_scope(db) as session:
            settled = waits.try_resolve(session, wait)
        if settled:
            report.waits_expired += 1
            await engine.wake(wait.run_id)

    with session_scope(db) as session:
        stuck = session.exec(select(Run.id).join(Wait, Wait.run_id == Run.id).where(  # type: ignore[arg-type]
            Run.status == RunStatus.waiting.value, Run.updated_at < grace,
            Wait.suspended == True, Wait.resolved_at.is_not(None),  # type: ignore[union-attr]  # noqa: E712
        ).distinct().limit(BATCH)).all()
    for run_id in stuck:
        if await engine.wake(run_id) is not None:
            report.woken += 1

    with session_scope(db) as session:
        queued = session.exec(select(Run.id, Run.generation, Run.not_before, Run.updated_at).where(
            Run.status == RunStatus.queued.value,
            or_(Run.not_before < grace, and_(Run.not_before.is_(None), Run.updated_at < grace)),  # type: ignore[union-attr,operator]
        ).limit(BATCH)).all()
    for run_id, generation, not_before, updated_at in queued:
        job = await engine.job_state(run_id, generation)
        if job == "missing":  # Redis lost it: queue it again under the same id
            if await engine.enqueue_run(run_id, generation):
                report.requeued += 1
        elif job == "in-progress" and (checkpoints.aware(not_before or updated_at) or now) < stale:
            # A worker took the job but died before claiming the run; ARQ would keep the job
            # "in progress" for job_timeout. A new generation gets a new job id.
            if await engine.requeue(run_id, RunStatus.queued, generation, delay=0) is not None:
                report.stale_requeued += 1

    with session_scope(db) as session:
        unsent = session.exec(select(Event).where(
            Event.fanned_out_at.is_(None), Event.received_at < grace,  # type: ignore[union-attr]
        ).order_by(Event.received_at).limit(BATCH)).all()  # type: ignore[arg-type]
    from bookbug.engine.events import fan_out

    for event in unsent:
        await fan_out(engine, event)
        report.events_fanned_out += 1
    return report
