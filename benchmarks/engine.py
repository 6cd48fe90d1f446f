"""Engine figures: overhead per step, replay, wait fan-out, and recovery from a killed worker.

    .venv/bin/python benchmarks/engine.py [--postgres URL] [--redis URL] [--rounds 5]

- Per step: a 200-step workflow whose steps do nothing, executed directly (no queue polling in
  the figure). Every step pays its real cost: the start fence (a conditional UPDATE of the run,
  doubling as a heartbeat) and step row, then the completion fence and checkpoint. Printed
  beside the machine's commit baseline (one durable one-row UPDATE+COMMIT) as a ratio.
  Target: at most 3x the baseline on SQLite and PostgreSQL.
- Replay of 1,000 completed steps. Target: < 50 ms.
- Wait fan-out (PostgreSQL): ms per sent event with 20,000 open waits on its name (other runs
  waiting for other matches), beside the same with none. Target: at most 5 ms.
- Recovery (PostgreSQL + Redis): a real worker process is SIGKILLed in the middle of a step;
  seconds until another worker process starts that step again. Target: under 10 s.

SQLite is a temporary file; PostgreSQL a scratch database created and dropped (URL from
--postgres or BOOKBUG_TEST_POSTGRES_URL); Redis from --redis or BOOKBUG_TEST_REDIS_URL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, insert, text, update  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

import bookbug.db  # noqa: E402,F401 - registers the tables
from bookbug.db.session import dispose_engines, get_engine  # noqa: E402
from bookbug.engine import Engine, EngineConfig, Registry, get_run, workflow  # noqa: E402
from bookbug.engine import matching  # noqa: E402
from bookbug.engine.tables import Run, Wait, WaitShape  # noqa: E402


def _nothing() -> None:
    return None


async def _nothing_async() -> None:
    return None


def _registry(steps: int) -> Registry:
    registry = Registry()

    @workflow("bench", trigger="bench/start", registry=registry)
    async def bench(ctx):
        for _ in range(steps):
            await ctx.step.run("noop", _nothing_async)
        return steps

    return registry


async def _one_run(engine: Engine) -> tuple[str, float]:
    """Seconds from the event to the completed run, executed in this process."""
    started = time.perf_counter()
    receipt = await engine.send_event("bench/start", {})
    run_id = receipt.started[0]
    await engine.execute(run_id, 1)
    elapsed = time.perf_counter() - started
    run = get_run(engine.config.db_url, run_id)
    assert run is not None and run.status.value == "completed", run
    return run_id, elapsed


async def _replay(engine: Engine, run_id: str) -> float:
    """Seconds to replay a run whose steps all completed (handed to a new execution, as after a crash)."""
    runs = Run.__table__  # type: ignore[attr-defined]
    with engine.transaction() as conn:
        generation = conn.execute(update(runs).where(runs.c.id == run_id).values(
            status="queued", generation=runs.c.generation + 1, not_before=None).returning(runs.c.generation)).scalar()
    started = time.perf_counter()
    await engine.execute(run_id, int(generation))
    return time.perf_counter() - started


def _commit_floor(db_url: str) -> float:
    """Milliseconds per committed one-row UPDATE: the disk's price, which a durable checkpoint pays."""
    engine = get_engine(db_url)
    table = WaitShape.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(insert(table).values(event_name="benchmark/floor", fields="[]"))
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        for i in range(100):
            with engine.begin() as conn:
                conn.execute(update(table).where(table.c.event_name == "benchmark/floor").values(fields=f"[{i}]"))
        samples.append((time.perf_counter() - started) / 100 * 1000)
    return statistics.median(samples)


async def measure(db_url: str, label: str, rounds: int, durable: bool = True) -> None:
    SQLModel.metadata.create_all(get_engine(db_url))
    config = EngineConfig(db_url=db_url, key_prefix=f"bench:{uuid.uuid4().hex[:6]}", durable_completions=durable)
    per_step = []
    async with Engine(config, _registry(200)) as engine:
        await _one_run(engine)  # warm up connections and caches
        for _ in range(rounds):
            _, seconds = await _one_run(engine)
            per_step.append(seconds / 200 * 1000)
    replays = []
    async with Engine(config, _registry(1000)) as engine:
        run_id, _ = await _one_run(engine)
        for _ in range(rounds):
            replays.append(await _replay(engine, run_id) * 1000)
    step = statistics.median(per_step)
    if durable:
        floor = _commit_floor(db_url)
        print(f"{label:<11} baseline: one durable one-row UPDATE+COMMIT on this machine now: {floor:.2f} ms")
    print(f"{label:<11} per step (200 no-op steps): median {step:.2f} ms "
          f"(min {min(per_step):.2f}, max {max(per_step):.2f}, {rounds} runs)"
          + (f" = {step / floor:.2f}x the baseline (target <= 3x)" if durable else ""))
    print(f"{label:<11} replay of 1,000 completed steps: median {statistics.median(replays):.1f} ms "
          f"(min {min(replays):.1f}, max {max(replays):.1f}; target < 50 ms)")


async def fan_out(db_url: str, open_waits: int, events: int = 200) -> float:
    """Median ms per sent event (matching no wait) with `open_waits` waits open on its name."""
    SQLModel.metadata.create_all(get_engine(db_url))
    registry = Registry()
    runs, waits = Run.__table__, Wait.__table__  # type: ignore[attr-defined]
    name = f"bench/said-{uuid.uuid4().hex[:6]}"
    if open_waits:
        with get_engine(db_url).begin() as conn:
            batch = 2000
            for start in range(0, open_waits, batch):
                ids = [uuid.uuid4().hex for _ in range(min(batch, open_waits - start))]
                conn.execute(insert(runs), [dict(id=i, workflow="bench-wait", status="waiting", subject=f"s{n}",
                                                 generation=1, attempts=1, cancel_requested=False)
                                            for n, i in enumerate(ids, start)])
                conn.execute(insert(waits), [dict(id=uuid.uuid4().hex, run_id=i, step_key="reply", event_name=name,
                                                  match={"thread": f"s{n}", "turn": 1},
                                                  match_key=matching.match_key({"thread": f"s{n}", "turn": 1}),
                                                  since_seq=0, suspended=True)
                                             for n, i in enumerate(ids, start)])
            conn.execute(insert(WaitShape.__table__).values(  # type: ignore[attr-defined]
                event_name=name, fields=matching.shape_of({"thread": 1, "turn": 1})))
            conn.execute(text("ANALYZE"))
    samples = []
    config = EngineConfig(db_url=db_url, key_prefix=f"bench:{uuid.uuid4().hex[:6]}")
    async with Engine(config, registry) as engine:
        for n in range(events):
            started = time.perf_counter()
            await engine.send_event(name, {"thread": f"nobody-{n}", "turn": 1, "content": "hello"})
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


async def recovery(db_url: str, redis_url: str) -> float:
    """Seconds from SIGKILLing a worker mid-step to the step starting again on another worker."""
    from tests.engine.flows import registry as flows
    from tests.engine.processes import start_worker, stop

    SQLModel.metadata.create_all(get_engine(db_url))
    unique = uuid.uuid4().hex[:8]
    config = EngineConfig(db_url=db_url, redis_url=redis_url, queue_name=f"bench:{unique}:q",
                          key_prefix=f"bench:{unique}")  # the default timings
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "log.txt"

        def starts() -> list[float]:
            lines = log.read_text().splitlines() if log.exists() else []
            return [float(line.split()[2]) for line in lines if line.startswith("start middle")]

        async with Engine(config, flows) as engine:
            first = start_worker(config, Path(folder) / "w1.log")
            second = start_worker(config, Path(folder) / "w2.log")
            try:
                await engine.send_event("crashy/start", {"folder": folder})
                while not starts():
                    await asyncio.sleep(0.02)
                held_by = int([line for line in log.read_text().splitlines() if line.startswith("start middle")][0]
                              .split()[3])
                os.kill(first.pid if held_by == first.pid else second.pid, signal.SIGKILL)
                killed = time.time()
                (Path(folder) / "release").touch()
                deadline = time.monotonic() + 60
                while len(starts()) < 2:
                    if time.monotonic() > deadline:
                        raise SystemExit("the run never continued on the other worker")
                    await asyncio.sleep(0.02)
                return starts()[1] - killed
            finally:
                stop(first)
                stop(second)


def _scratch(base: str) -> tuple[str, str]:
    name = f"bookbug_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False), name


def _drop(base: str, name: str) -> None:
    dispose_engines()
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("BOOKBUG_TEST_POSTGRES_URL", ""))
    parser.add_argument("--redis", default=os.environ.get("BOOKBUG_TEST_REDIS_URL", ""))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(measure(f"sqlite:///{folder}/bench.db", "SQLite", args.rounds))
    if not args.postgres:
        print("PostgreSQL: skipped (pass --postgres URL or set BOOKBUG_TEST_POSTGRES_URL)")
        return
    for what in ("steps", "fan-out", "recovery"):
        url, name = _scratch(args.postgres)
        try:
            if what == "steps":
                asyncio.run(measure(url, "PostgreSQL", args.rounds))
                # Each completion waits for PostgreSQL's WAL flush (one fsync); without that wait:
                asyncio.run(measure(url, "PG relaxed", args.rounds, durable=False))
            elif what == "fan-out":
                floor = _commit_floor(url)  # storing the event is one durable commit
                none = asyncio.run(fan_out(url, 0))
                many = asyncio.run(fan_out(url, 20_000))
                print(f"PostgreSQL  wait fan-out per event: {none:.2f} ms with no open waits, {many:.2f} ms with "
                      f"20,000 open waits ({many / none:.2f}x; target <= 5 ms); the event's own durable commit "
                      f"costs {floor:.2f} ms here")
            elif args.redis:
                seconds = asyncio.run(recovery(url, args.redis))
                print(f"PostgreSQL  recovery: a SIGKILLed worker's step started again on another worker "
                      f"{seconds:.1f} s after the kill (target < 10 s)")
            else:
                print("recovery: skipped (pass --redis URL or set BOOKBUG_TEST_REDIS_URL)")
        finally:
            _drop(args.postgres, name)


if __name__ == "__main__":
    main()
