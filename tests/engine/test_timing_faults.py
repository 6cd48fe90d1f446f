"""Workers that are late rather than dead: a skewed clock, an event loop held by a step.

Neither may make a live run look dead: a step runs once, and the run completes. Each test runs
the work in a real worker process and judges liveness from another process (this one's sweep).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from tests.engine.conftest import fast_config, wait_for_run, with_tables
from tests.engine.flows import registry as process_flows
from tests.engine.processes import start_worker, stop


def _starts(folder: Path, name: str) -> int:
    path = folder / "log.txt"
    lines = path.read_text().splitlines() if path.exists() else []
    return sum(1 for line in lines if line.startswith(f"start {name} "))


async def _sweeping(engine, until: asyncio.Event) -> None:
    """This process plays the sweeper, on the right clock, while the worker runs elsewhere."""
    while not until.is_set():
        await engine.sweep()
        await asyncio.sleep(engine.config.sweep_interval)


@pytest.mark.slow
@pytest.mark.parametrize("offset", [-60.0, -15.0, 60.0])
async def test_a_worker_with_a_skewed_clock_keeps_its_long_step_alive(postgres_url, redis_url, make_engine,
                                                                      tmp_path, offset):
    db_url = with_tables(postgres_url)
    config = fast_config(db_url, redis_url, heartbeat_interval=0.3, stale_after=1.5, sweep_interval=0.3)
    engine = make_engine(db_url, redis_url, process_flows, **{
        k: getattr(config, k) for k in ("queue_name", "key_prefix", "heartbeat_interval", "stale_after",
                                        "sweep_interval")})
    await engine.start()
    worker = start_worker(engine.config, tmp_path / "worker.log", clock_offset=offset)
    done = asyncio.Event()
    sweeper = asyncio.create_task(_sweeping(engine, done))
    try:
        run_id = (await engine.send_event("long-step/start", {"folder": str(tmp_path), "seconds": 4})).started[0]
        run = await wait_for_run(db_url, run_id, timeout=40)
    finally:
        done.set()
        await sweeper
        stop(worker)
    assert run.status.value == "completed", run.error
    assert _starts(tmp_path, "slow") == 1  # never taken for dead, never run again
    assert _starts(tmp_path, "after") == 1


@pytest.mark.slow
async def test_a_step_that_blocks_the_event_loop_past_the_stale_limit_is_not_run_again(
        postgres_url, redis_url, make_engine, tmp_path):
    db_url = with_tables(postgres_url)
    config = fast_config(db_url, redis_url, heartbeat_interval=0.3, stale_after=1.5, sweep_interval=0.3)
    engine = make_engine(db_url, redis_url, process_flows, **{
        k: getattr(config, k) for k in ("queue_name", "key_prefix", "heartbeat_interval", "stale_after",
                                        "sweep_interval")})
    await engine.start()
    worker = start_worker(engine.config, tmp_path / "worker.log")
    spare = start_worker(engine.config, tmp_path / "spare.log")  # would take the run if it looked dead
    done = asyncio.Event()
    sweeper = asyncio.create_task(_sweeping(engine, done))
    try:
        run_id = (await engine.send_event("loop-blocker/start", {"folder": str(tmp_path), "seconds": 4})).started[0]
        run = await wait_for_run(db_url, run_id, timeout=40)
        time.sleep(0)
    finally:
        done.set()
        await sweeper
        stop(worker)
        stop(spare)
    assert run.status.value == "completed", run.error
    assert _starts(tmp_path, "hog") == 1
