"""One execution of a run: claim it, replay the workflow from the top, then complete, fail,
suspend (waiting, or queued again for a retry) or hand it back.

Nothing ever sleeps in a worker slot: a retry's backoff or a full concurrency slot re-queues
the run with a delay and the ARQ job ends.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from bookbug.db.runs import Event, Run, RunStatus
from bookbug.db.session import get_engine, session_scope, utcnow
from bookbug.engine import checkpoints
from bookbug.engine.codec import NotStorable, encode
from bookbug.engine.errors import Cancelled, StepFailed, Superseded, Suspend, WorkflowChanged
from bookbug.engine.steps import Context, EventInfo
from bookbug.engine.workflow import Workflow, resolve_key

if TYPE_CHECKING:
    from bookbug.engine.engine import Engine

log = logging.getLogger("bookbug.engine")


class Execution:
    """Everything one execution knows; steps and the heartbeat share it."""

    def __init__(self, engine: Engine, run: Run, workflow: Workflow, event: EventInfo, lookback: datetime) -> None:
        self.engine = engine
        self.config = engine.config
        self.db_url = engine.config.db_url
        self.limits = engine.limits
        self.run_id = run.id
        self.generation = run.generation
        self.subject = run.book_id
        self.workflow = workflow
        self.event = event
        self.lookback = lookback
        self.recorded: dict[str, checkpoints.StepRecord] = {}
        self.leases: set[tuple[str, str]] = set()
        self.superseded = False
        self._conn: Connection | None = None

    @contextmanager
    def db(self) -> Iterator[Connection]:
        """A transaction (commits on exit) on the execution's own connection: the step hot path
        skips the ORM and the pool. Blocks using it never await, so branches cannot interleave."""
        if self._conn is None:
            self._conn = get_engine(self.db_url).connect()
        with self._conn.begin():
            yield self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    async def release(self, lease: tuple[str, str]) -> None:
        self.leases.discard(lease)
        await self.limits.release_slot(*lease)

    async def publish_progress(self, *, stage: str | None, page: int | None, percent: float | None,
                               payload: dict[str, Any]) -> None:
        with session_scope(self.db_url) as session:
            run = session.get(Run, self.run_id)
            if run is None:
                return
            run.stage, run.current_page, run.percent = stage, page, percent
            run.progress = {"stage": stage, "page": page, "percent": percent, "payload": payload}
            run.updated_at = utcnow()
            session.add(run)
        await self.engine.publish(self.workflow, self.run_id, self.subject, {
            "type": "progress", "stage": stage, "page": page, "percent": percent, "payload": payload,
        })

    async def heartbeat(self, main: asyncio.Task[Any]) -> None:
        """Keep the run visibly alive; stop the execution if another one took the run over."""
        while True:
            await asyncio.sleep(self.config.heartbeat_interval)
            try:
                with session_scope(self.db_url) as session:
                    alive = checkpoints.heartbeat(session, self.run_id, self.generation)
                if not alive:
                    self.superseded = True
                    main.cancel()
                    return
                for slot, holder in list(self.leases):
                    await self.limits.refresh_slot(slot, holder, self.config.stale_after)
            except Exception:  # the database or Redis hiccuped: try again at the next beat
                log.warning("run %s: heartbeat failed", self.run_id, exc_info=True)


async def execute(engine: Engine, run_id: str, generation: int) -> None:
    """The ARQ job body: run `run_id` if `generation` is still the one meant to run."""
    config = engine.config
    with session_scope(config.db_url) as session:
        run = session.get(Run, run_id)
        event = session.get(Event, run.event_id) if run is not None and run.event_id else None
    if run is None or run.generation != generation or run.status != RunStatus.queued.value:
        return  # a stale or duplicate job: another execution owns this run
    workflow = engine.registry.get(run.workflow)
    if workflow is None:
        await engine.end_run(run_id, generation, RunStatus.failed, error=(
            f"no workflow named {run.workflow!r} is registered in this worker; deploy it, then rerun the run"))
        return
    info = EventInfo(
        id=run.event_id, name=event.name if event else (workflow.trigger or ""),
        data=dict(run.event_data or {}), received_at=checkpoints.aware(event.received_at) if event else None,
    )
    lookback = info.received_at or checkpoints.aware(run.created_at)

    lease: tuple[str, str] | None = None
    if workflow.concurrency is not None:
        try:
            key = resolve_key(workflow.concurrency.key, info.name, info.data)
        except ValueError as exc:
            await engine.end_run(run_id, generation, RunStatus.failed, error=str(exc))
            return
        lease = (f"{workflow.name}:{key}", f"run:{run_id}:{generation}")
        if not await engine.limits.acquire_slot(lease[0], workflow.concurrency.limit, lease[1], config.stale_after):
            await engine.requeue(run_id, RunStatus.queued, generation, delay=config.slot_poll)
            return
    try:
        with session_scope(config.db_url) as session:
            claimed = checkpoints.claim(session, run_id, generation)
        if not claimed:
            return
        run.generation = generation
        execution = Execution(engine, run, workflow, info, lookback)
        if lease is not None:
            execution.leases.add(lease)
        try:
            await _run_claimed(engine, execution)
        finally:
            execution.close()
    finally:
        if lease is not None:
            await engine.limits.release_slot(*lease)


async def _run_claimed(engine: Engine, x: Execution) -> None:
    with x.db() as conn:
        x.recorded = checkpoints.load_steps(conn, x.run_id)
    ctx = Context(x)
    main = asyncio.current_task()
    assert main is not None
    beat = asyncio.create_task(x.heartbeat(main))
    try:
        output = await x.workflow.fn(ctx)
        await engine.end_run(x.run_id, x.generation, RunStatus.completed,
                             output=encode(output, where="the workflow's return value"))
    except Suspend as suspend:
        await _suspend(engine, x, suspend)
    except Cancelled:
        await engine.end_run(x.run_id, x.generation, RunStatus.cancelled, error="cancelled")
    except Superseded:
        log.info("run %s: execution %s was superseded", x.run_id, x.generation)
    except (StepFailed, WorkflowChanged, NotStorable) as exc:
        await engine.end_run(x.run_id, x.generation, RunStatus.failed, error=str(exc))
    except asyncio.CancelledError:
        if not x.superseded:
            # The worker is shutting down: hand the run to the next worker right away
            # instead of waiting for its heartbeat to go stale.
            await engine.requeue(x.run_id, RunStatus.running, x.generation, delay=0)
            raise
    except Exception as exc:  # a bug in the workflow body itself (outside any step)
        log.exception("run %s: workflow %s raised", x.run_id, x.workflow.name)
        await engine.end_run(x.run_id, x.generation, RunStatus.failed,
                             error=f"the workflow {x.workflow.name!r} raised {type(exc).__name__}: {exc}")
    finally:
        beat.cancel()


async def _suspend(engine: Engine, x: Execution, suspend: Suspend) -> None:
    for wait_id, at in suspend.timers:
        await engine.enqueue_timer(wait_id, at)
    if suspend.resume_at is not None or not suspend.waits:
        delay = max(0.0, (suspend.resume_at - utcnow()).total_seconds()) if suspend.resume_at else 0.0
        if await engine.requeue(x.run_id, RunStatus.running, x.generation, delay=delay) is None:
            await _settle_interrupted(engine, x)
        return
    with session_scope(x.db_url) as session:
        suspended = checkpoints.suspend_waiting(session, x.run_id, x.generation, suspend.waits)
    if not suspended:
        await _settle_interrupted(engine, x)
        return
    await engine.publish(x.workflow, x.run_id, x.subject, {"type": "status", "status": RunStatus.waiting.value})
    # An event may have settled a wait between our check and the suspension; that sender's
    # wake found the run still running, so we wake it ourselves (see waits.py).
    with session_scope(x.db_url) as session:
        settled = checkpoints.has_resolved_suspension(session, x.run_id)
    if settled:
        await engine.wake(x.run_id)


async def _settle_interrupted(engine: Engine, x: Execution) -> None:
    """The run could not be suspended: cancelled meanwhile (end it) or taken over (leave it)."""
    with session_scope(x.db_url) as session:
        run = session.get(Run, x.run_id)
    if run is not None and run.generation == x.generation and run.cancel_requested:
        await engine.end_run(x.run_id, x.generation, RunStatus.cancelled, error="cancelled")
