"""A real ARQ worker process for the tests: `python -m tests.engine.worker_process CONFIG_JSON [SKEW]`.

It runs the production path (`worker_settings` and `run_worker`: ARQ's Worker.run with the
engine's graceful stop on SIGTERM, and the cron sweep) with the test workflows in tests/engine/flows.py. With SKEW, its wall clock is
that many seconds off (tests/engine/skew.py), as on a machine whose clock drifted.
"""

from __future__ import annotations

import json
import logging
import sys

from tests.engine import skew

if __name__ == "__main__":
    skew.apply(float(sys.argv[2]) if len(sys.argv) > 2 else 0.0)

from bookbug.engine import EngineConfig, run_worker, worker_settings  # noqa: E402
from tests.engine.flows import registry  # noqa: E402


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    config = EngineConfig(**json.loads(sys.argv[1]))
    run_worker(worker_settings(config, registry), log_config=False)


if __name__ == "__main__":
    main()
