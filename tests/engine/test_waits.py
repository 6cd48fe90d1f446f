"""wait_for_event: events before and after the wait registers, timeouts, and matching per run."""

from __future__ import annotations

import asyncio

from bookbug.engine import Registry, run_steps, workflow
from tests.engine.conftest import wait_for_run, wait_for_step


def _waiting_workflow(registry: Registry, gate: asyncio.Event | None = None) -> None:
    @workflow("chat", trigger="chat/started", registry=registry)
    async def chat(ctx):
        async def prepare() -> str:
            if gate is not None:
                await gate.wait()  # the test sends the reply while this step is still running
            return "ready"

        await ctx.step.run("prepare", prepare)
        reply = await ctx.step.wait_for_event("reply", event="chat/message.sent", match="book_id", timeout="20s")
        return reply


async def test_an_event_sent_before_the_wait_registers_still_counts(backend, make_engine):
    db_url, redis_url = backend
    registry, gate = Registry(), asyncio.Event()
    _waiting_workflow(registry, gate)
    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("chat/started", {"book_id": "b1"})).started[0]
        await wait_for_step(db_url, run_id, "prepare", "running")
        receipt = await engine.send_event("chat/message.sent", {"book_id": "b1", "text": "a dragon"})
        assert receipt.resumed == []  # nobody was waiting yet
        gate.set()
        run = await wait_for_run(db_url, run_id)
    assert run.status.value == "completed", run.error
    assert run.output == {"book_id": "b1", "text": "a dragon"}


async def test_an_event_sent_after_the_wait_registers_resumes_the_run(backend, make_engine):
    db_url, redis_url = backend
    registry = Registry()
    _waiting_workflow(registry)
    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("chat/started", {"book_id": "b1"})).started[0]
        await wait_for_run(db_url, run_id, "waiting")
        receipt = await engine.send_event("chat/message.sent", {"book_id": "b1", "text": "a fox"})
        assert receipt.resumed == [run_id]
        run = await wait_for_run(db_url, run_id)
    assert run.output == {"book_id": "b1", "text": "a fox"}


async def test_a_wait_that_times_out_returns_none(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()

    @workflow("patient", trigger="patient/start", registry=registry)
    async def patient(ctx):
        reply = await ctx.step.wait_for_event("reply", event="never/sent", timeout="300ms")
        return {"reply": reply}

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("patient/start", {})).started[0]
        run = await wait_for_run(db_url, run_id, timeout=5)
    assert run.status.value == "completed"
    assert run.output == {"reply": None}
    [step] = run_steps(db_url, run_id)
    assert (step.kind, step.status.value) == ("wait", "completed")


async def test_two_runs_waiting_on_one_event_name_each_get_their_own_match(backend, make_engine):
    db_url, redis_url = backend
    registry = Registry()
    _waiting_workflow(registry)
    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        first = (await engine.send_event("chat/started", {"book_id": "b1"})).started[0]
        second = (await engine.send_event("chat/started", {"book_id": "b2"})).started[0]
        await wait_for_run(db_url, first, "waiting")
        await wait_for_run(db_url, second, "waiting")
        await engine.send_event("chat/message.sent", {"book_id": "b2", "text": "for two"})
        await engine.send_event("chat/message.sent", {"book_id": "b1", "text": "for one"})
        run1 = await wait_for_run(db_url, first)
        run2 = await wait_for_run(db_url, second)
    assert run1.output == {"book_id": "b1", "text": "for one"}
    assert run2.output == {"book_id": "b2", "text": "for two"}


async def test_a_loop_of_waits_receives_each_event_once_in_order(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()

    @workflow("listener", trigger="listener/start", registry=registry)
    async def listener(ctx):
        texts = []
        for _ in range(3):
            message = await ctx.step.wait_for_event("message", event="listener/said", match="book_id", timeout="10s")
            texts.append(message["text"])
        return texts

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("listener/start", {"book_id": "b1"})).started[0]
        for text in ("one", "two", "three"):  # sent in a burst, faster than the run resumes
            await engine.send_event("listener/said", {"book_id": "b1", "text": text})
        run = await wait_for_run(db_url, run_id)
    assert run.output == ["one", "two", "three"]


async def test_the_same_event_id_twice_is_one_event_and_one_run(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    _waiting_workflow(registry)
    engine = make_engine(db_url, redis_url, registry)
    async with engine:
        first = await engine.send_event("chat/started", {"book_id": "b1"}, id="start-b1")
        again = await engine.send_event("chat/started", {"book_id": "b1"}, id="start-b1")
    assert again.duplicate and not first.duplicate
    assert again.event_id == first.event_id
    assert again.started == first.started and len(first.started) == 1
