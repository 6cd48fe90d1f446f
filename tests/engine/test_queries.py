"""Operator queries: runs by status, workflow and subject; steps with attempts, durations, sizes; failures."""

from __future__ import annotations

from bookbug.engine import (
    Registry, count_runs_by_status, list_runs, recent_failures, run_steps, workflow,
)
from bookbug.resilience import FatalError
from tests.engine.conftest import wait_for_run


async def test_operator_queries_show_runs_steps_and_recent_failures(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()

    @workflow("good", trigger="good/start", subject="book_id", registry=registry)
    async def good(ctx):
        await ctx.step.run("small", lambda: "x")
        await ctx.step.run("large", lambda: "y" * 5000)

    def refuse() -> None:
        raise FatalError("The API key was refused: set ANTHROPIC_API_KEY.")

    @workflow("bad", trigger="bad/start", subject="book_id", registry=registry)
    async def bad(ctx):
        await ctx.step.run("ok", lambda: 1)
        await ctx.step.run("call-claude", refuse)

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        good_id = (await engine.send_event("good/start", {"book_id": "b1"})).started[0]
        bad_id = (await engine.send_event("bad/start", {"book_id": "b2"})).started[0]
        await wait_for_run(db_url, good_id)
        await wait_for_run(db_url, bad_id)

    assert [r.id for r in list_runs(db_url, status="completed")] == [good_id]
    assert [r.id for r in list_runs(db_url, workflow="bad")] == [bad_id]
    assert [r.id for r in list_runs(db_url, subject="b1")] == [good_id]
    assert [r.id for r in list_runs(db_url)] == [bad_id, good_id]  # newest first
    assert count_runs_by_status(db_url) == {"completed": 1, "failed": 1}

    steps = {s.step_id: s for s in run_steps(db_url, good_id)}
    assert list(steps) == ["small", "large"]
    assert steps["large"].output_size > 5000 > steps["small"].output_size > 0
    assert all(s.attempts == 1 and s.duration_ms is not None and s.status.value == "completed"
               for s in steps.values())

    [failure] = recent_failures(db_url)
    assert failure.run.id == bad_id and failure.step_id == "call-claude"
    assert "ANTHROPIC_API_KEY" in failure.step_error and "ANTHROPIC_API_KEY" in failure.run.error
