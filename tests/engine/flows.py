"""Workflows that separate worker processes run in the crash and concurrency tests.

They leave their traces outside the process (files, Redis) because the process may be killed.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import redis.asyncio as aioredis

from bookbug.engine import CancelOn, Concurrency, Registry, workflow

registry = Registry()


def _note(folder: str, line: str) -> None:
    with open(Path(folder) / "log.txt", "a") as log:  # O_APPEND: whole lines, even across processes
        log.write(f"{line} {time.time()} {os.getpid()}\n")


@workflow("crashy", trigger="crashy/start", subject=None, registry=registry)
async def crashy(ctx):
    folder = ctx.event.data["folder"]

    def step(name: str, hold: bool = False) -> str:
        _note(folder, f"start {name}")
        # The first attempt of a held step waits here until the test kills its worker.
        while hold and not (Path(folder) / "release").exists():
            time.sleep(0.05)
        _note(folder, f"end {name}")
        return name

    await ctx.step.run("before", step, "before")
    await ctx.step.run("middle", step, "middle", True)
    await ctx.step.run("after", step, "after")
    return "done"


@workflow("crowded", trigger="crowded/start", subject=None, registry=registry,
          concurrency=Concurrency(key="event.data.key", limit=2))
async def crowded(ctx):
    key, url = ctx.event.data["key"], ctx.event.data["redis"]
    prefix = ctx.event.data["prefix"]

    async def busy() -> int:
        client = aioredis.from_url(url)
        try:
            now = await client.incr(f"{prefix}:active:{key}")
            await client.rpush(f"{prefix}:seen:{key}", now)
            await asyncio.sleep(0.3)
            await client.decr(f"{prefix}:active:{key}")
            return int(now)
        finally:
            await client.aclose()

    return await ctx.step.run("busy", busy)


@workflow("long-step", trigger="long-step/start", registry=registry)
async def long_step(ctx):
    """One step longer than the stale limit, on a thread (the event loop stays free)."""
    folder, seconds = ctx.event.data["folder"], float(ctx.event.data["seconds"])

    def slow() -> str:
        _note(folder, "start slow")
        time.sleep(seconds)
        _note(folder, "end slow")
        return "done"

    await ctx.step.run("slow", slow)
    await ctx.step.run("after", _note, folder, "start after")
    return "done"


@workflow("loop-blocker", trigger="loop-blocker/start", registry=registry)
async def loop_blocker(ctx):
    """A step that holds the event loop itself (blocking work in an async function)."""
    folder, seconds = ctx.event.data["folder"], float(ctx.event.data["seconds"])

    async def hog() -> str:
        _note(folder, "start hog")
        time.sleep(seconds)  # noqa: ASYNC251 - the point: nothing else on this loop runs meanwhile
        _note(folder, "end hog")
        return "done"

    await ctx.step.run("hog", hog)
    return "done"


# -- the chaos test's workflow (tests/engine/test_chaos.py) ---------------------------------------

CHAOS_EFFECTS = "chaos_effects"


def effect(db_url: str, hold: float = 0.0) -> str:
    """A side effect recorded under the step's unique key, made once however executions race:
    it looks for its own earlier effect first, and writes only while its execution owns the run."""
    import uuid

    from sqlalchemy import text

    from bookbug.db.session import get_engine
    from bookbug.engine import current_step, step_fence

    if hold:
        time.sleep(hold)  # long enough to be caught by a kill or a stall
    step = current_step()
    assert step is not None
    with get_engine(db_url).begin() as conn, step_fence(conn):
        done = conn.execute(text(f"SELECT value FROM {CHAOS_EFFECTS} WHERE run_id = :r AND step_key = :k"),
                            {"r": step.run_id, "k": step.key}).scalar()
        if done is not None:
            return str(done)
        value = uuid.uuid4().hex
        conn.execute(text(f"INSERT INTO {CHAOS_EFFECTS} (run_id, step_key, value, generation) "
                          "VALUES (:r, :k, :v, :g)"), {"r": step.run_id, "k": step.key, "v": value,
                                                       "g": step.generation})
        return value


@workflow("chaos", trigger="chaos/start", subject="case", registry=registry,
          cancel_on=[CancelOn(event="chaos/cancel", match="case")])
async def chaos(ctx):
    """A random plan of steps, slow steps, waits, sleeps and parallel branches (see test_chaos)."""
    data = ctx.event.data
    db_url, case = data["db"], data["case"]
    slots = Concurrency(key="event.data.group", limit=2)
    results = []
    for i, op in enumerate(data["plan"]):
        if op == "step":
            results.append(await ctx.step.run(f"s{i}", effect, db_url))
        elif op == "slow":
            results.append(await ctx.step.run(f"slow{i}", effect, db_url, float(data["hold"])))
        elif op == "wait":
            reply = await ctx.step.wait_for_event(f"w{i}", event="chaos/reply", match={"case": case, "n": i},
                                                  timeout="120s")
            results.append(None if reply is None else reply["n"])
        elif op == "sleep":
            await ctx.step.sleep(f"z{i}", "300ms")
        elif op == "parallel":
            branches = {f"b{j}": (lambda j=j, i=i: ctx.step.run(f"p{i}", effect, db_url, 0.2 * j, concurrency=slots))
                        for j in range(3)}
            results.append(sorted((await ctx.step.parallel(f"par{i}", branches)).values()))
    return results
