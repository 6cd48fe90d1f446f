"""Retention: finished runs and old events go after the retention period, by the sweep; an
event still in an unfinished run's look-back stays; forgetting a subject removes all of it."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bookbug.db.session import get_engine
from bookbug.engine import Registry, get_run, workflow
from bookbug.engine.tables import Channel, Event, Run, Step, Wait
from tests.engine.conftest import wait_for_run


def _count(db_url: str, table, *where) -> int:  # noqa: ANN001
    with get_engine(db_url).begin() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def _chat(registry: Registry) -> None:
    @workflow("chat", trigger="chat/start", subject="thread_id", registry=registry)
    async def chat(ctx):
        await ctx.step.run("hello", lambda: "hi")
        reply = await ctx.step.wait_for_event("reply", event="chat/said", match="thread_id", timeout="1h")
        await ctx.progress(stage="done", percent=100)
        return reply


async def test_the_sweep_prunes_finished_runs_and_old_events_but_keeps_what_unfinished_runs_need(
        embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    _chat(registry)
    engine = make_engine(db_url, redis_url, registry, retention=0.5, prune_interval=0.0)
    async with engine, engine.worker():
        done = (await engine.send_event("chat/start", {"thread_id": "t1"})).started[0]
        await engine.send_event("chat/said", {"thread_id": "t1", "text": "finished business"})
        await wait_for_run(db_url, done)
        open_run = (await engine.send_event("chat/start", {"thread_id": "t2"})).started[0]
        await wait_for_run(db_url, open_run, "waiting")
        await asyncio.sleep(1.0)  # both past the retention period
        await engine.sweep()
        assert get_run(db_url, done) is None  # the finished run, its steps and waits are gone
        assert _count(db_url, Step.__table__, Step.__table__.c.run_id == done) == 0
        assert _count(db_url, Wait.__table__, Wait.__table__.c.run_id == done) == 0
        assert _count(db_url, Channel.__table__, Channel.__table__.c.name == f"run:{done}") == 0
        assert _count(db_url, Event.__table__, Event.__table__.c.subject == "t1") == 0  # its chat text too
        assert _count(db_url, Channel.__table__, Channel.__table__.c.subject == "t1") == 0
        assert get_run(db_url, open_run) is not None  # unfinished: kept, whatever its age
        # an answer sent now still reaches it
        await engine.send_event("chat/said", {"thread_id": "t2", "text": "still here"})
        run = await wait_for_run(db_url, open_run)
    assert run.output == {"thread_id": "t2", "text": "still here"}


async def test_an_event_in_an_unfinished_runs_look_back_is_kept_past_the_retention_period(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    gate = asyncio.Event()

    @workflow("slow-chat", trigger="slow-chat/start", subject="thread_id", registry=registry)
    async def slow_chat(ctx):
        await ctx.step.run("think", gate.wait)
        return await ctx.step.wait_for_event("reply", event="chat/said", match="thread_id", timeout="1h")

    engine = make_engine(db_url, redis_url, registry, retention=0.3, prune_interval=0.0)
    async with engine, engine.worker():
        run_id = (await engine.send_event("slow-chat/start", {"thread_id": "t3"})).started[0]
        await engine.send_event("chat/said", {"thread_id": "t3", "text": "said early"})  # before the wait
        await asyncio.sleep(0.6)
        await engine.sweep()
        gate.set()
        run = await wait_for_run(db_url, run_id)
    assert run.output == {"thread_id": "t3", "text": "said early"}


async def test_forgetting_a_subject_removes_its_runs_events_and_progress(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    _chat(registry)
    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        kept = (await engine.send_event("chat/start", {"thread_id": "keep"})).started[0]
        gone = (await engine.send_event("chat/start", {"thread_id": "gone"})).started[0]
        await wait_for_run(db_url, gone, "waiting")
        await engine.send_event("chat/said", {"thread_id": "gone", "text": "a child's name"})
        await wait_for_run(db_url, gone)
        await engine.forget_subject("gone")
    runs, events = Run.__table__, Event.__table__  # type: ignore[attr-defined]
    assert _count(db_url, runs, runs.c.subject == "gone") == 0
    assert _count(db_url, events, events.c.subject == "gone") == 0
    with get_engine(db_url).begin() as conn:
        texts = [row.data for row in conn.execute(select(events.c.data))]
    assert not any("a child's name" in str(data) for data in texts)
    assert _count(db_url, Channel.__table__, Channel.__table__.c.subject == "gone") == 0
    assert get_run(db_url, kept) is not None


async def test_forgetting_a_subject_drops_its_progress_kept_for_reconnecting_clients(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    _chat(registry)
    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("chat/start", {"thread_id": "gone"})).started[0]
        await wait_for_run(db_url, run_id, "waiting")
        await engine.send_event("chat/said", {"thread_id": "gone", "text": "a child's name"})
        await wait_for_run(db_url, run_id)
        assert await engine.hub.missed("thread:gone", 0) and await engine.hub.missed(f"run:{run_id}", 0)
        await engine.forget_subject("gone")
        assert await engine.hub.missed("thread:gone", 0) == []
        assert await engine.hub.missed(f"run:{run_id}", 0) == []
