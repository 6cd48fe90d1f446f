"""ARQ job functions and the two ways to run them: separate worker processes (production,
`worker_settings` + `run_worker`) or a worker inside the app process (embedded mode,
`InProcessWorker`). Both run the same job functions against the same engine.

Stopping a worker process (SIGTERM or Ctrl-C, as in a deploy): it takes no more jobs and starts
no more steps; steps already running get `shutdown_grace` seconds to finish and be
checkpointed; each run is handed straight back to the queue as soon as its running steps end
(or are cut off at the end of the grace), so another worker carries on at once instead of
waiting for the run's heartbeat to go stale. Fencing makes the hand-over safe whatever the
timing. A second signal stops at once (the runs are still handed back).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import logging.config
import os
import threading
import time
from signal import Signals
from typing import TYPE_CHECKING, Any

from arq import func
from arq.connections import RedisSettings, create_pool
from arq.logs import default_log_config
from arq.worker import Function, Worker, get_kwargs, poll

from bookbug.engine.config import EngineConfig
from bookbug.engine.engine import EXECUTE_RUN, EXPIRE_WAIT, EXPIRE_WAIT_TIMEOUT, Engine
from bookbug.engine.engine import redis_settings as arq_redis_settings
from bookbug.engine.loopwatch import LoopWatch
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
    nothing happens. The sweep itself logs what it repaired, and nothing when all is well.

    After this process stood still (see loopwatch.py), the sweep holds its takeovers for one
    round: the process's own work goes on first. One round only, so that a process that keeps
    standing still still takes dead runs over every other round."""
    config = engine.config
    interval = config.sweep_interval
    # A stop longer than a heartbeat's interval may have cost beats; one longer than what is
    # left of the stale limit after a beat's age makes a beat look stale. The shorter counts.
    watch = LoopWatch(min(config.heartbeat_interval, config.stale_after - config.heartbeat_interval))
    watching = asyncio.create_task(watch.keep_watch())
    stood_still = functools.partial(watch.stood_still, within=interval)
    held = False
    try:
        while True:
            try:
                held = (await engine.sweep(hold_takeovers=None if held else stood_still)).held
                if held:
                    log.info("engine sweep: this process has just stood still; its takeovers wait a round")
            except Exception:  # a failed sweep is retried at the next tick
                log.exception("engine sweep failed")
                held = False
            await asyncio.sleep(interval)
    finally:
        watching.cancel()


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
        func(expire_wait, name=EXPIRE_WAIT, timeout=EXPIRE_WAIT_TIMEOUT, max_tries=1),
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
        if cfg.http_port:
            from bookbug.engine.monitor import serve

            ctx["http"] = await serve(engine, cfg.http_port)

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        http = ctx.get("http")
        if http is not None:
            await http.stop()
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
        shutdown_grace = cfg.shutdown_grace  # read by EngineWorker (not an arq setting)

    WorkerSettings.on_startup = staticmethod(on_startup)  # type: ignore[attr-defined]  # arq reads these hooks from the settings class, which declares them nowhere
    WorkerSettings.on_shutdown = staticmethod(on_shutdown)  # type: ignore[attr-defined]  # arq reads these hooks from the settings class, which declares them nowhere
    return WorkerSettings


class EngineWorker(Worker):
    """ARQ's Worker, stopping gracefully on SIGTERM/SIGINT (see the module's docstring)."""

    shutdown_grace = 30.0
    _draining_since: float | None = None

    def handle_sig(self, signum: Signals) -> None:
        engine: Engine | None = self.ctx.get("engine")
        if self._draining_since is not None or engine is None:
            super().handle_sig(signum)  # a second signal, or nothing started yet: stop now
            return
        self._draining_since = time.monotonic()
        self.allow_pick_jobs = False
        engine.drain()
        log.warning("stopping on %s: %d job(s) in flight get up to %.0fs for their running steps",
                    Signals(signum).name, self.running(), self.shutdown_grace)
        self.loop.create_task(self._stop_when_drained(Signals(signum)))

    def running(self) -> int:
        return sum(not task.done() for task in self.tasks.values())

    async def _stop_when_drained(self, signum: Signals) -> None:
        deadline = time.monotonic() + self.shutdown_grace
        while self.running() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if self.running():
            log.warning("grace of %.0fs is over: cutting off %d job(s); their runs go back to the queue",
                        self.shutdown_grace, self.running())
        super().handle_sig(signum)  # cancels what is left (each hands its run back) and stops


def run_worker(settings: type, *, log_config: bool = True) -> None:
    """Run one worker process until it is told to stop (`python -m workers` calls this)."""
    if log_config:
        logging.config.dictConfig(default_log_config(verbose=False))
    worker = EngineWorker(**get_kwargs(settings))  # type: ignore[arg-type]  # arq's get_kwargs() gives a dict of mixed values
    worker.shutdown_grace = float(getattr(settings, "shutdown_grace", EngineWorker.shutdown_grace))
    worker.run()
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        # A step cut off at the end of the grace may still block a thread (a slow upload, say);
        # its run is already back in the queue and its late result would be dropped, so do not
        # wait for it: the interpreter would join that thread before exiting.
        logging.shutdown()
        os._exit(0)


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
