"""Chaos: hundreds of short workflows on three worker processes while faults land at random.

A seeded random schedule starts at least 200 runs of the `chaos` workflow (tests/engine/flows.py):
random plans of steps, slow steps, waits (their events sent before and after the wait), sleeps,
parallel branches under a concurrency limit, and cancels. Meanwhile, at random moments: a worker
is SIGKILLed (and replaced), a worker is stopped for longer than the stale limit and then goes
on (alive but late), a worker's clock is a minute off, Redis is flushed, every database
connection is dropped.

Invariants, checked at the end:
- every run ended (completed, cancelled, or failed with its reason) within a bound;
- no completed step's output ever changed (outputs are watched while the runs go on);
- every step's side effect, recorded under its unique key, was committed once, and the step's
  output is that effect;
- no concurrency slot is left held.

The seed is printed (and in every failure message); BOOKBUG_CHAOS_SEED replays one.
BOOKBUG_CHAOS_SOAK=N runs N times as many workflows, with faults for correspondingly longer.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from sqlalchemy import select, text

from bookbug.db.session import get_engine
from bookbug.engine import get_run
from bookbug.engine.tables import FINISHED, Run, Step
from tests.engine.conftest import fast_config, with_tables
from tests.engine.flows import CHAOS_EFFECTS
from tests.engine.flows import registry as process_flows
from tests.engine.processes import start_worker, stop

pytestmark = pytest.mark.slow

SOAK = max(1, int(os.environ.get("BOOKBUG_CHAOS_SOAK", "1") or 1))
RUNS = 200 * SOAK
WORKERS = 3
OPS = ["step", "step", "slow", "wait", "wait", "sleep", "parallel"]
FAULTS = ["kill", "stall", "skew", "flush", "drop-connections"]
END_BOUND = 150.0  # seconds after the last run started by which every run must have ended


@dataclass
class Fleet:
    config: object
    folder: Path
    rng: random.Random
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    offsets: list[float] = field(default_factory=list)
    faults: Counter[str] = field(default_factory=Counter)
    restarts: int = 0

    def start(self, index: int, offset: float = 0.0) -> None:
        self.restarts += 1
        process = start_worker(self.config, self.folder / f"worker{index}-{self.restarts}.log",  # type: ignore[arg-type]
                               clock_offset=offset)
        if index < len(self.workers):
            self.workers[index], self.offsets[index] = process, offset
        else:
            self.workers.append(process)
            self.offsets.append(offset)

    def stop_all(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                try:
                    os.kill(process.pid, signal.SIGCONT)
                except ProcessLookupError:
                    pass
            stop(process)


async def _inject(fleet: Fleet, kind: str, db_url: str, redis_url: str, stale_after: float) -> None:
    index = fleet.rng.randrange(WORKERS)
    victim = fleet.workers[index]
    fleet.faults[kind] += 1
    if kind == "kill":
        victim.kill()
        victim.wait()
        fleet.start(index, fleet.offsets[index])
    elif kind == "stall":  # alive, but silent for longer than the stale limit
        # Woken by a timer thread, not this event loop: a worker stopped inside a transaction
        # holds its row locks, and a blocking query of this test on that row would otherwise
        # wait for a SIGCONT that only this (then blocked) loop could send.
        waking = threading.Timer(stale_after + 1.0, os.kill, (victim.pid, signal.SIGCONT))
        os.kill(victim.pid, signal.SIGSTOP)
        waking.start()
        await asyncio.sleep(stale_after + 1.0)
        await asyncio.to_thread(waking.join)
    elif kind == "skew":  # the worker comes back on a clock a minute off
        victim.kill()
        victim.wait()
        fleet.start(index, fleet.rng.choice([-60.0, 60.0]))
    elif kind == "flush":
        client = aioredis.from_url(redis_url)
        await client.flushdb()
        await client.aclose()
    elif kind == "drop-connections":
        with get_engine(db_url).connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            conn.commit()
        get_engine(db_url).dispose()  # this process's own pooled connections died too


def _completed_outputs(db_url: str) -> dict[tuple[str, str], object]:
    steps = Step.__table__  # type: ignore[attr-defined]
    with get_engine(db_url).begin() as conn:
        rows = conn.execute(select(steps.c.run_id, steps.c.step_key, steps.c.output)
                            .where(steps.c.status == "completed")).all()
    return {(row.run_id, row.step_key): row.output for row in rows}


async def test_chaos(postgres_url, redis_url, make_engine, tmp_path):
    seed = int(os.environ.get("BOOKBUG_CHAOS_SEED") or random.randrange(1 << 32))
    print(f"\nchaos seed: {seed} (BOOKBUG_CHAOS_SEED={seed} replays it), {RUNS} runs")
    rng = random.Random(seed)
    db_url = with_tables(postgres_url)
    with get_engine(db_url).begin() as conn:
        conn.execute(text(f"CREATE TABLE {CHAOS_EFFECTS} (run_id varchar(32), step_key varchar(300), "
                          "value varchar(64), generation integer)"))
    timings = dict(heartbeat_interval=0.3, stale_after=1.5, sweep_interval=0.5, requeue_grace=1.0,
                   retry_base=0.05, retry_cap=0.5, slot_poll=0.05, poll_delay=0.05, max_jobs=12)
    config = fast_config(db_url, redis_url, **timings)
    engine = make_engine(db_url, redis_url, process_flows, queue_name=config.queue_name,
                         key_prefix=config.key_prefix, **timings)
    fleet = Fleet(config=engine.config, folder=tmp_path, rng=rng)
    for index in range(WORKERS):
        fleet.start(index)
    seen: dict[tuple[str, str], object] = {}
    changed: list[str] = []

    def watch() -> None:
        for key, output in _completed_outputs(db_url).items():
            if key in seen and seen[key] != output:
                changed.append(f"{key}: {seen[key]!r} became {output!r}")
            seen.setdefault(key, output)

    run_ids: list[str] = []
    try:
        await engine.start()
        started_all = asyncio.Event()

        async def launch() -> None:
            for case in range(RUNS):
                plan = [rng.choice(OPS) for _ in range(rng.randint(2, 5))]
                data = {"db": db_url, "case": f"c{case}", "plan": plan, "group": f"g{case % 7}",
                        "hold": round(rng.uniform(0.2, 1.2), 2)}
                receipt = await engine.send_event("chaos/start", data)
                run_ids.extend(receipt.started)
                for n, op in enumerate(plan):
                    if op == "wait":  # the answer comes before or after the wait, at random
                        asyncio.get_running_loop().call_later(
                            rng.uniform(0, 4), lambda c=case, n=n: asyncio.ensure_future(
                                engine.send_event("chaos/reply", {"case": f"c{c}", "n": n})))
                if rng.random() < 0.08:
                    asyncio.get_running_loop().call_later(
                        rng.uniform(0, 3), lambda c=case: asyncio.ensure_future(
                            engine.send_event("chaos/cancel", {"case": f"c{c}"})))
                await asyncio.sleep(rng.uniform(0.0, 0.12))
            started_all.set()

        async def faults() -> None:
            await asyncio.sleep(1.0)
            while not started_all.is_set():
                await _inject(fleet, rng.choice(FAULTS), db_url, redis_url, engine.config.stale_after)
                await asyncio.sleep(rng.uniform(1.0, 3.0))

        launcher, faulter = asyncio.create_task(launch()), asyncio.create_task(faults())
        while not (launcher.done() and faulter.done()):
            watch()
            await asyncio.sleep(0.5)
        await launcher
        await faulter
        deadline = time.monotonic() + END_BOUND * SOAK
        runs = Run.__table__  # type: ignore[attr-defined]
        while True:
            watch()
            with get_engine(db_url).begin() as conn:
                unfinished = conn.execute(select(runs.c.id, runs.c.status).where(
                    runs.c.workflow == "chaos", runs.c.status.notin_(FINISHED))).all()
            if not unfinished:
                break
            assert time.monotonic() < deadline, (
                f"seed {seed}: {len(unfinished)} runs had not ended {END_BOUND * SOAK:.0f} s after the last "
                f"started, e.g. {[tuple(r) for r in unfinished[:5]]}; faults {dict(fleet.faults)}")
            await asyncio.sleep(0.5)
        watch()
        await asyncio.sleep(engine.config.stale_after + 0.5)  # leases of killed workers run out
        client = aioredis.from_url(redis_url)
        try:
            now = await engine.limits.now()
            held = {key.decode(): await client.zcount(key, now, "+inf")
                    async for key in client.scan_iter(f"{engine.config.key_prefix}:slots:*")}
        finally:
            await client.aclose()
    finally:
        fleet.stop_all()

    context = f"seed {seed}, faults {dict(fleet.faults)}"
    assert len(run_ids) == RUNS, context
    statuses = Counter(get_run(db_url, run_id).status.value for run_id in run_ids)  # type: ignore[union-attr]
    print(f"chaos: {dict(statuses)}; faults injected: {dict(fleet.faults)}")
    failed = [get_run(db_url, run_id) for run_id in run_ids if get_run(db_url, run_id).status.value == "failed"]  # type: ignore[union-attr]
    assert all(run is not None and run.error for run in failed), f"{context}: a run failed without a reason"
    assert changed == [], f"{context}: completed outputs changed: {changed[:5]}"
    with get_engine(db_url).begin() as conn:
        effects = conn.execute(text(f"SELECT run_id, step_key, value FROM {CHAOS_EFFECTS}")).all()
    per_key = Counter((row.run_id, row.step_key) for row in effects)
    doubled = [key for key, n in per_key.items() if n > 1]
    assert doubled == [], f"{context}: effects committed more than once: {doubled[:5]}"
    values = {(row.run_id, row.step_key): row.value for row in effects}
    outputs = _completed_outputs(db_url)
    effect_steps = {key: output for key, output in outputs.items()
                    if key[1].rsplit("/", 1)[-1].startswith(("s", "slow", "p")) and isinstance(output, str)}
    missing = [key for key in effect_steps if key not in values]
    wrong = [key for key, output in effect_steps.items() if key in values and values[key] != output]
    assert missing == [] and wrong == [], f"{context}: steps whose output is not their one effect: {missing[:3]} {wrong[:3]}"
    assert {key: n for key, n in held.items() if n} == {}, f"{context}: concurrency slots left held: {held}"
    assert statuses["completed"] >= RUNS // 2, f"{context}: too few runs completed: {dict(statuses)}"
