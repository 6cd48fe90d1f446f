"""Completed steps run exactly once, across suspends, resumes and replays."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from bookbug.engine import Registry, run_steps, workflow
from tests.engine.conftest import wait_for_run, wait_for_step


class Brief(BaseModel):
    name: str
    pages: int


async def test_each_completed_step_runs_once_across_suspend_resume_cycles(backend, make_engine):
    db_url, redis_url = backend
    calls: Counter[str] = Counter()
    registry = Registry()

    def count(name: str, value: object = None) -> object:
        calls[name] += 1
        return value

    @workflow("memo", trigger="memo/start", registry=registry)
    async def memo(ctx):
        brief = await ctx.step.run("brief", lambda: count("brief", Brief(name="Ada", pages=3)))
        assert isinstance(brief, Brief)  # pydantic models round-trip, on replay too
        total = 0
        for page in range(brief.pages):  # a repeated id gets a counter suffix
            total += await ctx.step.run("page", count, "page", page)
            await ctx.step.sleep("breathe", "50ms")  # suspends: the job ends, a timer resumes it
        reply = await ctx.step.wait_for_event("reply", event="memo/reply", match="book_id", timeout="10s")
        await ctx.step.run("after", count, "after")
        return {"total": total, "reply": reply}

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        receipt = await engine.send_event("memo/start", {"book_id": "b1"})
        run_id = receipt.started[0]
        await wait_for_step(db_url, run_id, "reply", "waiting", timeout=10)
        await engine.send_event("memo/reply", {"book_id": "b1", "text": "yes"})
        run = await wait_for_run(db_url, run_id)

    assert run.status.value == "completed", run.error
    assert run.output == {"total": 3, "reply": {"book_id": "b1", "text": "yes"}}
    assert calls == Counter({"brief": 1, "page": 3, "after": 1})
    assert run.attempts >= 5  # it really was replayed several times (start, 3 sleeps, 1 wait)
    steps = [s.step_id for s in run_steps(db_url, run_id)]
    assert steps[:4] == ["brief", "page", "breathe", "page:1"]
