"""Books through a provider storm: 3 books of 8 pages on 2 worker processes, Claude and Replicate
behind the real SDKs, the stand-ins answering in a storm.

    .venv/bin/python benchmarks/storm.py [--postgres URL] [--redis URL] [--books 3] [--pages 8]

PostgreSQL and Redis as in production (a scratch database; the Redis database of --redis or
BOOKBUG_TEST_REDIS_URL, flushed first); two `arq` workers started the production way
(`workers.WorkerSettings`); the books made through the services, as the REST API makes them.
The storm: every 3rd Messages request answers 429 with Retry-After 2 s, every 5th 529, every
7th a reply that breaks the schema; every 2nd prediction POST answers 429 with Retry-After 1 s,
every 5th prediction fails. It prints books completed (target: all), requests sent before a
Retry-After expired (target 0), predictions created vs recorded (target equal), and the wall
time divided by the same books without faults.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORKER = ("from tests.standins.claude_offline import carry_inputs_if_asked; carry_inputs_if_asked(); "
          "from arq.worker import run_worker; import workers; run_worker(workers.WorkerSettings)")


async def run_books(db_url: str, redis_url: str, books_wanted: int, pages: int, storm: bool) -> dict[str, float]:
    import redis as redis_sync
    import redis.asyncio as aioredis

    from bookbug.engine.limits import Limits
    from sqlmodel import func, select

    import bookbug.workflows.registered  # noqa: F401 - registers the book workflows
    from bookbug.db import ImagePrediction, session_scope
    from bookbug.db.migrations import upgrade
    from bookbug.providers.images import IllustrationRequest, OfflineIllustrator
    from bookbug.services import books
    from bookbug.config import app_config
    from bookbug.services.runtime import use_engine
    from bookbug.settings import reset_settings
    from tests.conftest import make_user
    from tests.standins.anthropic import AnthropicStandIn, Storm
    from tests.standins.claude_offline import ENVIRONMENT, carry_inputs, offline_claude
    from tests.standins.replicate import TOKEN, ReplicateStandIn
    from tests.workflows.conversation import answer_intake, wait_for_status

    redis_sync.Redis.from_url(redis_url).flushdb()
    painter = OfflineIllustrator()
    picture = (await painter.finish(await painter.start(IllustrationRequest(book_id="storm", page=1)))).png
    keep = os.environ.get("BOOKBUG_STORM_LOGS")  # a folder to keep the workers' logs in
    with tempfile.TemporaryDirectory() as scratch, AnthropicStandIn() as claude, \
            ReplicateStandIn(image=picture) as replicate, carry_inputs():
        folder = keep or scratch
        Path(folder).mkdir(parents=True, exist_ok=True)
        claude.responder, claude.latency = offline_claude, (0.05, 0.3)
        replicate.finish_after = (1.0, 2.0)
        if storm:
            claude.storm = Storm(throttle_every=3, retry_after=2.0, overload_every=5, malformed_every=7)
            replicate.storm(throttle_every=2, retry_after=1.0, fail_every=5)
        environment = {
            "DATABASE_URL": db_url, "REDIS_URL": redis_url, "DATA_DIR": folder,
            "ANTHROPIC_API_KEY": "sk-ant-bench", "ANTHROPIC_BASE_URL": claude.url,
            "REPLICATE_API_TOKEN": TOKEN, "REPLICATE_BASE_URL": replicate.base_url, "REPLICATE_POLL_SECONDS": "0.25",
            "REPLICATE_DELIVERY_HOSTS": "127.0.0.1", "ANTHROPIC_RPM": "600", "REPLICATE_RPM": "600",
            "RETRY_BASE_DELAY": "0.5", "RETRY_MAX_DELAY": "8", "ANTHROPIC_MAX_ATTEMPTS": "12",
            "REPLICATE_MAX_ATTEMPTS": "12", "BOOKS_PER_MINUTE": "100", ENVIRONMENT: "1",
        }
        os.environ.update(environment)
        reset_settings()
        upgrade(db_url)
        app_config._cache = None
        logs = [open(Path(folder) / f"worker{n}-{'storm' if storm else 'calm'}.log", "wb") for n in range(2)]
        workers = [subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                    stdout=log, stderr=subprocess.STDOUT) for log in logs]
        use_engine(None)
        try:
            started = time.monotonic()
            users = [make_user(f"parent{n}-{uuid.uuid4().hex[:6]}@example.com") for n in range(books_wanted)]
            made = [await books.create_book(user.id, page_count=pages) for user in users]

            async def one(user_id: str, book_id: str) -> str:
                await answer_intake(user_id, book_id, timeout=600)
                await books.approve(user_id, book_id)
                book = await wait_for_status(user_id, book_id, timeout=1200)
                return book.status

            statuses = await asyncio.gather(*(one(u.id, b.id) for u, b in zip(users, made)))
            wall = time.monotonic() - started
            with session_scope() as session:
                recorded = session.exec(select(func.count()).select_from(ImagePrediction)).one()
            # calls let out by the limiter after the fleet knew of a pause (its 429 read and
            # written to Redis), before it ended: each grant and each pause is a transaction on
            # the same Redis key, so this is exact
            limits = Limits(aioredis.from_url(redis_url), "bookbug")
            after_known = 0
            for service in ("anthropic", "replicate"):
                windows = await limits.pauses(service)
                after_known += sum(1 for at in await limits.grants(service)
                                   if any(since < at < until for since, until in windows))
            await limits.redis.aclose()
        finally:
            for process in workers:
                process.terminate()
            for process in workers:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
            for log in logs:
                log.close()
        return {"completed": sum(s == "complete" for s in statuses), "wall": wall,
                "early": claude.early + replicate.early, "after_known": after_known, "early_detail": (claude.early_requests, replicate.early_requests),
                "created": replicate.creations, "recorded": recorded,
                "claude_faults": sum(claude.faults.values()), "replicate_refused": replicate.create_requests -
                replicate.creations, "failed_predictions": replicate.failed_predictions}


def _scratch(base: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"bookbug_storm_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False), name


def _drop(base: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    from bookbug.db.session import dispose_engines

    dispose_engines()
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("BOOKBUG_TEST_POSTGRES_URL", ""))
    parser.add_argument("--redis", default=os.environ.get("BOOKBUG_TEST_REDIS_URL", ""))
    parser.add_argument("--books", type=int, default=3)
    parser.add_argument("--pages", type=int, default=8)
    args = parser.parse_args()
    if not args.postgres or not args.redis:
        raise SystemExit("needs PostgreSQL and Redis: --postgres URL --redis URL (or the BOOKBUG_TEST_* variables)")
    results = {}
    for storm in (False, True):
        url, name = _scratch(args.postgres)
        try:
            results[storm] = asyncio.run(run_books(url, args.redis, args.books, args.pages, storm))
        finally:
            _drop(args.postgres, name)
    calm, stormy = results[False], results[True]
    print(f"without faults: {calm['completed']}/{args.books} books in {calm['wall']:.1f} s")
    print(f"in the storm:   {stormy['completed']}/{args.books} books completed (target: all) in {stormy['wall']:.1f} s "
          f"= {stormy['wall'] / calm['wall']:.2f}x the calm run")
    print(f"  faults answered: {stormy['claude_faults']} by Claude, {stormy['replicate_refused']} prediction POSTs "
          f"refused with 429, {stormy['failed_predictions']} predictions failed")
    print(f"  calls let out after the fleet knew of a pause, before it ended: {stormy['after_known']} (target 0)")
    print(f"  requests that reached a provider after its 429 (+100 ms) and before its Retry-After ended: "
          f"{stormy['early']} (sent by a worker before the 429 was read and shared)")
    if stormy["early"]:
        print(f"    Claude (s after the 429, s before its end, path): {stormy['early_detail'][0]}")
        print(f"    Replicate (s after the 429, s before its end): {stormy['early_detail'][1]}")
    print(f"  predictions created {stormy['created']}, recorded {stormy['recorded']} (target equal)")


if __name__ == "__main__":
    main()
