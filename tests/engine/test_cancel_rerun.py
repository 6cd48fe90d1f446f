"""Cancellation (by event and by API) and rerunning a failed run from its failed step."""

from __future__ import annotations

import asyncio

import pytest

from bookbug.engine import CancelOn, Registry, run_steps, workflow
from tests.engine.conftest import wait_for_run, wait_for_step


async def test_cancel_event_lets_the_running_step_finish_and_runs_nothing_after_it(backend, make_engine):
    db_url, redis_url = backend
    registry = Registry()
    gate = asyncio.Event()
    ran: list[str] = []

    async def slow() -> None:
        await gate.wait()
        ran.append("slow")

    @workflow("book", trigger="book/create.started", registry=registry,
              cancel_on=[CancelOn(event="book/cancel.requested", match="book_id")])
    async def book(ctx):
        await ctx.step.run("slow", slow)
        await ctx.step.run("next", ran.append, "next")

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        mine = (await engine.send_event("book/create.started", {"book_id": "b1"})).started[0]
        other = (await engine.send_event("book/create.started", {"book_id": "b2"})).started[0]
        await wait_for_step(db_url, mine, "slow", "running")
        await wait_for_step(db_url, other, "slow", "running")
        receipt = await engine.send_event("book/cancel.requested", {"book_id": "b1"})
        assert receipt.cancelled == [mine]
        gate.set()
        cancelled = await wait_for_run(db_url, mine)
        finished = await wait_for_run(db_url, other)
    assert cancelled.status.value == "cancelled"
    assert finished.status.value == "completed"
    assert ran.count("slow") == 2 and ran.count("next") == 1  # only the other book went on
    assert [s.step_id for s in run_steps(db_url, mine)] == ["slow"]


async def test_cancel_by_api_ends_a_waiting_run_at_once(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()

    @workflow("waiter", trigger="waiter/start", registry=registry)
    async def waiter(ctx):
        await ctx.step.wait_for_event("reply", event="waiter/reply", timeout="1h")

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("waiter/start", {})).started[0]
        await wait_for_run(db_url, run_id, "waiting")
        assert await engine.cancel_run(run_id, reason="the parent closed the book")
        run = await wait_for_run(db_url, run_id)
        assert not await engine.cancel_run(run_id)  # already over: nothing to cancel
    assert (run.status.value, run.error) == ("cancelled", "the parent closed the book")


async def test_rerun_resumes_a_failed_run_from_its_failed_step(backend, make_engine):
    db_url, redis_url = backend
    registry = Registry()
    calls: list[str] = []
    broken = {"yes": True}

    def first() -> str:
        calls.append("first")
        return "kept"

    def second(previous: str) -> str:
        calls.append("second")
        if broken["yes"]:
            raise ValueError("the illustrator's settings are wrong")
        return previous + " and fixed"

    @workflow("fragile", trigger="fragile/start", registry=registry)
    async def fragile(ctx):
        value = await ctx.step.run("first", first)
        return await ctx.step.run("second", second, value)

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("fragile/start", {})).started[0]
        failed = await wait_for_run(db_url, run_id)
        assert failed.status.value == "failed"
        assert "settings are wrong" in failed.error
        broken["yes"] = False  # the operator fixed the cause
        await engine.rerun(run_id)
        run = await wait_for_run(db_url, run_id)
        with pytest.raises(ValueError, match="only a failed run"):
            await engine.rerun(run_id)
    assert run.status.value == "completed", run.error
    assert run.output == "kept and fixed"
    assert calls == ["first", "second", "second"]  # the completed step kept its checkpoint
