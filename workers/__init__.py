"""Bookbug's worker processes: `python -m workers` (needs REDIS_URL and DATABASE_URL).

`python -m workers` stops gracefully on SIGTERM (see bookbug/engine/worker.py); `arq
workers.WorkerSettings` runs the same jobs but cuts steps off at once when stopped.

Run as many as you like, on any machines sharing the Redis and the database.
"""

from workers.settings import WorkerSettings

__all__ = ["WorkerSettings"]
