"""Waits are matched in SQL, whatever the match values are and however many other events and
waits there are, from both sides (an event arriving first, or the wait registering first)."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from bookbug.db.session import get_engine
from bookbug.engine import Registry, workflow
from bookbug.engine import matching
from bookbug.engine.tables import Run, Wait, WaitShape
from tests.engine.conftest import wait_for_run

MATCHES = [
    {"turn": 7},  # a number
    {"approved": True},  # a boolean
    {"book_id": "b1", "turn": 3},  # several fields
    {"page": {"number": 2, "side": "left"}},  # a nested value
    {"note": None},  # null
]


def _waiter(registry: Registry, match: dict) -> None:
    @workflow("waiter", trigger="waiter/start", registry=registry)
    async def waiter(ctx):
        await ctx.step.run("prepare", lambda: "ready")
        return await ctx.step.wait_for_event("reply", event="waiter/reply", match=match, timeout="30s")


def _lookalikes(match: dict) -> list[dict]:
    """Events that must not match: each field off by type or value."""
    out = []
    for field, value in match.items():
        for other in ("7", 7.5, False, 0, "x", {"number": 2}, []):
            if other != value or type(other) is not type(value):
                out.append({**match, field: other})
        out.append({k: v for k, v in match.items() if k != field})  # the field missing
    return out


@pytest.mark.parametrize("match", MATCHES, ids=[str(m) for m in MATCHES])
async def test_a_match_behind_many_near_misses_sent_before_the_wait_is_found(backend, make_engine, match):
    db_url, redis_url = backend
    registry = Registry()
    _waiter(registry, match)
    engine = make_engine(db_url, redis_url, registry)
    async with engine:
        run_id = (await engine.send_event("waiter/start", {})).started[0]
        near_misses = _lookalikes(match)
        for n in range(150 // len(near_misses) + 1):  # well past any page size
            for data in near_misses:
                await engine.send_event("waiter/reply", {**data, "n": n})
        await engine.send_event("waiter/reply", {**match, "the": "one"})
        async with engine.worker():
            run = await wait_for_run(db_url, run_id)
    assert run.status.value == "completed", run.error
    assert run.output == {**match, "the": "one"}


@pytest.mark.parametrize("match", MATCHES, ids=[str(m) for m in MATCHES])
async def test_an_event_sent_after_the_wait_settles_it_and_near_misses_do_not(backend, make_engine, match):
    db_url, redis_url = backend
    registry = Registry()
    _waiter(registry, match)
    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("waiter/start", {})).started[0]
        await wait_for_run(db_url, run_id, "waiting")
        for data in _lookalikes(match):
            assert (await engine.send_event("waiter/reply", data)).resumed == []
        receipt = await engine.send_event("waiter/reply", {**match, "the": "one"})
        run = await wait_for_run(db_url, run_id)
    assert receipt.resumed == [run_id]
    assert run.output == {**match, "the": "one"}


async def test_a_sent_event_looks_up_only_the_waits_it_can_settle(postgres_url, make_engine):
    """With thousands of waits open on its name, the sender reads only its candidates."""
    from tests.engine.conftest import with_tables

    db_url = with_tables(postgres_url)
    runs, waits = Run.__table__, Wait.__table__  # type: ignore[attr-defined]
    with get_engine(db_url).begin() as conn:
        conn.execute(insert(runs), [dict(id=f"r{n}", workflow="w", status="waiting", generation=1, attempts=1,
                                         cancel_requested=False) for n in range(3000)])
        conn.execute(insert(waits), [dict(id=f"w{n}", run_id=f"r{n}", step_key="reply", event_name="chat/said",
                                          match={"thread": n}, match_key=matching.match_key({"thread": n}),
                                          since_seq=0, suspended=True) for n in range(3000)])
        conn.execute(insert(WaitShape.__table__).values(  # type: ignore[attr-defined]
            event_name="chat/said", fields=matching.shape_of({"thread": 0})))
    statements: list[str] = []
    from sqlalchemy import event

    def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        statements.append(statement)

    engine = make_engine(db_url, "", [])
    async with engine:
        event.listen(get_engine(db_url), "before_cursor_execute", count)
        try:
            receipt = await engine.send_event("chat/said", {"thread": 1234})
        finally:
            event.remove(get_engine(db_url), "before_cursor_execute", count)
    assert receipt.resumed == ["r1234"]
    wait_reads = [s for s in statements if "FROM engine_waits" in s and "match_key IN" in s]
    assert len(wait_reads) == 1  # one indexed lookup for the one shape, not a scan of 3,000 waits
