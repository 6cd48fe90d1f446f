"""Progress is written on the run and published per run and per subject, resumable by id."""

from __future__ import annotations

import asyncio

from bookbug.engine import Registry, get_run, workflow
from tests.engine.conftest import wait_for_run


async def test_progress_is_stored_on_the_run_and_published_to_run_and_subject_channels(backend, make_engine):
    db_url, redis_url = backend
    registry = Registry()
    go = asyncio.Event()

    @workflow("painter", trigger="painter/start", subject="book_id", registry=registry)
    async def painter(ctx):
        await ctx.step.run("wait-for-test", go.wait)
        for page in (1, 2):
            await ctx.step.run("page", lambda: None)
            await ctx.progress(stage="pages", page=page, percent=50.0 * page, payload={"image": f"p{page}.png"})
        return "ok"

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        received: list[dict] = []

        async def listen() -> None:
            # after=0: what was published before the subscription took effect comes from the
            # backlog, so the test does not depend on how fast subscribing is.
            async for message in engine.subscribe("book:b7", after=0):
                received.append(message)
                if message.get("status") == "completed":
                    return

        listener = asyncio.create_task(listen())
        run_id = (await engine.send_event("painter/start", {"book_id": "b7"})).started[0]
        for _ in range(1000):  # once "queued" arrived the subscription is live: the rest comes live
            if received:
                break
            await asyncio.sleep(0.01)
        assert received, "the subscriber received nothing"
        go.set()
        await wait_for_run(db_url, run_id)
        await asyncio.wait_for(listener, 15)
        missed = [m async for m in _take(engine.subscribe(f"run:{run_id}", after=1), 3)]

    progress = [m for m in received if m["type"] == "progress"]
    assert [(m["page"], m["percent"], m["payload"]) for m in progress] == [
        (1, 50.0, {"image": "p1.png"}), (2, 100.0, {"image": "p2.png"})]
    ids = [m["id"] for m in received]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)  # rising per channel: SSE can resume
    assert all(m["run_id"] == run_id and m["channel"] == "book:b7" for m in received)
    assert [m["id"] for m in missed] == [2, 3, 4]  # a late subscriber gets what it missed after id 1
    run = get_run(db_url, run_id)
    assert (run.stage, run.current_page, run.percent) == ("pages", 2, 100.0)
    assert run.progress["payload"] == {"image": "p2.png"}


async def _take(stream, count: int):
    n = 0
    async for message in stream:
        yield message
        n += 1
        if n == count:
            await stream.aclose()
            return
