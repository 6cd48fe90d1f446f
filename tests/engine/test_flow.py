"""step.flow: branches that give each other values. A dependent goes on the moment its input is
given; a giver that fails, suspends or is cancelled takes its waiters with it; nobody waits for
a value no branch gives."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest

from bookbug.engine import NotGiven, Registry, Value, run_steps, workflow
from bookbug.engine.flow import Flow
from bookbug.resilience.errors import FatalError
from tests.engine.conftest import wait_for_run, wait_for_step


async def test_a_dependent_goes_on_the_moment_its_input_is_given_not_when_its_giver_ends(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    used = asyncio.Event()  # set by the dependent: the giver only ends once the dependent has its value

    @workflow("handover", trigger="handover/start", registry=registry)
    async def handover(ctx):
        flow = ctx.step.flow("work")
        words: Value[str] = flow.value("words")

        async def write() -> str:
            words.set(await ctx.step.run("write", lambda: "hello"))
            await asyncio.wait_for(used.wait(), 5)  # a dependent held back until now would never come
            return "written"

        async def draw() -> str:
            drawn = await ctx.step.run("draw", lambda text: text.upper(), await words)
            used.set()
            return drawn

        flow.branch("writer", write, gives=[words])
        flow.branch("painter", draw)
        return await flow.run()

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("handover/start", {})).started[0]
        run = await wait_for_run(db_url, run_id)
    assert run.status.value == "completed", run.error
    assert run.output == {"writer": "written", "painter": "HELLO"}
    assert {s.step_id for s in run_steps(db_url, run_id)} == {"work[writer]/write", "work[painter]/draw"}


async def test_a_failing_giver_fails_every_branch_waiting_for_its_value(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    calls: Counter[str] = Counter()

    def broken() -> str:
        raise FatalError("the writer cannot write this")

    @workflow("broken-handover", trigger="broken/start", registry=registry)
    async def broken_handover(ctx):
        flow = ctx.step.flow("work")
        words: Value[str] = flow.value("words")

        async def write() -> None:
            words.set(await ctx.step.run("write", broken))

        async def draw() -> None:
            calls["before"] += 1
            await ctx.step.run("draw", calls.update, [f"draw {await words}"])

        flow.branch("writer", write, gives=[words])
        for n in range(3):
            flow.branch(f"painter-{n}", draw)
        await flow.run()

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("broken/start", {})).started[0]
        run = await wait_for_run(db_url, run_id, timeout=10)
    assert run.status.value == "failed"
    assert "the writer cannot write this" in (run.error or "").lower()
    assert calls == Counter({"before": 3}), "every waiter stopped where it waited, none drew"
    assert {s.step_id for s in run_steps(db_url, run_id)} == {"work[writer]/write"}


async def test_a_suspended_giver_suspends_its_waiters_and_the_replay_resumes_them_once(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    calls: Counter[str] = Counter()

    @workflow("approved-handover", trigger="approved/start", registry=registry)
    async def approved_handover(ctx):
        flow = ctx.step.flow("work")
        words: Value[str] = flow.value("words")

        async def write() -> None:
            text = await ctx.step.run("write", lambda: "hello")
            await ctx.step.wait_for_event("approve", event="words/approved", timeout="10s")
            words.set(text)

        async def draw() -> str:
            await ctx.step.run("prepare", calls.update, ["prepare"])  # before the wait: once in all
            return await ctx.step.run("draw", lambda text: calls.update(["draw"]) or text.upper(), await words)

        flow.branch("writer", write, gives=[words])
        flow.branch("painter", draw)
        return (await flow.run())["painter"]

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("approved/start", {})).started[0]
        await wait_for_step(db_url, run_id, "work[writer]/approve", "waiting")
        await wait_for_run(db_url, run_id, "waiting")
        assert calls == Counter({"prepare": 1})
        await engine.send_event("words/approved", {})
        run = await wait_for_run(db_url, run_id)
    assert run.status.value == "completed", run.error
    assert run.output == "HELLO"
    assert calls == Counter({"prepare": 1, "draw": 1})


async def test_cancelling_a_run_while_branches_wait_for_a_value_ends_it_cancelled(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    started, release = asyncio.Event(), asyncio.Event()

    @workflow("stuck-handover", trigger="stuck/start", registry=registry)
    async def stuck_handover(ctx):
        flow = ctx.step.flow("work")
        words: Value[str] = flow.value("words")

        async def slow() -> str:
            started.set()
            await release.wait()
            return "too late"

        async def write() -> None:
            text = await ctx.step.run("write", slow)
            words.set(await ctx.step.run("polish", str.strip, text))  # a cancelled run takes no next step

        async def draw() -> None:
            await ctx.step.run("draw", str.upper, await words)

        flow.branch("writer", write, gives=[words])
        flow.branch("painter", draw)
        await flow.run()

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("stuck/start", {})).started[0]
        await asyncio.wait_for(started.wait(), 10)
        assert await engine.cancel_run(run_id)
        release.set()
        run = await wait_for_run(db_url, run_id, timeout=10)
    assert run.status.value == "cancelled"
    assert {s.step_id for s in run_steps(db_url, run_id)} == {"work[writer]/write"}


class _Parallel:
    """Just enough of Steps for a flow: its branches gathered as `parallel` gathers them."""

    async def parallel(self, step_id: str, branches: dict[str, Any]) -> dict[str, Any]:
        names = list(branches)
        results = await asyncio.gather(*(branches[n]() for n in names), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return dict(zip(names, results))


async def test_a_cancelled_giver_cancels_its_waiters_and_a_cancelled_waiter_leaves_the_value_to_others() -> None:
    flow = Flow(_Parallel(), "work")  # type: ignore[arg-type]
    words: Value[str] = flow.value("words")
    running = asyncio.Event()

    async def write() -> None:
        running.set()
        await asyncio.sleep(3600)

    wrapped = Flow._wrap("writer", write, (words,))
    giver = asyncio.ensure_future(wrapped())
    first, second = asyncio.ensure_future(_get(words)), asyncio.ensure_future(_get(words))
    await running.wait()
    first.cancel()  # one waiter going away leaves the value to the others
    await asyncio.sleep(0)
    assert not words.ready
    giver.cancel()
    with pytest.raises(asyncio.CancelledError):
        await second
    assert words.ready and first.cancelled()


async def _get(value: Value[str]) -> str:
    return await value


async def test_a_branch_that_ends_without_giving_its_value_fails_its_waiters_naming_both() -> None:
    flow = Flow(_Parallel(), "work")  # type: ignore[arg-type]
    words: Value[str] = flow.value("words")

    async def forgetful() -> None:
        return None

    async def draw() -> str:
        return await words

    flow.branch("writer", forgetful, gives=[words])
    flow.branch("painter", draw)
    with pytest.raises(NotGiven, match="'writer' ended without giving 'words'"):
        await flow.run()


async def test_a_value_no_branch_gives_or_two_branches_give_is_refused_before_anything_runs() -> None:
    ran: list[str] = []

    async def branch() -> None:
        ran.append("ran")

    flow = Flow(_Parallel(), "work")  # type: ignore[arg-type]
    flow.value("orphan")
    flow.branch("only", branch)
    with pytest.raises(ValueError, match="no branch gives Value\\('orphan'\\)"):
        await flow.run()
    twice = Flow(_Parallel(), "work")  # type: ignore[arg-type]
    shared = twice.value("shared")
    twice.branch("one", branch, gives=[shared])
    twice.branch("two", branch, gives=[shared])
    with pytest.raises(ValueError, match="given by both 'one' and 'two'"):
        await twice.run()
    assert ran == []
