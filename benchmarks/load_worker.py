"""A worker process for benchmarks/load.py: `python -m benchmarks.load_worker`.

The production worker (`python -m workers`: the same settings, workflows and graceful stop),
with two things the benchmark sets through the environment: the stand-in providers
(benchmarks/standins.py), and provider rate limits as short sliding windows
(BOOKBUG_BENCH_LIMITS, JSON {"replicate": [20, 10.0]}: 20 calls per 10 s is 120 a minute).
A window of seconds rather than the operators' minute keeps a run of a few minutes from being
dominated by where the window's bursts fall, so "calls made / calls allowed" measures the
fleet, not the window (a very short window would instead charge every late grant again at
each turn of the window). Each turn granted at a limit is logged (bookbug.engine.fairness at
DEBUG: asked, deferred, granted, with the step and the wall-clock time) for the fairness figure.
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
    import bookbug.workflows.registered  # noqa: F401 - registers the workflows
    from bookbug.engine import RateLimit, run_worker, worker_settings
    from bookbug.config.app_config import engine_config

    config = engine_config()
    limits = json.loads(os.environ.get("BOOKBUG_BENCH_LIMITS", "{}"))
    if limits:
        config = dataclasses.replace(config, rate_limits_source=None, rate_limits={
            service: RateLimit(service, limit=int(limit), period=f"{float(period) * 1000:.0f}ms")
            for service, (limit, period) in limits.items()})
    run_worker(worker_settings(config), log_config=False)


if __name__ == "__main__":
    main()
