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
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from arq.connections import RedisSettings
from arq.constants import in_progress_key_prefix
from arq.worker import Worker

from bookbug.engine import Registry, Throttle, workflow
from bookbug.engine.engine import in_progress_lifetime
from bookbug.engine.sweep import SweepReport
from bookbug.engine.worker import job_functions, sweep_forever
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


async def _send(engine: Any, users: list[str]) -> list[str]:
    """One throttled run per entry, numbered in order, for that user."""
    run_ids: list[str] = []
    for n, user in enumerate(users):
        run_ids += (await engine.send_event("book/create.started", {"user_id": user, "n": n})).started
    return run_ids


def _assert_in_turn(started: list[tuple[int, float]], per_turn: int) -> None:
    """Runs started first come, first served, `per_turn` runs being due at each moment."""
    order = [n for _, n in _first_starts(started)]
    turns = [n // per_turn for n in order]
    assert turns == sorted(turns), f"started out of turn: {order}"


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
        run_ids = await _send(engine, ["u1"] * 5)
        runs = [await wait_for_run(db_url, run_id, timeout=15) for run_id in run_ids]
        await freezing
    assert [run.status.value for run in runs] == ["completed"] * 5
    first = _first_starts(started)
    assert sorted(n for _, n in first) == [0, 1, 2, 3, 4]
    _assert_in_turn(started, per_turn=2)
    for moment, n in first:
        assert moment - sent >= (n // 2) * 0.6 - 0.01  # never before its turn


async def test_a_process_standing_still_between_taking_a_job_and_claiming_its_run_keeps_the_run_its_turn(
        embedded, make_engine):
    """The stop falls exactly where a job is taken but its run not yet claimed (ARQ's own
    awaits before it calls the engine): its run must still start before later ones."""
    db_url, redis_url = embedded
    started: list[tuple[int, float]] = []
    engine = make_engine(db_url, redis_url, _throttled(started))
    execute, calls = engine.execute, []

    async def stopping_once(run_id: str, generation: int) -> None:
        calls.append(run_id)
        if len(calls) == 2:
            time.sleep(1.5 * engine.config.stale_after)  # the whole process stands still
            for _ in range(3):
                await asyncio.sleep(0)  # ARQ's remaining awaits before our function
        await execute(run_id, generation)

    engine.execute = stopping_once  # type: ignore[method-assign]
    async with engine, engine.worker():
        run_ids = await _send(engine, ["u1"] * 5)
        runs = [await wait_for_run(db_url, run_id, timeout=15) for run_id in run_ids]
    assert [run.status.value for run in runs] == ["completed"] * 5
    _assert_in_turn(started, per_turn=2)


async def test_the_sweep_hands_runs_whose_jobs_redis_lost_back_in_the_order_they_were_due(embedded, make_engine):
    db_url, redis_url = embedded
    started: list[tuple[int, float]] = []
    engine = make_engine(db_url, redis_url, _throttled(started))
    async with engine:
        run_ids = await _send(engine, ["u0", "u1"] * 4)  # two users: 0-3 are due at once, 4-7 a period later
        await engine.redis.flushall()  # every job is gone; only the database knows the runs
        await asyncio.sleep(engine.config.requeue_grace + 0.7)  # all of them overdue
        async with engine.worker():
            runs = [await wait_for_run(db_url, run_id, timeout=15) for run_id in run_ids]
    assert [run.status.value for run in runs] == ["completed"] * 8
    # By the moment each was due (runs sent within the same millisecond may go either way).
    _assert_in_turn(started, per_turn=4)


async def test_a_run_taken_over_whose_new_job_redis_then_lost_still_goes_back_in_line_by_when_it_was_due(
        embedded, make_engine):
    db_url, redis_url = embedded
    started: list[tuple[int, float]] = []
    engine = make_engine(db_url, redis_url, _throttled(started))
    async with engine:
        run_ids = await _send(engine, ["u1"] * 6)  # due in three turns, 600 ms apart
        # A worker took the first two jobs and died before claiming their runs.
        taken_ago = 3 * engine.config.stale_after
        for run_id in run_ids[:2]:
            await engine.redis.psetex(in_progress_key_prefix + engine.job_id(run_id, 1),
                                      int((in_progress_lifetime(engine.config) - taken_ago) * 1000), b"1")
        await asyncio.sleep(1.2 + engine.config.requeue_grace + 0.3)  # every run overdue
        report = await engine.sweep()
        assert report.stale_requeued == 2
        await engine.redis.flushall()  # and then Redis lost every job, the new ones too
        async with engine.worker():
            runs = [await wait_for_run(db_url, run_id, timeout=15) for run_id in run_ids]
    assert [run.status.value for run in runs] == ["completed"] * 6
    _assert_in_turn(started, per_turn=2)


async def test_a_due_run_a_stopping_worker_hands_back_keeps_its_place_before_work_sent_after_it_was_due(
        embedded, make_engine):
    db_url, redis_url = embedded
    started: list[tuple[int, float]] = []
    engine = make_engine(db_url, redis_url, _throttled(started))
    async with engine:
        early = (await engine.send_event("book/create.started", {"user_id": "u1", "n": 0})).started[0]
        await asyncio.sleep(0.5)
        later = (await engine.send_event("book/create.started", {"user_id": "u2", "n": 1})).started[0]
        engine.drain()  # a worker shutting down takes the early run's job and hands it straight back
        await engine.execute(early, 1)
        engine.stopping.clear()
        assert (await engine.job_state(early, 2)).where == "queued"  # handed to a new execution
        async with engine.worker():
            runs = [await wait_for_run(db_url, run_id, timeout=15) for run_id in (early, later)]
    assert [run.status.value for run in runs] == ["completed"] * 2
    assert [n for _, n in _first_starts(started)] == [0, 1]


class _Sweeps:
    """A stand-in engine for sweep_forever: each round asks whether to hold its takeovers."""

    def __init__(self, before_judging: Callable[[int], None] = lambda n: None) -> None:
        self.config = SimpleNamespace(sweep_interval=0.1, heartbeat_interval=0.15, stale_after=1.0)
        self.asked: list[bool | None] = []  # per round: held, not held, or not offered a hold
        self.before_judging = before_judging

    async def sweep(self, *, hold_takeovers: Callable[[], bool] | None = None) -> SweepReport:
        self.before_judging(len(self.asked))
        held = None if hold_takeovers is None else hold_takeovers()
        self.asked.append(held)
        return SweepReport(held=bool(held))


async def _sweep_for(engine: _Sweeps, seconds: float, *others: Callable[[], Any]) -> None:
    tasks = [asyncio.create_task(sweep_forever(engine))] + [asyncio.create_task(other()) for other in others]  # type: ignore[arg-type]
    await asyncio.sleep(seconds)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def test_the_sweep_holds_its_takeovers_for_one_round_after_its_process_stood_still():
    engine = _Sweeps()
    stopped: list[int] = []

    async def one_stop() -> None:
        await asyncio.sleep(0.4)
        stopped.append(len(engine.asked))
        time.sleep(0.5)

    await _sweep_for(engine, 1.6, one_stop)
    first_held = engine.asked.index(True)
    assert first_held == stopped[0]  # the first round after the stop
    assert False in engine.asked[:first_held]  # before it: offered a hold, and none needed
    assert engine.asked[first_held + 1] is None  # the round after a hold judges whatever happens
    assert False in engine.asked[first_held + 2:]  # then calm again


async def test_a_stop_during_the_sweeps_own_database_calls_holds_its_takeovers_too():
    engine = _Sweeps(before_judging=lambda n: time.sleep(0.4) if n == 3 else None)
    await _sweep_for(engine, 1.2)
    assert engine.asked[3] is True
    assert not any(engine.asked[:3])


async def test_a_process_that_keeps_standing_still_still_takes_dead_runs_over_every_other_round():
    engine = _Sweeps()

    async def hog() -> None:
        while True:
            await asyncio.sleep(0.01)
            time.sleep(0.25)  # the loop stands still far longer than it runs

    await _sweep_for(engine, 2.0, hog)
    assert len(engine.asked) >= 4
    assert True in engine.asked
    assert all(not (a and b) for a, b in zip(engine.asked, engine.asked[1:])), engine.asked


@pytest.mark.parametrize("job_timeout", [5.0, 3600.0])
def test_arq_keeps_a_taken_jobs_mark_as_long_as_the_engine_reckons(job_timeout):
    """The sweep tells how long ago a job was taken from what is left of ARQ's mark."""
    config = fast_config("sqlite://", job_timeout=job_timeout)
    worker = Worker(job_functions(config), redis_settings=RedisSettings(), job_timeout=config.job_timeout)
    assert worker.in_progress_timeout_s == in_progress_lifetime(config)


async def test_the_sweep_reads_how_long_ago_a_worker_took_a_job_and_never_as_older_than_it_is(backend, make_engine):
    db_url, redis_url = backend
    registry = Registry()
    release = asyncio.Event()

    @workflow("held", trigger="held/start", registry=registry)
    async def held(ctx):
        await release.wait()
        return None

    async def read(run_id: str) -> tuple[float, Any, float]:
        before = time.monotonic()
        state = await engine.job_state(run_id, 1)
        return before, state, time.monotonic()

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        sent = time.monotonic()
        run_id = (await engine.send_event("held/start", {})).started[0]
        await wait_for_run(db_url, run_id, "running")
        early_from, early, early_to = await read(run_id)
        await asyncio.sleep(1.0)
        later_from, later, later_to = await read(run_id)
        release.set()
        await wait_for_run(db_url, run_id)
    assert early.where == later.where == "in-progress"
    assert early.taken_for is not None and later.taken_for is not None
    tick = 0.01  # Redis counts the mark's life in whole milliseconds
    assert 0.0 <= early.taken_for <= early_to - sent + tick  # taken after it was sent
    assert later.taken_for <= later_to - sent + tick
    if redis_url:  # real Redis: it ages with the clock, however busy the machine is between readings
        assert later_from - early_to - tick <= later.taken_for - early.taken_for <= later_to - early_from + tick
    else:  # the stand-in's whole seconds: up to one second young, never old
        assert later.taken_for >= later_from - early_to - 1.0 - tick
