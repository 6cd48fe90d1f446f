"""Bookbug's own Prometheus metrics, counted where things happen (any layer may import this).

The app process counts its live SSE connections; worker processes count books finished and
what the providers cost. Each process serves its own counts (the app at /metrics, a worker on
WORKER_METRICS_PORT); Prometheus adds them up across processes. Gauges read from the database
or Redis when scraped live in services/monitoring.py and the engine.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge

SSE_CONNECTIONS = Gauge("bookbug_sse_connections", "Live progress streams (SSE) open in this app process")
BOOKS_FINISHED = Counter("bookbug_books_finished_total", "Books whose run ended, by how", ["status"])
SPEND = Counter("bookbug_spend_usd_total", "What provider calls cost, in US dollars, by provider", ["provider"])
PROVIDER_CALLS = Counter("bookbug_provider_calls_total", "Provider calls recorded (messages and images), by provider", ["provider"])
