"""Bad declarations and inputs get clear messages; results round-trip through JSON checkpoints."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import BaseModel

from bookbug.engine import Concurrency, EngineConfig, Registry, Throttle, workflow
from bookbug.engine.codec import NotStorable, decode, encode
from bookbug.engine.durations import seconds
from bookbug.engine.workflow import resolve_key


class Page(BaseModel):
    number: int
    text: str


def test_durations_read_as_workflows_write_them():
    assert [seconds(v) for v in ("500ms", "30s", "1m", "24h", "2d", 1.5, timedelta(minutes=2))] == [
        0.5, 30, 60, 86400, 172800, 1.5, 120]
    with pytest.raises(ValueError, match='such as "500ms"'):
        seconds("tomorrow")
    with pytest.raises(ValueError, match="negative"):
        seconds(-1)


def test_step_results_round_trip_including_pydantic_models():
    value = {"pages": [Page(number=1, text="Once")], "count": 1, "pair": (1, 2)}
    assert decode(encode(value)) == {"pages": [Page(number=1, text="Once")], "count": 1, "pair": [1, 2]}
    with pytest.raises(NotStorable, match="set, which cannot be stored as JSON"):
        encode({"tags": {1, 2}}, where="the result of step 'x'")


def test_flow_control_keys_read_the_event_or_are_literal():
    assert resolve_key("event.data.user_id", "book/create.started", {"user_id": 7}) == "7"
    assert resolve_key("global", "e", {}) == "global"
    with pytest.raises(ValueError, match="does not have"):
        resolve_key("event.data.user_id", "book/create.started", {"book_id": "b"})


def test_declarations_refuse_impossible_limits_and_duplicate_names():
    with pytest.raises(ValueError, match="at least 1"):
        Concurrency(key="k", limit=0)
    with pytest.raises(ValueError, match="duration"):
        Throttle(key="k", limit=1, period="soon")
    registry = Registry()

    @workflow("same", registry=registry)
    async def one(ctx):
        return None

    with pytest.raises(ValueError, match="two workflows are named 'same'"):
        @workflow("same", registry=registry)
        async def two(ctx):
            return None


def test_engine_config_refuses_a_staleness_threshold_below_the_heartbeat():
    with pytest.raises(ValueError, match="live runs would look dead"):
        EngineConfig(db_url="sqlite://", heartbeat_interval=5, stale_after=5)
    with pytest.raises(ValueError, match="database URL"):
        EngineConfig(db_url="")


async def test_worker_settings_refuse_to_start_without_redis(monkeypatch):
    from bookbug.engine import worker_settings

    settings = worker_settings(EngineConfig(db_url="sqlite://"))
    with pytest.raises(RuntimeError, match="need REDIS_URL"):
        await settings.on_startup({"redis": None})


def test_production_worker_settings_come_from_the_environment(monkeypatch):
    import importlib

    from bookbug.settings import reset_settings

    monkeypatch.setenv("REDIS_URL", "redis://redis.internal:6380/3")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://bookbug@db.internal/bookbug")
    reset_settings()
    import workers.settings

    settings = importlib.reload(workers.settings).WorkerSettings
    assert (settings.redis_settings.host, settings.redis_settings.port, settings.redis_settings.database) == (
        "redis.internal", 6380, 3)
    assert {f.name for f in settings.functions} == {"bookbug_engine_execute_run", "bookbug_engine_expire_wait"}
    assert not getattr(settings, "cron_jobs", None)  # the sweep is a task of the worker's own, never a logged job
