"""What an operator's tools ask the app: is it alive, is it ready, and its metrics.

- alive (`/healthz`): the process answers; nothing else is asked, so a busy database never
  gets a healthy app restarted.
- ready (`/readyz`): the database answers, Redis answers (when configured), and the database
  has every migration (both branches: Bookbug's and the engine's). A load balancer sends
  traffic only to a ready app.
- metrics (`/metrics`): this process's counters (bookbug/metrics.py, the engine's), and gauges
  read when scraped: books and runs by status, the queue, calls waiting at each rate limit.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, text
from sqlmodel import select

from bookbug.db import Book, BookStatus, session_scope
from bookbug.db.migrations import at_head
from bookbug.db.session import get_engine as database
from bookbug.engine import EngineCollector
from bookbug.services import runtime
from bookbug.services.runtime import started_engine
from bookbug.settings import get_settings

log = logging.getLogger(__name__)
READY_TIMEOUT = 5.0  # seconds each readiness check may take


class BooksCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        books = GaugeMetricFamily("bookbug_books", "Books by status", labels=["status"])
        try:
            with session_scope() as session:
                counts = dict(session.exec(select(Book.status, func.count()).group_by(Book.status)).all())
            for status in BookStatus:
                books.add_metric([status.value], int(counts.get(status.value, 0)))
        except Exception:  # a scrape answers even when the database does not
            log.warning("metrics: could not count books", exc_info=True)
        yield books


class _EngineNow(Collector):
    """The engine's gauges, read through whichever engine the services use when scraped."""

    def collect(self) -> Iterator[Any]:
        collector = EngineCollector(runtime.get_engine())
        try:
            yield from collector.collect()
        finally:
            collector.close()


_registered: list[Collector] = []
_lock = threading.Lock()


def _register() -> None:
    with _lock:
        if _registered:
            return
        for collector in (BooksCollector(), _EngineNow()):
            REGISTRY.register(collector)
            _registered.append(collector)


async def metrics() -> tuple[bytes, str]:
    """This process's metrics in Prometheus's text format, and its content type."""
    await started_engine()
    _register()
    return await asyncio.to_thread(generate_latest, REGISTRY), CONTENT_TYPE_LATEST


def _database_answers() -> None:
    with database(get_settings().db_url).connect() as conn:
        conn.execute(text("SELECT 1"))


def _migrated() -> None:
    if not at_head(get_settings().db_url):
        raise RuntimeError("migrations are not applied: run `python -m bookbug.startup`")


async def readiness() -> tuple[bool, dict[str, str]]:
    """Each check's outcome ("ok" or why not) and whether all passed."""
    async def redis() -> None:
        await (await started_engine()).redis.ping()  # type: ignore[misc]  # redis-py types the reply as sync-or-async

    checks = {
        "database": asyncio.to_thread(_database_answers),
        "migrations": asyncio.to_thread(_migrated),
        "redis": redis(),
    }
    outcome: dict[str, str] = {}
    for name, check in checks.items():
        try:
            await asyncio.wait_for(check, READY_TIMEOUT)
            outcome[name] = "ok"
        except Exception as exc:  # any failure means not ready; the reason is for the operator
            outcome[name] = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no answer'}"[:300]
    return all(v == "ok" for v in outcome.values()), outcome
