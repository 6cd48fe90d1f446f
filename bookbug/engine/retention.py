"""How long the engine keeps what it no longer needs, and forgetting a subject entirely.

Finished runs (with their steps, waits and progress counters) and events are deleted once they
are older than the retention period (`EngineConfig.retention`, which an operator's setting can
supply at run time), a batch at a time from the sweep. An event still in the look-back of an
unfinished run is kept, whatever its age. `forget_subject` removes everything about one
subject at once: its runs and their rows, its events (which may hold what people wrote) and
its progress counters.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from sqlalchemy import Connection, delete, func, select

from bookbug.engine.clock import db_now
from bookbug.engine.tables import FINISHED, Channel, Event, Run, Step, Wait

if TYPE_CHECKING:
    from bookbug.engine.engine import Engine

RUNS, STEPS, WAITS, EVENTS, CHANNELS = (Run.__table__, Step.__table__, Wait.__table__,  # type: ignore[attr-defined]  # SQLModel sets __table__ on table classes without declaring it
                                        Event.__table__, Channel.__table__)  # type: ignore[attr-defined]  # SQLModel sets __table__ on table classes without declaring it
BATCH = 500
_last_pruned: dict[str, float] = {}


def prune_if_due(engine: Engine) -> int:
    """Prune at most once per `prune_interval` per engine; returns how many rows went."""
    config = engine.config
    key = f"{config.db_url}|{config.key_prefix}"
    now = time.monotonic()
    if now - _last_pruned.get(key, -float("inf")) < config.prune_interval:
        return 0
    _last_pruned[key] = now
    keep_for = config.retention_source() if config.retention_source else config.retention
    return prune(engine, keep_for)


def prune(engine: Engine, keep_for: float) -> int:
    """Delete finished runs and events older than `keep_for` seconds, one batch of each."""
    with engine.transaction() as conn:
        old_runs = conn.execute(select(RUNS.c.id).where(
            RUNS.c.status.in_(FINISHED), RUNS.c.finished_at < db_now(-keep_for)).limit(BATCH)).scalars().all()
        removed = _delete_runs(conn, list(old_runs))
        oldest_needed = conn.execute(select(func.min(RUNS.c.event_seq)).where(RUNS.c.status.notin_(FINISHED))).scalar()
        old_events = select(EVENTS.c.seq).where(EVENTS.c.received_at < db_now(-keep_for))
        if oldest_needed is not None:
            old_events = old_events.where(EVENTS.c.seq < oldest_needed)
        seqs = conn.execute(old_events.order_by(EVENTS.c.seq).limit(BATCH)).scalars().all()
        if seqs:
            removed += conn.execute(delete(EVENTS).where(EVENTS.c.seq.in_(seqs))).rowcount
    return removed


def _delete_runs(conn: Connection, run_ids: list[str]) -> int:
    if not run_ids:
        return 0
    subjects = set(conn.execute(select(RUNS.c.subject).where(RUNS.c.id.in_(run_ids), RUNS.c.subject.is_not(None)))
                   .scalars())
    conn.execute(delete(WAITS).where(WAITS.c.run_id.in_(run_ids)))
    conn.execute(delete(STEPS).where(STEPS.c.run_id.in_(run_ids)))
    conn.execute(delete(CHANNELS).where(CHANNELS.c.name.in_([f"run:{run_id}" for run_id in run_ids])))
    removed = int(conn.execute(delete(RUNS).where(RUNS.c.id.in_(run_ids))).rowcount)
    if subjects:  # a subject with no run left needs no progress counter either
        alive = set(conn.execute(select(RUNS.c.subject).where(RUNS.c.subject.in_(subjects))).scalars())
        if subjects - alive:
            conn.execute(delete(CHANNELS).where(CHANNELS.c.subject.in_(subjects - alive)))
    return removed


async def forget_subject(engine: Engine, subject: str) -> None:
    """Cancel the subject's unfinished runs, then delete every row the engine keeps about it."""
    with engine.transaction() as conn:
        active = conn.execute(select(RUNS.c.id).where(RUNS.c.subject == subject,
                                                      RUNS.c.status.notin_(FINISHED))).scalars().all()
    for run_id in active:
        await engine.cancel_run(run_id, "its subject was deleted")
    with engine.transaction() as conn:
        run_ids = conn.execute(select(RUNS.c.id).where(RUNS.c.subject == subject)).scalars().all()
        channels = set(conn.execute(select(CHANNELS.c.name).where(CHANNELS.c.subject == subject)).scalars())
        channels |= {f"run:{run_id}" for run_id in run_ids}
        _delete_runs(conn, list(run_ids))
        conn.execute(delete(EVENTS).where(EVENTS.c.subject == subject))
        conn.execute(delete(CHANNELS).where(CHANNELS.c.subject == subject))
    # the progress kept in Redis for reconnecting clients carries what was said too
    await engine.hub.forget(sorted(channels))
