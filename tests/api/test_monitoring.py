"""/healthz, /readyz and /metrics: what an operator's tools see of the app."""

from __future__ import annotations

import asyncio

from alembic import command
from prometheus_client.parser import text_string_to_metric_families

from bookbug.api.app import build_api
from bookbug.db.migrations import alembic_config
from tests.api.asgi_stream import open_stream
from tests.api.book_flow import converse_until_approved, wait_for_status


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


async def test_healthz_says_alive_without_asking_anyone(client):
    answer = await client.get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


async def test_readyz_refuses_traffic_until_every_migration_is_applied(client, api_db):
    answer = await client.get("/readyz")
    assert answer.status_code == 503
    checks = answer.json()["checks"]
    assert checks["database"] == "ok" and checks["redis"] == "ok"
    assert "migrations are not applied" in checks["migrations"]

    command.stamp(alembic_config(api_db), "heads")  # both branches: Bookbug's and the engine's
    answer = await client.get("/readyz")
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {"status": "ready", "checks": {"database": "ok", "migrations": "ok", "redis": "ok"}}


async def test_metrics_show_streams_books_runs_and_spend(client, alice, engine):
    async def scrape() -> dict:
        answer = await client.get("/metrics")
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
        return samples(answer.text)

    before = await scrape()
    book_id = (await client.post("/api/books", headers=alice.headers, json={"page_count": 8})).json()["id"]
    async with open_stream(build_api(), f"/api/jobs/{book_id}/stream", alice.headers) as reader:
        assert reader.status == 200
        await reader.next_event()
        open_now = await scrape()
        assert open_now[("bookbug_sse_connections", ())] == before[("bookbug_sse_connections", ())] + 1
        await converse_until_approved(client, alice.headers, book_id)
        await wait_for_status(client, alice.headers, book_id, "complete")
    await asyncio.sleep(0.1)  # the closed stream's generator ends
    after = await scrape()

    def grew(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert after[("bookbug_sse_connections", ())] == before[("bookbug_sse_connections", ())]
    assert grew("bookbug_books_finished_total", status="complete") == 1
    assert after[("bookbug_books", (("status", "complete"),))] == 1
    assert after[("bookbug_engine_runs", (("status", "completed"),))] >= 1
    assert grew("bookbug_engine_runs_ended_total", status="completed", workflow="create-book") == 1
    assert grew("bookbug_engine_step_seconds_count", step="write_page", workflow="create-book") == 8
    assert grew("bookbug_provider_calls_total", provider="offline") > 0  # free, but counted as paid ones are
    assert ("bookbug_engine_rate_waiting", (("service", "replicate"),)) in after
