"""One Bookbug worker process: `python -m workers` (needs REDIS_URL and DATABASE_URL).

It stops gracefully on SIGTERM (a deploy): no new work, running steps get
WORKER_SHUTDOWN_GRACE seconds, every run goes straight back to the queue for another worker.
`python -m workers --check` is the health check an orchestrator runs inside the worker's
container: exit 0 when the worker on WORKER_METRICS_PORT answers /healthz with 200.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from bookbug.settings import get_settings

    if "--check" in argv:
        from bookbug.engine import check_worker

        port = get_settings().worker_metrics_port
        if not port:
            print("WORKER_METRICS_PORT is not set: the worker serves no health check", file=sys.stderr)
            return 2
        return check_worker(port)
    from bookbug.engine import run_worker
    from workers.settings import WorkerSettings

    run_worker(WorkerSettings)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
