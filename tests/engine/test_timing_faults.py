"""Workers that are late rather than dead: a skewed clock, an event loop held by a step.

Neither may make a live run look dead: a step runs once, and the run completes. The first
tests run the work in a real worker process and judge liveness from another process (this
one's sweep). A whole worker process that stands still, its own sweep included, must not lose
throttled runs their turn; nor may runs the sweep hands back after Redis lost their jobs.
"""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path

import pytest

from bookbug.engine import Registry, Throttle, workflow
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


def _throttled(started: list[tuple[int, float]]) -> Registry:
    registry = Registry()

    @workflow("throttled", trigger="book/create.started", registry=registry,
              throttle=Throttle(key="event.data.user_id", limit=2, period="600ms"))
    async def throttled(ctx):
        started.append((ctx.event.data["n"], time.monotonic()))
        return ctx.event.data["n"]

    return registry


def _first_starts(started: list[tuple[int, float]]) -> list[tuple[float, int]]:
    first: dict[int, float] = {}
    for n, moment in started:
        first.setdefault(n, moment)
    return sorted((moment, n) for n, moment in first.items())


@pytest.mark.parametrize("seed", range(8))
async def test_a_worker_process_frozen_past_the_stale_limit_still_starts_throttled_runs_first_come_first_served(
        embedded, make_engine, seed):
    """The whole worker process stops (a long garbage collection, a paused VM, a starved CPU)
    at a random moment for up to 2.5 times the stale limit. Its own sweep wakes up with it and
    must not take the runs its own jobs hold for dead and queue them behind later ones."""
    db_url, redis_url = embedded
    chance = random.Random(seed)
    freeze_at, freeze_for = chance.uniform(0.0, 0.8), chance.uniform(1.0, 2.5)  # stale_after is 1 s
    started: list[tuple[int, float]] = []
    engine = make_engine(db_url, redis_url, _throttled(started))

    async def freeze() -> None:
        await asyncio.sleep(freeze_at)
        time.sleep(freeze_for)  # holds the event loop: nothing of this process runs meanwhile

    async with engine, engine.worker():
        freezing = asyncio.create_task(freeze())
        sent = time.monotonic()
        run_ids = []
        for n in range(5):
            run_ids += (await engine.send_event("book/create.started", {"user_id": "u1", "n": n})).started
        runs = [await wait_for_run(db_url, run_id, timeout=15) for run_id in run_ids]
        await freezing
    assert [run.status.value for run in runs] == ["completed"] * 5
    first = _first_starts(started)
    assert sorted(n for _, n in first) == [0, 1, 2, 3, 4]
    windows = [n // 2 for _, n in first]
    assert windows == sorted(windows), f"started out of turn: {[n for _, n in first]}"
    for moment, n in first:
        assert moment - sent >= (n // 2) * 0.6 - 0.01  # never before its turn


async def test_the_sweep_hands_runs_whose_jobs_redis_lost_back_in_the_order_they_were_due(embedded, make_engine):
    db_url, redis_url = embedded
    started: list[tuple[int, float]] = []
    engine = make_engine(db_url, redis_url, _throttled(started))
    async with engine:
        run_ids = []
        for n in range(8):  # two users: 0-3 are due at once, 4-7 a throttle period later
            run_ids += (await engine.send_event("book/create.started", {"user_id": f"u{n % 2}", "n": n})).started
        await engine.redis.flushall()  # every job is gone; only the database knows the runs
        await asyncio.sleep(engine.config.requeue_grace + 0.7)  # all of them overdue
        async with engine.worker():
            runs = [await wait_for_run(db_url, run_id, timeout=15) for run_id in run_ids]
    assert [run.status.value for run in runs] == ["completed"] * 8
    # First come, first served by the moment each was due (runs sent within the same
    # millisecond are due at the same moment, and either may go first).
    turns = [n // 4 for _, n in _first_starts(started)]
    assert turns == sorted(turns), f"started out of turn: {[n for _, n in _first_starts(started)]}"


async def test_a_sweep_that_is_late_every_round_still_sweeps_every_other_round():
    """The wait after a late round is taken once: a process that is always late still repairs."""
    from types import SimpleNamespace

    from bookbug.engine.worker import sweep_forever

    rounds: list[float] = []

    async def sweep() -> None:
        rounds.append(time.monotonic())

    engine = SimpleNamespace(config=SimpleNamespace(sweep_interval=0.05, heartbeat_interval=0.02), sweep=sweep)

    async def hog() -> None:
        while True:
            await asyncio.sleep(0.01)
            time.sleep(0.1)  # the loop stands still far longer than it runs

    hogging, sweeping = asyncio.create_task(hog()), asyncio.create_task(sweep_forever(engine))  # type: ignore[arg-type]
    await asyncio.sleep(2.0)
    for task in (hogging, sweeping):
        task.cancel()
    await asyncio.gather(hogging, sweeping, return_exceptions=True)
    gaps = [b - a for a, b in zip(rounds, rounds[1:])]
    assert len(rounds) >= 4
    assert max(gaps) < 1.0  # at most two late waits between rounds (about 0.3 s here), never more
