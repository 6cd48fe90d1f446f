"""The sweep: the database is the source of truth, Redis only carries work, so whatever Redis
or a dead worker lost is rebuilt from the rows. Safe to run from many workers at once: every
repair is a conditional update or an ARQ enqueue with a job id that de-duplicates.

Each kind of repair pages through all its candidates in a stable order (by id), so no number
of unrepairable rows can hide a repairable one behind them, and every time is the database's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql import Select

from bookbug.engine import events as eventing
from bookbug.engine import retention, waits
from bookbug.engine.clock import db_now, seconds_until
from bookbug.engine.tables import FINISHED, Event, Run, RunStatus, Wait

if TYPE_CHECKING:
    from bookbug.engine.engine import Engine

log = logging.getLogger("bookbug.engine")
RUNS, WAITS, EVENTS = Run.__table__, Wait.__table__, Event.__table__  # type: ignore[attr-defined]  # SQLModel sets __table__ on table classes without declaring it
BATCH = 500


@dataclass
class SweepReport:
    stale_requeued: int = 0  # runs whose worker died (stopped beating, or before claiming)
    cancelled: int = 0  # runs asked to cancel whose execution stopped before ending them
    waits_expired: int = 0  # waits and sleeps whose time was up
    woken: int = 0  # waiting runs whose wait was settled but never resumed
    requeued: int = 0  # queued runs whose job Redis lost, queued again
    events_fanned_out: int = 0  # events whose fan-out was interrupted
    pruned: int = 0  # runs and events past the retention period
    held: bool = False  # takeovers were held this round (this process had just stood still)

    def repaired(self) -> bool:
        return any(value for name, value in vars(self).items() if name not in ("pruned", "held"))


def _pages(engine: Engine, query: Select[Any], key: Any) -> Iterator[Any]:
    """Every row of `query`, BATCH at a time in order of `key` (keyset paging)."""
    after = None
    while True:
        page = query if after is None else query.where(key > after)
        with engine.transaction() as conn:
            rows = conn.execute(page.order_by(key).limit(BATCH)).all()
        yield from rows
        if len(rows) < BATCH:
            return
        after = getattr(rows[-1], key.name)


async def sweep(engine: Engine, *, hold_takeovers: Callable[[], bool] | None = None) -> SweepReport:
    """One round of repairs. `hold_takeovers`, asked just before each judgement of liveness:
    whether to take no run for dead this round (this process has just stood still)."""
    config = engine.config
    report = SweepReport()

    def holding() -> bool:
        report.held = report.held or (hold_takeovers is not None and hold_takeovers())
        return report.held

    # Runs whose execution stopped beating: handed to a new one (or ended, if cancelled).
    dead = select(RUNS.c.id, RUNS.c.generation).where(
        RUNS.c.status == RunStatus.running.value,
        func.coalesce(RUNS.c.heartbeat_at, RUNS.c.claimed_at, RUNS.c.updated_at) < db_now(-config.stale_after))
    stale = list(_pages(engine, dead, RUNS.c.id))
    for row in [] if holding() else stale:  # asked after the query: a stop during it counts
        handed = await engine.requeue(row.id, RunStatus.running, row.generation, delay=0)
        if handed is not None:
            report.stale_requeued += handed == RunStatus.queued.value
            report.cancelled += handed == RunStatus.cancelled.value
            log.warning("sweep: run %s stopped sending heartbeats; %s", row.id,
                        "handed to another worker" if handed == RunStatus.queued.value else "ended as cancelled")

    # Runs asked to cancel while idle whose cancel was interrupted before it ended them.
    idle_cancelled = select(RUNS.c.id).where(RUNS.c.cancel_requested == True,  # noqa: E712
                                             RUNS.c.status.in_((RunStatus.queued.value, RunStatus.waiting.value)))
    for row in list(_pages(engine, idle_cancelled, RUNS.c.id)):
        if await engine.cancel_run(row.id, reason="cancelled"):
            report.cancelled += 1

    # Waits and sleeps whose time is up (their timer job may be gone with Redis).
    expired = select(WAITS.c.id, WAITS.c.run_id, WAITS.c.step_key).join(RUNS, RUNS.c.id == WAITS.c.run_id).where(
        WAITS.c.resolved_at.is_(None), WAITS.c.timeout_at <= db_now(), RUNS.c.status.notin_(FINISHED))
    for row in list(_pages(engine, expired, WAITS.c.id)):
        with engine.transaction() as conn:
            wait = waits.load(conn, row.id)
            settled = wait is not None and waits.try_resolve(conn, wait)
        if settled:
            report.waits_expired += 1
            await engine.wake(row.run_id)

    # Waiting runs whose wait was settled, but whose wake-up was lost.
    stuck = select(RUNS.c.id).where(
        RUNS.c.status == RunStatus.waiting.value, RUNS.c.updated_at < db_now(-config.requeue_grace),
        select(WAITS.c.id).where(WAITS.c.run_id == RUNS.c.id, WAITS.c.suspended == True,  # noqa: E712
                                 WAITS.c.resolved_at.is_not(None)).exists())
    for row in list(_pages(engine, stuck, RUNS.c.id)):
        if await engine.wake(row.id) is not None:
            report.woken += 1

    # Queued runs that should have started by now: their job is missing (Redis lost it), or
    # a worker took the job and died before claiming the run.
    due = func.coalesce(RUNS.c.not_before, RUNS.c.updated_at)
    overdue = select(RUNS.c.id, RUNS.c.generation, due.label("due"), seconds_until(due).label("due_in"),
                     RUNS.c.event_seq).where(
        RUNS.c.status == RunStatus.queued.value,
        or_(RUNS.c.not_before < db_now(-config.requeue_grace),
            and_(RUNS.c.not_before.is_(None), RUNS.c.updated_at < db_now(-config.requeue_grace))))
    # Each keeps its place in line: its new job is dated as late as the run is overdue, and
    # they are queued in the order they were due (ids would shuffle runs due in the same
    # millisecond), so throttled runs still start first come, first served.
    for row in sorted(_pages(engine, overdue, RUNS.c.id), key=lambda r: (r.due, r.event_seq or 0, r.id)):
        due_in = min(0.0, row.due_in)  # seconds, negative: how long ago it was due
        job = await engine.job_state(row.id, row.generation)
        if job.where == "missing":  # queue it again under the same id
            if await engine.enqueue_run(row.id, row.generation, delay=due_in):
                report.requeued += 1
        elif (job.where == "in-progress" and (-due_in if job.taken_for is None else job.taken_for) > config.stale_after
              and not holding()):
            # A worker took the job and died before claiming the run (a live one claims it at
            # once). ARQ would keep the job "in progress" for job_timeout; a new generation gets
            # a new job id. Judged by how long ago the job was taken: a run long due may have
            # been taken only now, after waiting behind others.
            if await engine.requeue(row.id, RunStatus.queued, row.generation, delay=due_in) is not None:
                report.stale_requeued += 1

    # Events whose fan-out was interrupted.
    unsent = select(EVENTS.c.seq).where(EVENTS.c.fanned_out_at.is_(None),
                                        EVENTS.c.received_at < db_now(-config.requeue_grace))
    for row in list(_pages(engine, unsent, EVENTS.c.seq)):
        with engine.transaction() as conn:
            event = eventing.load(conn, row.seq)
        if event is not None:
            await eventing.fan_out(engine, event)
            report.events_fanned_out += 1

    report.pruned = retention.prune_if_due(engine)
    if report.repaired():
        log.warning("sweep repaired: %s", report)
    return report
