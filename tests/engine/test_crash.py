"""Durability: a SIGKILLed worker's run continues on another worker; losing Redis loses no run."""

from __future__ import annotations

import os
import signal
import time

import redis.asyncio as aioredis

from bookbug.engine import Registry, workflow
from tests.engine.conftest import fast_config, wait_for_run
from tests.engine.flows import registry as process_flows
from tests.engine.processes import start_worker, stop
from tests.support.engine import step_log, until


async def test_sigkilled_worker_mid_step_the_run_resumes_on_another_within_30s(
    postgres_url, redis_url, make_engine, tmp_path
):
    from tests.engine.conftest import with_tables

    db_url = with_tables(postgres_url)
    config = fast_config(db_url, redis_url, stale_after=2.0, heartbeat_interval=0.5, sweep_interval=1.0)
    engine = make_engine(db_url, redis_url, process_flows, **{
        k: getattr(config, k) for k in ("queue_name", "key_prefix", "stale_after", "heartbeat_interval", "sweep_interval")
    })
    await engine.start()
    first = start_worker(engine.config, tmp_path / "worker1.log")
    second = None
    try:
        run_id = (await engine.send_event("crashy/start", {"folder": str(tmp_path)})).started[0]
        await until(lambda: ["start", "middle"] in [e[:2] for e in step_log(tmp_path)], 30, "the held step to start")
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        killed_at = time.time()
        (tmp_path / "release").touch()  # the next attempt of the held step may finish
        second = start_worker(engine.config, tmp_path / "worker2.log")
        run = await wait_for_run(db_url, run_id, timeout=40)
    finally:
        stop(first)
        if second is not None:
            stop(second)

    assert run.status.value == "completed", run.error
    events = [(e[0], e[1], float(e[2])) for e in step_log(tmp_path)]
    starts = [name for kind, name, _ in events if kind == "start"]
    assert starts.count("before") == 1  # completed before the kill: never ran again
    assert starts.count("middle") == 2  # in flight when killed: ran again (at least once)
    assert starts.count("after") == 1
    resumed_at = [t for kind, name, t in events if (kind, name) == ("start", "middle")][1]
    assert resumed_at - killed_at < 30


async def test_losing_everything_in_redis_mid_run_loses_no_run(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    ran: list[str] = []

    @workflow("sturdy", trigger="sturdy/start", registry=registry)
    async def sturdy(ctx):
        await ctx.step.run("one", ran.append, "one")
        await ctx.step.sleep("nap", "300ms")  # its timer job lives only in Redis
        await ctx.step.run("two", ran.append, "two")
        return "done"

    engine = make_engine(db_url, redis_url, registry)
    async with engine:
        # Queued while no worker runs, then Redis forgets everything (FLUSHALL on the stand-in).
        queued = (await engine.send_event("sturdy/start", {"n": 1})).started[0]
        await engine.redis.flushall()
        async with engine.worker():
            await wait_for_run(db_url, queued, "completed", timeout=10)
            # Suspended on a sleep, then Redis forgets its timer and queue.
            sleeping = (await engine.send_event("sturdy/start", {"n": 2})).started[0]
            await wait_for_run(db_url, sleeping, "waiting")
            await engine.redis.flushall()
            run = await wait_for_run(db_url, sleeping, timeout=10)
    assert run.status.value == "completed"
    assert ran == ["one", "two", "one", "two"]


async def test_real_redis_flushed_mid_run_the_run_still_completes(postgres_url, redis_url, make_engine):
    from tests.engine.conftest import with_tables

    db_url = with_tables(postgres_url)
    registry = Registry()

    @workflow("sturdy", trigger="sturdy/start", registry=registry)
    async def sturdy(ctx):
        await ctx.step.sleep("nap", "300ms")
        return "done"

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("sturdy/start", {})).started[0]
        await wait_for_run(db_url, run_id, "waiting")
        client = aioredis.from_url(redis_url)
        await client.flushdb()  # the test database only (never FLUSHALL a shared server)
        await client.aclose()
        run = await wait_for_run(db_url, run_id, timeout=10)
    assert run.status.value == "completed"
