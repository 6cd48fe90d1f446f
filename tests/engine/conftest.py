"""Engine test fixtures: a fast-ticking engine on SQLite + the in-process Redis stand-in, and
the same on real PostgreSQL + Redis (skipped, or failed under CI, without those services)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable

import pytest
from sqlmodel import SQLModel

import bookbug.db  # noqa: F401 - registers the tables
from bookbug.db.session import get_engine
from bookbug.engine import Engine, EngineConfig, RunView, Workflow, get_run

FAST = dict(
    heartbeat_interval=0.2, stale_after=1.0, sweep_interval=0.2, requeue_grace=0.5,
    retry_base=0.01, retry_cap=0.05, slot_poll=0.05, poll_delay=0.02,
)


def fast_config(db_url: str, redis_url: str = "", **overrides: object) -> EngineConfig:
    """Quick timings, and a queue and key prefix of its own so tests never see each other's jobs."""
    unique = uuid.uuid4().hex[:10]
    settings = {**FAST, "queue_name": f"test:{unique}:queue", "key_prefix": f"test:{unique}", **overrides}
    return EngineConfig(db_url=db_url, redis_url=redis_url, **settings)  # type: ignore[arg-type]


def with_tables(db_url: str) -> str:
    SQLModel.metadata.create_all(get_engine(db_url))
    return db_url


@pytest.fixture(params=["embedded", "services"])
def backend(request: pytest.FixtureRequest) -> tuple[str, str]:
    """(db_url, redis_url): SQLite + in-process stand-in, then PostgreSQL + real Redis."""
    if request.param == "embedded":
        return with_tables(request.getfixturevalue("sqlite_url")), ""
    return with_tables(request.getfixturevalue("postgres_url")), request.getfixturevalue("redis_url")


@pytest.fixture
def embedded(sqlite_url: str) -> tuple[str, str]:
    return with_tables(sqlite_url), ""


EngineMaker = Callable[..., Engine]


@pytest.fixture
async def make_engine() -> AsyncIterator[EngineMaker]:
    """make_engine(db_url, redis_url, workflows, **config) → a started engine, closed afterwards."""
    engines: list[Engine] = []

    def make(db_url: str, redis_url: str, workflows: Iterable[Workflow], **overrides: object) -> Engine:
        engine = Engine(fast_config(db_url, redis_url, **overrides), workflows)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        await engine.close()


async def wait_for_run(db_url: str, run_id: str, *statuses: str, timeout: float = 15.0) -> RunView:
    """Poll until the run reaches one of `statuses` (default: any finished state)."""
    wanted = set(statuses or ("completed", "failed", "cancelled"))
    deadline = time.monotonic() + timeout
    run = get_run(db_url, run_id)
    while time.monotonic() < deadline:
        run = get_run(db_url, run_id)
        if run is not None and run.status.value in wanted:
            return run
        await asyncio.sleep(0.02)
    raise AssertionError(f"run {run_id} did not reach {sorted(wanted)} in {timeout}s; it is {run}")


async def wait_for_step(db_url: str, run_id: str, step_id: str, status: str, timeout: float = 15.0) -> None:
    from bookbug.engine import run_steps

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(s.step_id == step_id and s.status.value == status for s in run_steps(db_url, run_id)):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"step {step_id!r} of run {run_id} did not become {status} in {timeout}s")
