"""One execution of a run: claim it, replay the workflow from the top, then complete, fail,
suspend (waiting, or queued again for a retry) or hand it back.

Nothing ever sleeps in a worker slot: a retry's backoff or a full concurrency slot re-queues
the run with a delay and the ARQ job ends.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError

from bookbug.db.session import get_engine
from bookbug.engine import checkpoints, metrics
from bookbug.engine.clock import db_now
from bookbug.engine.codec import NotStorable, encode
from bookbug.engine.errors import Cancelled, StepFailed, Superseded, Suspend, WorkflowChanged
from bookbug.engine.steps import Context, EventInfo
from bookbug.engine.tables import Run, RunStatus
from bookbug.engine.workflow import Workflow, resolve_key

if TYPE_CHECKING:
    from bookbug.engine.engine import Engine

log = logging.getLogger("bookbug.engine")
T = TypeVar("T")
RUNS = Run.__table__  # type: ignore[attr-defined]  # SQLModel sets __table__ on table classes without declaring it
PATIENCE = 6  # a step keeps its place for a turn up to this many inline waits away while its run works on


@dataclass(frozen=True)
class _Loaded:
    id: str
    workflow: str
    status: str
    generation: int
    subject: str | None
    event_id: str | None
    event_seq: int | None
    event_name: str | None
    event_data: dict[str, Any] | None
    reruns: int


def dropped(exc: DBAPIError) -> bool:
    """The connection to the database failed (as opposed to a statement being wrong)."""
    return bool(exc.connection_invalidated) or isinstance(exc, (OperationalError, InterfaceError, DisconnectionError))


class Execution:
    """Everything one execution knows; steps and the heartbeat share it."""

    def __init__(self, engine: Engine, run: _Loaded, workflow: Workflow, event: EventInfo) -> None:
        self.engine = engine
        self.config = engine.config
        self.db_url = engine.config.db_url
        self.limits = engine.limits
        self.run_id = run.id
        self.generation = run.generation
        self.subject = run.subject
        self.since_seq = run.event_seq or 0  # waits count the events numbered after the trigger
        self.reruns = run.reruns
        self.workflow = workflow
        self.event = event
        self.fair_key = workflow.fair_key_of(event.name, event.data)  # whose turn its rate-limited calls are
        self.recorded: dict[str, checkpoints.StepRecord] = {}
        self.leases: set[tuple[str, str]] = set()
        self.superseded = False
        self.active = 0  # steps of this execution past their concurrency slot, not yet ended
        self.live_branches = 0  # branches of a parallel still going (working, or waiting on each other)
        self.waiting_turns = 0  # steps waiting for their turn at a rate limit
        self.ending = False  # the workflow returned or stopped; only the run's last writes remain
        self.loop_tick = time.monotonic()  # the event loop's last sign of life, for the heartbeat
        self.main: asyncio.Task[Any] | None = None
        self._conn: Connection | None = None

    @contextmanager
    def db(self) -> Iterator[Connection]:
        """A transaction (commits on exit) on the execution's own connection: the step hot path
        skips the ORM and the pool. Blocks using it never await, so branches cannot interleave."""
        if self._conn is None:
            self._conn = get_engine(self.db_url).connect()
        try:
            with self._conn.begin():
                yield self._conn
        except DBAPIError as exc:
            if dropped(exc):
                self.close()  # the next transaction starts on a fresh connection
            raise

    async def commit(self, write: Callable[[Connection], T]) -> T:
        """A transaction that waits for the disk (a durable commit), on a thread with a pooled
        connection: the event loop, which every branch of the run shares, keeps answering (a
        provider's 429 is acted on at once) while the database flushes."""
        def work() -> T:
            with get_engine(self.db_url).begin() as conn:
                return write(conn)

        return await asyncio.to_thread(work)

    def others_working(self, eta: float) -> bool:
        """Whether a step whose turn is `eta` seconds away should keep its place: some other
        step or branch of this execution is still going, so leaving would free no worker (the
        run suspends only once every branch has settled) and would only lose the turn. Up to
        a bound, so that a long pause never holds a worker for long."""
        if eta > PATIENCE * self.config.max_inline_rate_wait:
            return False
        return max(self.active, self.live_branches) - self.waiting_turns > 0

    def close(self) -> None:
        if self._conn is not None:
            with suppress(DBAPIError):  # closing a connection the server dropped may fail too
                self._conn.close()
            self._conn = None

    async def release(self, lease: tuple[str, str]) -> None:
        self.leases.discard(lease)
        await self.limits.release_slot(*lease)

    def taken_over(self) -> None:
        """Called (on the loop) when the heartbeat found another execution owning the run."""
        if self.ending:
            return  # it is ending on its own; its last writes are fenced anyway
        self.superseded = True
        if self.main is not None:
            self.main.cancel()

    async def publish_progress(self, *, stage: str | None, page: int | None, percent: float | None,
                               payload: dict[str, Any]) -> None:
        with self.db() as conn:
            checkpoints.fence_write(conn, self.run_id, self.generation, "progress")
            conn.execute(update(RUNS).where(RUNS.c.id == self.run_id).values(
                stage=stage, current_page=page, percent=percent, updated_at=db_now(),
                progress={"stage": stage, "page": page, "percent": percent, "payload": payload}))
        await self.engine.publish(self.workflow, self.run_id, self.subject, {
            "type": "progress", "stage": stage, "page": page, "percent": percent, "payload": payload,
        })

    async def tick(self) -> None:
        """Show the heartbeat thread that this event loop still runs (see pulse.py)."""
        while True:
            self.loop_tick = time.monotonic()
            await asyncio.sleep(min(1.0, self.config.heartbeat_interval))


def _load(engine: Engine, run_id: str) -> _Loaded | None:
    with engine.transaction() as conn:
        row = conn.execute(select(RUNS.c.id, RUNS.c.workflow, RUNS.c.status, RUNS.c.generation, RUNS.c.subject,
                                  RUNS.c.event_id, RUNS.c.event_seq, RUNS.c.event_name, RUNS.c.event_data,
                                  RUNS.c.reruns)
                           .where(RUNS.c.id == run_id)).first()
    return None if row is None else _Loaded(*tuple(row))


async def execute(engine: Engine, run_id: str, generation: int) -> None:
    """The ARQ job body: run `run_id` if `generation` is still the one meant to run."""
    config = engine.config
    run = _load(engine, run_id)
    if run is None or run.generation != generation or run.status != RunStatus.queued.value:
        return  # a stale or duplicate job: another execution owns this run
    if engine.draining:  # taken just before this worker began shutting down: straight back, for when it is due
        with engine.transaction() as conn:
            state = checkpoints.run_state(conn, run_id)
        await engine.requeue(run_id, RunStatus.queued, generation,
                             delay=(state.due_in or 0.0) if state is not None else 0.0)
        return
    workflow = engine.registry.get(run.workflow)
    if workflow is None:
        await engine.end_run(run_id, generation, RunStatus.failed, error=(
            f"no workflow named {run.workflow!r} is registered in this worker; deploy it, then rerun the run"),
            failure={"kind": "internal", "service": None, "detail": "workflow not registered", "retryable": False})
        return
    info = EventInfo(id=run.event_id, name=run.event_name or workflow.trigger or "", data=dict(run.event_data or {}))

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
        claimed = await _claim(engine, run_id, generation)
        if not claimed:
            return
        execution = Execution(engine, run, workflow, info)
        if lease is not None:
            execution.leases.add(lease)
        metrics.EXECUTIONS.inc()
        try:
            await _run_claimed(engine, execution)
        finally:
            metrics.EXECUTIONS.dec()
            execution.close()
    finally:
        if lease is not None:
            await engine.limits.release_slot(*lease)


async def _claim(engine: Engine, run_id: str, generation: int) -> bool:
    """Claim the run, once its not-before time (the database's clock) has come. A worker whose
    clock runs fast may take the job early: a short wait is waited out here, a long one sends
    the run back to the queue for when it is due."""
    for _ in range(2):
        with engine.transaction() as conn:
            if checkpoints.claim(conn, run_id, generation):
                return True
            state = checkpoints.run_state(conn, run_id)
        if (state is None or state.status != RunStatus.queued.value or state.generation != generation
                or state.due_in is None or state.due_in <= 0):
            return False
        if state.due_in > engine.config.max_early_wait:
            await engine.requeue(run_id, RunStatus.queued, generation, delay=state.due_in)
            return False
        await asyncio.sleep(state.due_in)
    return False


async def _run_claimed(engine: Engine, x: Execution) -> None:
    with x.db() as conn:
        x.recorded = checkpoints.load_steps(conn, x.run_id)
    ctx = Context(x)
    x.main = asyncio.current_task()
    ticking = asyncio.create_task(x.tick())
    engine.pulse.track(x)
    try:
        output = await x.workflow.fn(ctx)
        x.ending = True
        await engine.end_run(x.run_id, x.generation, RunStatus.completed,
                             output=encode(output, where="the workflow's return value"))
    except Suspend as suspend:
        x.ending = True
        await _suspend(engine, x, suspend)
        if engine.draining:
            metrics.HANDED_BACK.inc()
            log.warning("run %s: handed back to the queue at %.3f (this worker is stopping)", x.run_id, time.time())
    except Cancelled:
        x.ending = True
        await engine.end_run(x.run_id, x.generation, RunStatus.cancelled, error="cancelled")
    except Superseded:
        log.warning("run %s: execution %s was superseded by a newer one and stopped", x.run_id, x.generation)
    except StepFailed as exc:
        x.ending = True
        await engine.end_run(x.run_id, x.generation, RunStatus.failed, error=str(exc),
                             failure={**(exc.failure or {}), "step": exc.step_id})
    except (WorkflowChanged, NotStorable) as exc:
        x.ending = True
        await engine.end_run(x.run_id, x.generation, RunStatus.failed, error=str(exc),
                             failure={"kind": "internal", "service": None, "detail": str(exc), "retryable": False})
    except DBAPIError as exc:
        if not dropped(exc):
            raise
        # The database went away under the engine's own bookkeeping: nothing is lost (every
        # write is one transaction), so the run is handed to a new execution a moment later.
        log.warning("run %s: the database connection failed (%s); handing the run back", x.run_id, exc.orig)
        x.ending = True
        try:
            await engine.requeue(x.run_id, RunStatus.running, x.generation, delay=x.config.retry_base)
        except DBAPIError:
            log.warning("run %s: could not hand the run back now; the sweep will", x.run_id)
    except asyncio.CancelledError:
        if not x.superseded:
            # The worker is shutting down: hand the run to the next worker right away
            # instead of waiting for its heartbeat to go stale (or end it, if cancelled).
            await engine.requeue(x.run_id, RunStatus.running, x.generation, delay=0)
            metrics.HANDED_BACK.inc()
            log.warning("run %s: cut off and handed back to the queue at %.3f (this worker is stopping)",
                        x.run_id, time.time())
            raise
        log.warning("run %s: execution %s was superseded by a newer one and stopped", x.run_id, x.generation)
    except Exception as exc:  # a bug in the workflow body itself (outside any step)
        log.exception("run %s: workflow %s raised", x.run_id, x.workflow.name)
        message = f"the workflow {x.workflow.name!r} raised {type(exc).__name__}: {exc}"
        x.ending = True
        await engine.end_run(x.run_id, x.generation, RunStatus.failed, error=message,
                             failure={"kind": "internal", "service": None, "detail": message, "retryable": False})
    finally:
        engine.pulse.untrack(x)
        ticking.cancel()


async def _suspend(engine: Engine, x: Execution, suspend: Suspend) -> None:
    now = time.monotonic()
    for wait_id, due in suspend.timers:
        await engine.enqueue_timer(wait_id, delay=max(0.0, due - now))
    if suspend.due is not None or not suspend.waits:
        delay = max(0.0, suspend.due - now) if suspend.due is not None else 0.0
        if await engine.requeue(x.run_id, RunStatus.running, x.generation, delay=delay) is None:
            await _settle_interrupted(engine, x)
        return
    with engine.transaction() as conn:
        suspended = checkpoints.suspend_waiting(conn, x.run_id, x.generation, suspend.waits)
    if not suspended:
        await _settle_interrupted(engine, x)
        return
    await engine.publish(x.workflow, x.run_id, x.subject, {"type": "status", "status": RunStatus.waiting.value})
    # An event may have settled a wait between our check and the suspension; that sender's
    # wake found the run still running, so we wake it ourselves (see waits.py).
    with engine.transaction() as conn:
        settled = checkpoints.has_resolved_suspension(conn, x.run_id)
    if settled:
        await engine.wake(x.run_id)


async def _settle_interrupted(engine: Engine, x: Execution) -> None:
    """The run could not be suspended: cancelled meanwhile (end it) or taken over (leave it)."""
    with engine.transaction() as conn:
        state = checkpoints.run_state(conn, x.run_id)
    if state is not None and state.generation == x.generation and state.cancel_requested:
        await engine.end_run(x.run_id, x.generation, RunStatus.cancelled, error="cancelled")
