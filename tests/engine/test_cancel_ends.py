"""A run asked to cancel always ends as cancelled, whatever happens to its execution, and the
sweep finds every run it must repair however many others stand in front of it."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest
from sqlalchemy import insert

from bookbug.db.session import get_engine
from bookbug.engine import Registry, get_run, workflow
from bookbug.engine.tables import Run
from tests.engine.conftest import fast_config, wait_for_run, wait_for_step, with_tables
from tests.engine.flows import registry as process_flows
from tests.engine.processes import start_worker, stop


async def test_a_run_cancelled_mid_step_ends_cancelled_when_its_worker_shuts_down(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    started = asyncio.Event()

    @workflow("long", trigger="long/start", registry=registry)
    async def long(ctx):
        async def forever() -> None:
            started.set()
            await asyncio.sleep(3600)

        await ctx.step.run("forever", forever)

    engine = make_engine(db_url, redis_url, registry)
    async with engine:
        run_id = (await engine.send_event("long/start", {})).started[0]
        async with engine.worker():
            await started.wait()
            assert await engine.cancel_run(run_id)
        # the worker stopped (a deploy) with the step still running: nothing else would end it
        run = await wait_for_run(db_url, run_id, timeout=5)
    assert run.status.value == "cancelled"


@pytest.mark.slow
async def test_a_run_cancelled_mid_step_ends_cancelled_when_its_worker_dies(postgres_url, redis_url, make_engine,
                                                                           tmp_path):
    db_url = with_tables(postgres_url)
    config = fast_config(db_url, redis_url, heartbeat_interval=0.3, stale_after=1.5, sweep_interval=0.3)
    engine = make_engine(db_url, redis_url, process_flows, **{
        k: getattr(config, k) for k in ("queue_name", "key_prefix", "heartbeat_interval", "stale_after",
                                        "sweep_interval")})
    await engine.start()
    worker = start_worker(engine.config, tmp_path / "worker.log")
    try:
        run_id = (await engine.send_event("crashy/start", {"folder": str(tmp_path)})).started[0]
        await wait_for_step(db_url, run_id, "middle", "running", timeout=30)
        assert await engine.cancel_run(run_id)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        deadline = time.monotonic() + 20
        run = get_run(db_url, run_id)
        while time.monotonic() < deadline and run is not None and run.status.value != "cancelled":
            await engine.sweep()  # this process plays the surviving worker's sweep
            await asyncio.sleep(0.3)
            run = get_run(db_url, run_id)
    finally:
        stop(worker)
    assert run is not None and run.status.value == "cancelled"


async def test_the_sweep_pages_past_any_number_of_runs_to_every_one_it_must_repair(postgres_url, make_engine):
    """600 stale runs asked to cancel stand before one genuinely dead run: all are resolved."""
    db_url = with_tables(postgres_url)
    engine = make_engine(db_url, "", [], stale_after=1.0)
    runs = Run.__table__  # type: ignore[attr-defined]
    long_ago = "2026-01-01 00:00:00+00"
    rows = [dict(id=f"a{n:05d}", workflow="gone", status="running", generation=1, attempts=1,
                 cancel_requested=True, heartbeat_at=long_ago) for n in range(600)]
    rows.append(dict(id="zzzz-dead", workflow="gone", status="running", generation=1, attempts=1,
                     cancel_requested=False, heartbeat_at=long_ago))
    with get_engine(db_url).begin() as conn:
        conn.execute(insert(runs), rows)
    async with engine:
        report = await engine.sweep()
    assert (report.cancelled, report.stale_requeued) == (600, 1)
    dead = get_run(db_url, "zzzz-dead")
    assert dead is not None and dead.status.value == "queued"
    assert {get_run(db_url, f"a{n:05d}").status.value for n in range(0, 600, 37)} == {"cancelled"}
