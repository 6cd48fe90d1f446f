"""The Engine: one configured instance (database, Redis, workflows) that everything goes through."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import datetime, UTC
from typing import Any

from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.constants import in_progress_key_prefix, job_key_prefix
from sqlalchemy import Connection, select

from bookbug.db.session import get_engine
from bookbug.engine import checkpoints, control, events, execution, metrics, retention, waits
from bookbug.engine import sweep as sweeping
from bookbug.engine.config import EngineConfig
from bookbug.engine.limits import Limits
from bookbug.engine.progress import ProgressHub
from bookbug.engine.pulse import Pulse
from bookbug.engine.tables import RunStatus
from bookbug.engine.workflow import Registry, Workflow, default_registry

log = logging.getLogger("bookbug.engine")

_SLOW_CLOCK_ALLOWANCE = 600.0  # seconds a worker's clock may run slow and still see due jobs as due
_JOB_EXPIRY = 86400.0  # a job ARQ has not started this long after it was due is dropped (the sweep redoes it)

RUN_FAILED = "engine/run.failed"  # sent when a run fails: data run_id, workflow, subject, error, failure, trigger

EXECUTE_RUN = "bookbug_engine_execute_run"
EXPIRE_WAIT = "bookbug_engine_expire_wait"
EXPIRE_WAIT_TIMEOUT = 60.0  # a timer job only settles one wait


def in_progress_lifetime(config: EngineConfig) -> float:
    """How long ARQ (0.28, pinned) keeps the "in progress" mark of a job it takes: its longest
    function timeout + 10 s (`Worker.in_progress_timeout_s`). What is left of it says, on
    Redis's clock, how long ago a worker took the job (tests/engine/test_timing_faults.py
    checks this against a real worker)."""
    return max(config.job_timeout, EXPIRE_WAIT_TIMEOUT) + 10.0


@dataclass(frozen=True)
class JobState:
    where: str  # "queued", "in-progress" (a worker took it) or "missing" (Redis lost it)
    taken_for: float | None = None  # seconds since a worker took it, when in progress


def redis_settings(url: str) -> RedisSettings:
    """ARQ's settings for `url`, more patient than its 1 s connect timeout, which a busy
    machine exceeds (and an ARQ worker dies of a connect timeout inside a job)."""
    settings = RedisSettings.from_dsn(url)
    settings.conn_timeout = 10
    settings.conn_retries = 10
    return settings


class Engine:
    """Create one per process (the app and each worker); `await start()` before use, `close()` after."""

    def __init__(self, config: EngineConfig, workflows: Iterable[Workflow] | Registry | None = None) -> None:
        self.config = config
        if workflows is None:
            self.registry = default_registry
        elif isinstance(workflows, Registry):
            self.registry = workflows
        else:
            self.registry = Registry.of(workflows)
        self._redis: ArqRedis | None = None
        self._owns_redis = False
        self._fake_server: Any = None
        self._limits: Limits | None = None
        self._hub: ProgressHub | None = None
        self.pulse = Pulse(self)
        self.stopping = asyncio.Event()  # set when this process drains before shutting down

    @property
    def draining(self) -> bool:
        """True once `drain()` was called: no step starts here any more; runs go back to the queue."""
        return self.stopping.is_set()

    def drain(self) -> None:
        """Stop starting steps in this process (a worker shutting down): each execution lets its
        steps in flight finish, then hands its run back to the queue at once (see execution.py)."""
        if not self.stopping.is_set():
            log.warning("draining: no new steps start here; runs in flight go back to the queue as their steps end")
        self.stopping.set()

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self, redis: ArqRedis | None = None) -> Engine:
        """Connect to Redis (or create the in-process stand-in). A worker may lend its own pool."""
        if self._redis is not None:
            return self
        if redis is not None:
            self._redis = redis
        elif self.config.embedded:
            import fakeredis

            self._fake_server = fakeredis.FakeServer()
            self._redis = self._embedded_client()
            self._owns_redis = True
        else:
            self._redis = await create_pool(redis_settings(self.config.redis_url),
                                            default_queue_name=self.config.queue_name)
            self._owns_redis = True
        self._limits = Limits(self._redis, self.config.key_prefix, sync_client=self._sync_redis)
        self._hub = ProgressHub(self._redis, self.config.key_prefix, self.config.db_url,
                                backlog=self.config.progress_backlog)
        return self

    def _sync_redis(self) -> Any:
        """A blocking Redis client on the same server, for the heartbeat thread."""
        if self.config.embedded:
            import fakeredis

            return fakeredis.FakeRedis(server=self._fake_server)
        import redis

        return redis.Redis.from_url(self.config.redis_url, socket_timeout=10)

    async def close(self) -> None:
        self.pulse.stop()
        if self._limits is not None:
            self._limits.close()
        if self._redis is not None and self._owns_redis:
            await self._redis.aclose()
        self._redis = None

    async def __aenter__(self) -> Engine:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _embedded_client(self) -> ArqRedis:
        import fakeredis

        fake = fakeredis.FakeAsyncRedis(server=self._fake_server)
        return ArqRedis(connection_pool=fake.connection_pool, default_queue_name=self.config.queue_name)

    @property
    def redis(self) -> ArqRedis:
        if self._redis is None:
            raise RuntimeError("the engine is not started: await engine.start() first")
        return self._redis

    @property
    def limits(self) -> Limits:
        if self._limits is None:
            raise RuntimeError("the engine is not started: await engine.start() first")
        return self._limits

    @property
    def hub(self) -> ProgressHub:
        if self._hub is None:
            raise RuntimeError("the engine is not started: await engine.start() first")
        return self._hub

    # -- the public face ----------------------------------------------------------------------

    async def send_event(self, name: str, data: Mapping[str, Any] | None = None, *,
                         id: str | None = None, subject: str | None = None) -> events.EventReceipt:
        """Store an event (`id` makes it idempotent), then start, resume or cancel the runs it concerns.

        `subject` files the event under what it is about (by default the field a registered
        workflow names as its subject), so `forget_subject` removes it with the subject's runs."""
        return await events.send_event(self, name, data, id=id, subject=subject)

    def subscribe(self, channel: str, after: int | None = None) -> AsyncIterator[dict[str, Any]]:
        """Progress events on "run:{id}" or "order:{id}" (a subject); `after` replays the kept ones after that id."""
        return self.hub.subscribe(channel, after)

    async def cancel_run(self, run_id: str, reason: str = "cancelled by request") -> bool:
        return await control.cancel_run(self, run_id, reason)

    async def rerun(self, run_id: str) -> int:
        return await control.rerun(self, run_id)

    async def sweep(self, *, hold_takeovers: Callable[[], bool] | None = None) -> sweeping.SweepReport:
        return await sweeping.sweep(self, hold_takeovers=hold_takeovers)

    async def forget_subject(self, subject: str) -> None:
        """Cancel the subject's unfinished runs and delete every run, step, wait, event and
        progress counter the engine keeps about it."""
        await retention.forget_subject(self, subject)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection in a transaction on the engine's database (commits on exit)."""
        with get_engine(self.config.db_url).begin() as conn:
            yield conn

    # -- what the job functions call ------------------------------------------------------------

    async def execute(self, run_id: str, generation: int) -> None:
        await execution.execute(self, run_id, generation)

    async def expire_wait(self, wait_id: str) -> None:
        with self.transaction() as conn:
            wait = waits.load(conn, wait_id)
            if wait is None or wait.resolved:
                return
            if wait.timeout_in is not None and wait.timeout_in > 0:
                # The timer fired early (the queue runs on the workers' clocks): set it again.
                early = True
            else:
                early = False
                settled = waits.try_resolve(conn, wait)
        if early:
            await self.enqueue_timer(wait_id, delay=float(wait.timeout_in or 0), again=True)
        elif settled:
            await self.wake(wait.run_id)

    # -- shared plumbing ------------------------------------------------------------------------

    def job_id(self, run_id: str, generation: int) -> str:
        return f"{self.config.key_prefix}:run:{run_id}:{generation}"

    async def enqueue_run(self, run_id: str, generation: int, delay: float = 0.0) -> bool:
        """Queue this execution once: the job id names the run and generation, so ARQ drops repeats.
        A negative `delay`: the run was due that long ago, so that work handed back keeps its place."""
        at, expires = await self._schedule(delay)
        job = await self.redis.enqueue_job(EXECUTE_RUN, run_id, generation, _job_id=self.job_id(run_id, generation),
                                           _queue_name=self.config.queue_name, _defer_until=at, _expires=expires)
        return job is not None

    async def _schedule(self, delay: float) -> tuple[datetime, float]:
        """When ARQ should offer a job, on Redis's clock rather than this process's.

        ARQ compares a job's time with each polling worker's own clock. A job due now is dated
        well in the past, so that a worker whose clock runs slow still takes it at once (in
        order of queueing; a job due some time ago, earlier still by that much); a job due
        later is dated by Redis's clock plus the delay. A worker whose clock runs fast may take
        a deferred job early: the run's not-before time, in the database, makes the execution
        wait or come back (see execution.py)."""
        now = await self.limits.now()
        at = now + delay if delay > 0 else now + delay - _SLOW_CLOCK_ALLOWANCE
        return datetime.fromtimestamp(at, UTC), max(0.0, delay) + _JOB_EXPIRY

    async def job_state(self, run_id: str, generation: int) -> JobState:
        """Where this execution's job is, and how long ago a worker took it."""
        job_id = self.job_id(run_id, generation)
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.pttl(in_progress_key_prefix + job_id)
            pipe.exists(job_key_prefix + job_id)
            left_ms, queued = await pipe.execute()
        if left_ms == -2:  # no such key
            return JobState("queued" if queued else "missing")
        # A worker with a longer job_timeout than this process's marks its jobs for longer: read
        # as just taken (it is caught later, when its mark runs out, rather than taken early).
        # The embedded stand-in (fakeredis 2.41.0) keeps a PSETEX expiry in whole seconds, cut
        # down, so its marks read up to a second old at once: that second is taken off.
        blur = 1.0 if self.config.embedded else 0.0
        taken_for = max(0.0, in_progress_lifetime(self.config) - left_ms / 1000 - blur) if left_ms >= 0 else None
        return JobState("in-progress", taken_for)

    async def enqueue_timer(self, wait_id: str, *, delay: float, again: bool = False) -> None:
        # A timer set again from inside its own job needs another job id (ARQ keeps the running one).
        suffix = ":again" if again else ""
        at, expires = await self._schedule(delay)
        await self.redis.enqueue_job(EXPIRE_WAIT, wait_id, _job_id=f"{self.config.key_prefix}:wait:{wait_id}{suffix}",
                                     _queue_name=self.config.queue_name, _defer_until=at, _expires=expires)

    async def requeue(self, run_id: str, from_status: RunStatus, generation: int, *, delay: float) -> str | None:
        """Hand the run to a new execution `delay` seconds from now (negative: see enqueue_run), or end
        it, if a cancel was asked for; returns the status it got ("queued" or "cancelled"), None if
        it had moved on."""
        with self.transaction() as conn:
            handed = checkpoints.hand_back(conn, run_id, from_status=from_status.value, generation=generation,
                                           delay=delay)
        await self._after_handover(run_id, handed, delay)
        return None if handed is None else handed.status

    async def wake(self, run_id: str) -> int | None:
        """waiting → queued, once; whoever loses the race gets None."""
        with self.transaction() as conn:
            handed = checkpoints.hand_back(conn, run_id, from_status=RunStatus.waiting.value)
        await self._after_handover(run_id, handed, 0.0)
        return None if handed is None or handed.status != RunStatus.queued.value else handed.generation

    async def _after_handover(self, run_id: str, handed: checkpoints.Handover | None, delay: float) -> None:
        if handed is None:
            return
        if handed.status == RunStatus.queued.value:
            await self.enqueue_run(run_id, handed.generation, delay=delay)
            return
        with self.transaction() as conn:
            row = conn.execute(select(checkpoints.RUNS.c.workflow, checkpoints.RUNS.c.subject)
                               .where(checkpoints.RUNS.c.id == run_id)).first()
        if row is not None:
            await self.publish(self.registry.get(row.workflow), run_id, row.subject,
                               {"type": "status", "status": handed.status, "error": "cancelled"})

    async def end_run(self, run_id: str, generation: int, status: RunStatus, *, output: Any = None,
                      error: str | None = None, failure: dict[str, Any] | None = None) -> bool:
        with self.transaction() as conn:
            ended = checkpoints.finish(conn, run_id, generation, status, output=output, error=error, failure=failure)
            row = None if not ended else conn.execute(
                select(checkpoints.RUNS.c.workflow, checkpoints.RUNS.c.subject, checkpoints.RUNS.c.event_data)
                .where(checkpoints.RUNS.c.id == run_id)).first()
        if row is not None:
            metrics.RUNS_ENDED.labels(row.workflow, status.value).inc()
            message: dict[str, Any] = {"type": "status", "status": status.value}
            if error:
                message["error"] = error
            if failure:
                message["failure"] = failure
            await self.publish(self.registry.get(row.workflow), run_id, row.subject, message)
            if status == RunStatus.failed and not any(wf.name == row.workflow
                                                      for wf in self.registry.triggered_by(RUN_FAILED)):
                # Workflows that handle failures (recording them where people look) start from
                # this event; being an event, it survives a crash right here (the sweep fans it out).
                await self.send_event(RUN_FAILED, {
                    "run_id": run_id, "workflow": row.workflow, "subject": row.subject, "error": error,
                    "failure": failure, "trigger": row.event_data,
                }, id=f"{RUN_FAILED}:{run_id}:{generation}", subject=row.subject)
        return ended

    async def publish(self, workflow: Workflow | None, run_id: str, subject: str | None,
                      message: dict[str, Any]) -> None:
        """Publish on the run's channel and its subject's; progress never breaks a run."""
        body = {**message, "run_id": run_id, "workflow": workflow.name if workflow else None, "subject": subject}
        channels = [f"run:{run_id}"]
        subject_channel = workflow.subject_channel(subject) if workflow else None
        if subject_channel:
            channels.append(subject_channel)
        for channel in channels:
            try:
                await self.hub.publish(channel, body, subject)
            except Exception:  # Redis trouble must not fail the work; the run row has the state
                log.warning("could not publish progress on %s", channel, exc_info=True)

    # -- embedded worker ------------------------------------------------------------------------

    @asynccontextmanager
    async def worker(self) -> AsyncIterator[Any]:
        """An ARQ worker inside this process (the app's embedded mode, and tests), with a sweep loop."""
        from bookbug.engine.worker import InProcessWorker

        handle = InProcessWorker(self)
        await handle.start()
        try:
            yield handle
        finally:
            await handle.stop()
