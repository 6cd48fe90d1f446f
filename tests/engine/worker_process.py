"""A real ARQ worker process for the tests: `python -m tests.engine.worker_process CONFIG_JSON`.

It runs the production path (`worker_settings`, ARQ's own Worker.run with signal handling and
the cron sweep) with the test workflows in tests/engine/flows.py.
"""

from __future__ import annotations

import json
import logging
import sys

from arq.worker import run_worker

from bookbug.engine import EngineConfig, worker_settings
from tests.engine.flows import registry


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    config = EngineConfig(**json.loads(sys.argv[1]))
    run_worker(worker_settings(config, registry))


if __name__ == "__main__":
    main()
