"""step.parallel: branches run concurrently, each step memoized on its own, waits inside branches."""

from __future__ import annotations

import asyncio
from collections import Counter

from bookbug.engine import Registry, run_steps, workflow
from tests.engine.conftest import wait_for_run, wait_for_step


async def test_parallel_branches_run_concurrently_and_replay_from_their_own_checkpoints(backend, make_engine):
    db_url, redis_url = backend
    registry = Registry()
    calls: Counter[str] = Counter()
    running, peak = 0, 0

    async def draw(page: int) -> str:
        nonlocal running, peak
        calls[f"draw-{page}"] += 1
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.05)
        running -= 1
        return f"page-{page}.png"

    async def page_branch(ctx, page: int) -> dict:
        text = await ctx.step.run("write", lambda: f"text {page}")
        if page == 2:  # one branch waits for the parent to approve its text
            await ctx.step.wait_for_event("approve", event="page/approved", match="book_id", timeout="10s")
        image = await ctx.step.run("draw", draw, page)
        return {"text": text, "image": image}

    @workflow("fan-out", trigger="fan/start", registry=registry)
    async def fan_out(ctx):
        pages = await ctx.step.parallel("pages", {str(p): (lambda p=p: page_branch(ctx, p)) for p in range(4)})
        await ctx.step.run("assemble", calls.update, ["assemble"])
        return pages

    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("fan/start", {"book_id": "b1"})).started[0]
        await wait_for_step(db_url, run_id, "pages[2]/approve", "waiting")
        await wait_for_run(db_url, run_id, "waiting")
        assert calls == Counter({"draw-0": 1, "draw-1": 1, "draw-3": 1})  # the others went on
        await engine.send_event("page/approved", {"book_id": "b1"})
        run = await wait_for_run(db_url, run_id)

    assert run.status.value == "completed", run.error
    assert run.output == {str(p): {"text": f"text {p}", "image": f"page-{p}.png"} for p in range(4)}
    assert calls == Counter({"draw-0": 1, "draw-1": 1, "draw-2": 1, "draw-3": 1, "assemble": 1})
    assert peak >= 2  # branches really overlapped
    step_ids = {s.step_id for s in run_steps(db_url, run_id)}
    assert {"pages[0]/write", "pages[3]/draw", "pages[2]/approve", "assemble"} <= step_ids
