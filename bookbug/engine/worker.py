"""ARQ job functions and the two ways to run them: separate `arq` worker processes (production,
`worker_settings`) or a worker inside the app process (embedded mode, `InProcessWorker`).
Both run the same job functions against the same engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

from arq import func
from arq.connections import RedisSettings, create_pool
from arq.worker import Function, Worker, poll

from bookbug.engine.config import EngineConfig
from bookbug.engine.engine import EXECUTE_RUN, EXPIRE_WAIT, Engine
from bookbug.engine.engine import redis_settings as arq_redis_settings
from bookbug.engine.workflow import Registry

if TYPE_CHECKING:
    from collections.abc import Iterable

    from bookbug.engine.workflow import Workflow

log = logging.getLogger("bookbug.engine")


async def execute_run(ctx: dict[str, Any], run_id: str, generation: int) -> None:
    await ctx["engine"].execute(run_id, generation)


async def expire_wait(ctx: dict[str, Any], wait_id: str) -> None:
    await ctx["engine"].expire_wait(wait_id)


async def sweep_forever(engine: Engine) -> None:
    """The sweep, every `sweep_interval`, as a task of its own rather than an ARQ cron job: ARQ
    logs every job it runs, and an operator should not read a line every two seconds when
    nothing happens. The sweep itself logs what it repaired, and nothing when all is well."""
    while True:
        try:
            await engine.sweep()
        except Exception:  # a failed sweep is retried at the next tick
            log.exception("engine sweep failed")
        await asyncio.sleep(engine.config.sweep_interval)


def show_engine_logs() -> None:
    """ARQ's default logging shows ARQ's own loggers only; an operator needs the engine's lines
    (retries, pauses, failed steps, sweep repairs) in the same place."""
    engine_log = logging.getLogger("bookbug")
    if engine_log.handlers or logging.getLogger().handlers:
        return  # the process configured logging itself
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
    engine_log.addHandler(handler)
    engine_log.setLevel(logging.INFO)


def job_functions(config: EngineConfig) -> list[Function]:
    return [
        # ARQ's own retry is off: the engine retries steps itself and the sweep re-queues
        # executions whose worker died, sooner than ARQ would (job_timeout + 10 s).
        func(execute_run, name=EXECUTE_RUN, timeout=config.job_timeout, max_tries=1),
        func(expire_wait, name=EXPIRE_WAIT, timeout=60, max_tries=1),
    ]


def worker_settings(config: EngineConfig, workflows: Iterable[Workflow] | Registry | None = None) -> type:
    """A WorkerSettings class for `arq`: production workers, as many processes as you like."""
    cfg = config

    async def on_startup(ctx: dict[str, Any]) -> None:
        if cfg.embedded:
            raise RuntimeError(
                "arq workers need REDIS_URL: without it Bookbug runs in embedded mode, where the "
                "app process runs its own worker"
            )
        show_engine_logs()
        engine = ctx["engine"] = await Engine(cfg, workflows).start(redis=ctx["redis"])
        ctx["sweeper"] = asyncio.create_task(sweep_forever(engine))

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        sweeper = ctx.get("sweeper")
        if sweeper is not None:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
        engine = ctx.get("engine")
        if engine is not None:
            await engine.close()

    class WorkerSettings:
        functions = job_functions(cfg)
        redis_settings = arq_redis_settings(cfg.redis_url) if cfg.redis_url else RedisSettings()
        queue_name = cfg.queue_name
        poll_delay = cfg.poll_delay
        max_jobs = cfg.max_jobs
        job_timeout = cfg.job_timeout
        keep_result = 0  # the run rows hold every outcome; Redis keeps nothing for long

    WorkerSettings.on_startup = staticmethod(on_startup)  # type: ignore[attr-defined]
    WorkerSettings.on_shutdown = staticmethod(on_shutdown)  # type: ignore[attr-defined]
    return WorkerSettings


class _QuietWorker(Worker):
    """ARQ's Worker without the start-up INFO report, which the in-process stand-in lacks.

    arq.worker.Worker.main() calls log_redis_info (INFO Server/Memory/Clients); fakeredis
    answers INFO with an error. This is main() from arq 0.28 minus that one call.
    """

    async def main(self) -> None:
        assert self._pool is not None
        self.ctx["redis"] = self.pool
        if self.on_startup:
            await self.on_startup(self.ctx)
        async for _ in poll(self.poll_delay_s):
            await self._poll_iteration()


class InProcessWorker:
    """An ARQ worker and a sweep loop running as tasks in the current event loop."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._worker: Worker | None = None
        self._pool: Any = None
        self._tasks: list[asyncio.Task[Any]] = []

    async def start(self) -> None:
        engine = await self.engine.start()
        config = engine.config
        if config.embedded:
            pool = engine._embedded_client()  # its own client: the worker closes it on stop
        else:
            pool = await create_pool(arq_redis_settings(config.redis_url), default_queue_name=config.queue_name)
        self._pool = pool
        self._worker = _QuietWorker(
            job_functions(config), queue_name=config.queue_name, redis_pool=pool, handle_signals=False,
            poll_delay=config.poll_delay, max_jobs=config.max_jobs, job_timeout=config.job_timeout,
            keep_result=0, ctx={"engine": engine},
        )
        self._tasks = [asyncio.create_task(self._worker.main()), asyncio.create_task(self._sweep_loop())]

    async def _sweep_loop(self) -> None:
        await sweep_forever(self.engine)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._worker is not None:
            # close() cancels the jobs in flight (each hands its run straight back to the
            # queue) and closes the worker's Redis client.
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker.close()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._pool is not None:
            with contextlib.suppress(Exception):
                await self._pool.aclose()  # in case close() was cut short by a cancelled job
        self._worker, self._pool = None, None
        self._tasks = []
