"""The process's one durable engine, created from settings and started by the app's lifespan.

Embedded mode (no REDIS_URL): the engine's ARQ worker runs inside this process. Production:
this process only enqueues and subscribes; worker processes (`python -m workers`) do the work.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bookbug.engine import Engine

_engine: Engine | None = None


def get_engine() -> Engine:
    global _engine
    if _engine is None:
        import bookbug.workflows.registered  # noqa: F401 - registers the book workflows

        from bookbug.config.app_config import engine_config

        _engine = Engine(engine_config())
    return _engine


def use_engine(engine: Engine | None) -> None:
    """Install (or forget, with None) the engine the services use: tests bring their own."""
    global _engine
    _engine = engine


async def started_engine() -> Engine:
    return await get_engine().start()


@asynccontextmanager
async def running_engine() -> AsyncIterator[Engine]:
    """Start the engine (and, in embedded mode, its in-process worker) for the app's lifetime,
    with the hourly tidy-up of what Bookbug keeps (services/retention.py)."""
    from bookbug.services.retention import keep_tidy

    engine = get_engine()
    async with engine:
        tidying = asyncio.create_task(keep_tidy())
        try:
            if engine.config.embedded:
                async with engine.worker():
                    yield engine
            else:
                yield engine
        finally:
            tidying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await tidying
