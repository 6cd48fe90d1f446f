"""What an operator reads from a worker: one line per retry, pause and failed step, and nothing
every few seconds when nothing happens."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bookbug.engine import Registry, workflow
from bookbug.resilience import FatalError, RetryableError
from tests.engine.conftest import wait_for_run


async def test_an_idle_worker_logs_nothing(embedded, make_engine, caplog: pytest.LogCaptureFixture) -> None:
    db_url, redis_url = embedded
    engine = make_engine(db_url, redis_url, [], sweep_interval=0.05)
    with caplog.at_level(logging.DEBUG):
        async with engine, engine.worker():
            await asyncio.sleep(1.0)  # twenty sweeps
            while_idle = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert while_idle == []


async def test_retries_pauses_and_failures_each_log_one_line_with_their_facts(
        embedded, make_engine, caplog: pytest.LogCaptureFixture) -> None:
    db_url, redis_url = embedded
    registry = Registry()
    calls: list[int] = []

    def throttled() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise RetryableError("slow down", retry_after=0.2, service="anthropic", status=429)
        return "ok"

    def refused() -> str:
        raise FatalError("bad key", service="replicate", status=401)

    @workflow("noisy", trigger="noisy/start", registry=registry)
    async def noisy(ctx):
        await ctx.step.run("write", throttled)
        await ctx.step.run("draw", refused)

    engine = make_engine(db_url, redis_url, registry)
    with caplog.at_level(logging.INFO, logger="bookbug.engine"):
        async with engine, engine.worker():
            run_id = (await engine.send_event("noisy/start", {})).started[0]
            await wait_for_run(db_url, run_id)
    lines = [r.getMessage() for r in caplog.records if r.name == "bookbug.engine"]
    retry = [line for line in lines if line.startswith("retry:")]
    pause = [line for line in lines if line.startswith("pause:")]
    failed = [line for line in lines if line.startswith("step failed:")]
    assert len(retry) == 1 and "service=anthropic" in retry[0] and "kind=rate_limited" in retry[0]
    assert "attempt=1/" in retry[0] and "wait=0.2" in retry[0]
    assert len(pause) == 1 and "service=anthropic" in pause[0]
    assert len(failed) == 1 and "service=replicate" in failed[0] and "kind=auth" in failed[0]
