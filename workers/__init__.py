"""Bookbug's ARQ worker processes: `arq workers.WorkerSettings` (needs REDIS_URL and DATABASE_URL).

Run as many as you like, on any machines sharing the Redis and the database.
"""

from workers.settings import WorkerSettings

__all__ = ["WorkerSettings"]
