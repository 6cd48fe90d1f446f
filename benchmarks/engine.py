"""Engine overhead: per step of a 200-step workflow whose steps do nothing, and replay of 1,000 steps.

    .venv/bin/python benchmarks/engine.py [--postgres URL] [--rounds 5]

Runs on SQLite (a temporary file) and on PostgreSQL (URL from --postgres or
BOOKBUG_TEST_POSTGRES_URL; a scratch database is created and dropped). Each execution is
driven directly (no queue polling in the figures); every step still pays its real cost: the
fence/heartbeat write and step row on start, the checkpoint write on completion.
"PG relaxed" repeats PostgreSQL with durable_completions=False (no wait for the WAL flush).
Targets: <= 2 ms/step on SQLite, <= 3 ms/step on PostgreSQL, replay of 1,000 steps < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

import bookbug.db  # noqa: E402,F401 - registers the tables
from bookbug.db.session import dispose_engines, get_engine  # noqa: E402
from bookbug.engine import Engine, EngineConfig, Registry, get_run, workflow  # noqa: E402


def _nothing() -> None:
    return None


async def _nothing_async() -> None:
    return None


def _registry(steps: int) -> Registry:
    registry = Registry()

    @workflow("bench", trigger="bench/start", subject=None, registry=registry)
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
    """Seconds to replay a run whose steps all completed (re-queued as an operator rerun would)."""
    from bookbug.db.session import session_scope
    from bookbug.engine import checkpoints
    from bookbug.db.runs import Run

    with session_scope(engine.config.db_url) as session:
        run = session.get(Run, run_id)
        run.status = "running"
        session.add(run)
        session.flush()
        generation = checkpoints.requeue(session, run_id, from_status="running")
    started = time.perf_counter()
    await engine.execute(run_id, generation)
    return time.perf_counter() - started


def _commit_floor(db_url: str) -> float:
    """Milliseconds per committed one-row UPDATE: the disk's price, which a durable checkpoint pays."""
    from sqlalchemy import update

    from bookbug.db.runs import Event
    from bookbug.db.session import utcnow

    engine = get_engine(db_url)
    row = uuid.uuid4().hex
    with engine.begin() as conn:
        conn.execute(Event.__table__.insert().values(id=row, name="benchmark/floor", data={}, received_at=utcnow()))
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        for i in range(100):
            with engine.begin() as conn:
                conn.execute(update(Event.__table__).where(Event.__table__.c.id == row).values(data={"i": i}))
        samples.append((time.perf_counter() - started) / 100 * 1000)
    return statistics.median(samples)


async def measure(db_url: str, label: str, rounds: int, durable: bool = True) -> None:
    SQLModel.metadata.create_all(get_engine(db_url))
    config = EngineConfig(db_url=db_url, key_prefix=f"bench:{uuid.uuid4().hex[:6]}", heartbeat_interval=5,
                          durable_completions=durable)
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
    if durable:
        floor = _commit_floor(db_url)
        print(f"{label:<11} baseline: one durable one-row UPDATE+COMMIT on this machine now: {floor:.2f} ms")
    print(f"{label:<11} per step (200 no-op steps): median {statistics.median(per_step):.2f} ms "
          f"(min {min(per_step):.2f}, max {max(per_step):.2f}, {rounds} runs)")
    print(f"{label:<11} replay of 1,000 completed steps: median {statistics.median(replays):.1f} ms "
          f"(min {min(replays):.1f}, max {max(replays):.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("BOOKBUG_TEST_POSTGRES_URL", ""))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(measure(f"sqlite:///{folder}/bench.db", "SQLite", args.rounds))
    if not args.postgres:
        print("PostgreSQL: skipped (pass --postgres URL or set BOOKBUG_TEST_POSTGRES_URL)")
        return
    name = f"bookbug_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
        asyncio.run(measure(url, "PostgreSQL", args.rounds))
        # Each completion waits for PostgreSQL's WAL flush (one fsync); without that wait:
        asyncio.run(measure(url, "PG relaxed", args.rounds, durable=False))
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
