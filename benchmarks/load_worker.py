"""A worker process for benchmarks/load.py: `python -m benchmarks.load_worker`.

The production worker (`python -m workers`: the same settings, workflows and graceful stop),
with two things the benchmark sets through the environment: the stand-in providers
(benchmarks/standins.py), and provider rate limits as short sliding windows
(BOOKBUG_BENCH_LIMITS, JSON {"replicate": [2, 1.0]}: 2 calls a second is 120 a minute). A
window of a second rather than the operators' minute keeps a two-minute run from being
dominated by where the minute boundaries fall, so "calls made / calls allowed" measures the
fleet, not the window. Each turn granted at a limit is logged (bookbug.engine.fairness at
DEBUG, with the wall-clock time) for the benchmark's fairness figure.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(created).3f %(name)s %(levelname)s %(message)s")
    logging.getLogger("bookbug.engine.fairness").setLevel(logging.DEBUG)
    from benchmarks.standins import install_in_worker

    install_in_worker()
    import bookbug.workflows  # noqa: F401 - registers the workflows
    from bookbug.engine import RateLimit, run_worker, worker_settings
    from bookbug.services.app_config import engine_config

    config = engine_config()
    limits = json.loads(os.environ.get("BOOKBUG_BENCH_LIMITS", "{}"))
    if limits:
        config = dataclasses.replace(config, rate_limits_source=None, rate_limits={
            service: RateLimit(service, limit=int(limit), period=f"{float(period) * 1000:.0f}ms")
            for service, (limit, period) in limits.items()})
    run_worker(worker_settings(config), log_config=False)


if __name__ == "__main__":
    main()
