"""The Engine: one configured instance (database, Redis, workflows) that everything goes through."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.constants import in_progress_key_prefix, job_key_prefix

from bookbug.db.runs import RunStatus, Wait
from bookbug.db.session import session_scope, utcnow
from bookbug.engine import checkpoints, control, events, execution, waits
from bookbug.engine import sweep as sweeping
from bookbug.engine.config import EngineConfig
from bookbug.engine.limits import Limits
from bookbug.engine.progress import ProgressHub
from bookbug.engine.workflow import Registry, Workflow, default_registry

log = logging.getLogger("bookbug.engine")

EXECUTE_RUN = "bookbug_engine_execute_run"
EXPIRE_WAIT = "bookbug_engine_expire_wait"
SWEEP = "bookbug_engine_sweep"


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
        self._limits = Limits(self._redis, self.config.key_prefix)
        self._hub = ProgressHub(self._redis, self.config.key_prefix, backlog=self.config.progress_backlog)
        return self

    async def close(self) -> None:
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
                         id: str | None = None) -> events.EventReceipt:
        """Store an event (`id` makes it idempotent), then start, resume or cancel the runs it concerns."""
        return await events.send_event(self, name, data, id=id)

    def subscribe(self, channel: str, after: int | None = None) -> AsyncIterator[dict[str, Any]]:
        """Progress events on "run:{id}" or "book:{id}"; `after` replays the kept ones after that id."""
        return self.hub.subscribe(channel, after)

    async def cancel_run(self, run_id: str, reason: str = "cancelled by request") -> bool:
        return await control.cancel_run(self, run_id, reason)

    async def rerun(self, run_id: str) -> int:
        return await control.rerun(self, run_id)

    async def sweep(self) -> sweeping.SweepReport:
        return await sweeping.sweep(self)

    # -- what the job functions call ------------------------------------------------------------

    async def execute(self, run_id: str, generation: int) -> None:
        await execution.execute(self, run_id, generation)

    async def expire_wait(self, wait_id: str) -> None:
        with session_scope(self.config.db_url) as session:
            wait = session.get(Wait, wait_id)
        if wait is None or wait.resolved_at is not None:
            return
        timeout_at = checkpoints.aware(wait.timeout_at)
        if timeout_at is not None:
            early = (timeout_at - utcnow()).total_seconds()
            if early > 0:  # clocks of different machines differ a little; never resolve early
                await asyncio.sleep(min(early, 5.0))
        with session_scope(self.config.db_url) as session:
            settled = waits.try_resolve(session, wait)
        if settled:
            await self.wake(wait.run_id)

    # -- shared plumbing ------------------------------------------------------------------------

    def job_id(self, run_id: str, generation: int) -> str:
        return f"{self.config.key_prefix}:run:{run_id}:{generation}"

    async def enqueue_run(self, run_id: str, generation: int, at: datetime | None = None) -> bool:
        """Queue this execution once: the job id names the run and generation, so ARQ drops repeats."""
        job = await self.redis.enqueue_job(EXECUTE_RUN, run_id, generation, _job_id=self.job_id(run_id, generation),
                                           _queue_name=self.config.queue_name, _defer_until=at)
        return job is not None

    async def job_state(self, run_id: str, generation: int) -> str:
        """"queued", "in-progress" (a worker took it) or "missing" (Redis lost it) for this execution."""
        job_id = self.job_id(run_id, generation)
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.exists(in_progress_key_prefix + job_id)
            pipe.exists(job_key_prefix + job_id)
            in_progress, queued = await pipe.execute()
        return "in-progress" if in_progress else "queued" if queued else "missing"

    async def enqueue_timer(self, wait_id: str, at: datetime) -> None:
        await self.redis.enqueue_job(EXPIRE_WAIT, wait_id, _job_id=f"{self.config.key_prefix}:wait:{wait_id}",
                                     _queue_name=self.config.queue_name, _defer_until=at)

    async def requeue(self, run_id: str, from_status: RunStatus, generation: int, *, delay: float) -> int | None:
        at = utcnow() + timedelta(seconds=delay)
        with session_scope(self.config.db_url) as session:
            new = checkpoints.requeue(session, run_id, from_status=from_status.value, generation=generation, at=at)
        if new is not None:
            await self.enqueue_run(run_id, new, at=at)
        return new

    async def wake(self, run_id: str) -> int | None:
        with session_scope(self.config.db_url) as session:
            new = checkpoints.wake(session, run_id)
        if new is not None:
            await self.enqueue_run(run_id, new)
        return new

    async def end_run(self, run_id: str, generation: int, status: RunStatus, *, output: Any = None,
                      error: str | None = None) -> bool:
        with session_scope(self.config.db_url) as session:
            ended = checkpoints.finish(session, run_id, generation, status, output=output, error=error)
            run = session.get(checkpoints.Run, run_id) if ended else None
        if run is not None:
            message: dict[str, Any] = {"type": "status", "status": status.value}
            if error:
                message["error"] = error
            await self.publish(self.registry.get(run.workflow), run_id, run.book_id, message)
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
                await self.hub.publish(channel, body)
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
