"""A real ARQ worker process running the book workflows, for crash tests:
`python -m tests.workflows.book_worker CONFIG_JSON`.

Settings (DATABASE_URL, DATA_DIR) come from the environment like a production worker's. The
offline writer and illustrator answer instantly, so this worker slows each call a little
(BOOKBUG_TEST_STEP_DELAY seconds) to give the test a moment to kill it mid-step; deleting a
folder of files is slowed the same way (an account deletion's longest step).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import time

from arq.worker import run_worker

import bookbug.workflows.registered  # noqa: F401 - registers the book workflows
from bookbug.engine import EngineConfig, default_registry, worker_settings
from bookbug.workflows import providers

DELAY = float(os.environ.get("BOOKBUG_TEST_STEP_DELAY", "0"))


class Slow:
    def __init__(self, inner):  # type: ignore[no-untyped-def]
        self._inner = inner
        self.name = inner.name
        self.service = inner.service

    async def generate(self, agent, input):  # type: ignore[no-untyped-def]
        await asyncio.sleep(DELAY)
        return await self._inner.generate(agent, input)

    async def start(self, request):  # type: ignore[no-untyped-def]
        return await self._inner.start(request)

    async def wait(self, prediction_id):  # type: ignore[no-untyped-def]
        await asyncio.sleep(DELAY)
        return await self._inner.wait(prediction_id)

    async def fetch(self, prediction_id, outcome):  # type: ignore[no-untyped-def]
        return await self._inner.fetch(prediction_id, outcome)


class SlowFolders:
    def __init__(self, inner):  # type: ignore[no-untyped-def]
        self._inner = inner

    def __getattr__(self, name):  # type: ignore[no-untyped-def]
        return getattr(self._inner, name)

    def delete_prefix(self, prefix):  # type: ignore[no-untyped-def]
        time.sleep(DELAY)  # steps that delete files run on a thread of their own
        return self._inner.delete_prefix(prefix)


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    if DELAY:
        text, draw, files = providers.text_provider, providers.illustrator, providers.storage
        providers.text_provider = lambda book_id: Slow(text(book_id))  # type: ignore[assignment]
        providers.illustrator = lambda storage, book_id=None: Slow(draw(storage, book_id))  # type: ignore[assignment]
        providers.storage = lambda: SlowFolders(files())  # type: ignore[assignment]
    config = EngineConfig(**json.loads(sys.argv[1]))
    run_worker(worker_settings(config, default_registry))


if __name__ == "__main__":
    main()
