"""Many families at once: a fleet under provider quotas, fairness, live pages, and deploys.

    .venv/bin/python benchmarks/load.py [--books 20] [--pages 8] [--users 5] [--clients 200]
        [--workers 2] [--image-rate 10] [--text-rate 100] [--window 10] [--deploy] [--chart load.png]

PostgreSQL (a scratch database, from --postgres or BOOKBUG_TEST_POSTGRES_URL), Redis (--redis
or BOOKBUG_TEST_REDIS_URL; that database is FLUSHED first), the app (`reflex run --env prod
--backend-only`, one process) and `--workers` worker processes. The stand-in providers
(benchmarks/standins.py) take 0.5-2 s a text call and 3-6 s a picture; the provider limits
are set below the demand (default 10 pictures per 10 s = 60 a minute, 100 text calls per
10 s), as sliding windows of `--window` seconds (see benchmarks/load_worker.py). Books come through the REST API as a client makes them (answer each question,
approve the plot) from `--users` users: the first has half the books, the second one book,
the rest share the others. `--clients` SSE clients follow the books (as many per book).

It prints: books completed; each provider's utilisation = calls made / calls its limit allowed
over its busy period (from the first to the last moment a call waited for its turn; target at
least 90 %); the delay from a page's checkpoint commit to its SSE event reaching each client
(p50 / p95 / max; target p95 at most 200 ms); the worst wait for a picture's turn that the
single-book user saw (and the busy user, for comparison); the app's and each worker's peak
memory; peak database connections; and a PNG chart of queue depth over time. With
`--deploy`, each worker is restarted once mid-run (SIGTERM, then a new one), and it prints the
gap from each run's hand-back to its next step on another worker.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.standins import Latency, start  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FINAL = {"complete", "failed", "cancelled"}
TURN = re.compile(r"turn (?P<what>asked|granted|deferred): key=service:(?P<service>\S+) fair_key=(?P<user>\S*) "
                  r"who=(?P<who>\S*) .*at=(?P<at>[\d.]+)$")
HANDED = re.compile(r"run (?P<run>\S+): (?:cut off and )?handed back to the queue at (?P<at>[\d.]+)")


# -- processes ---------------------------------------------------------------------------------

def _scratch_database(base: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"bookbug_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False), name


def _drop_database(base: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    from bookbug.db.session import dispose_engines

    dispose_engines()
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tree(pid: int) -> list[int]:
    """The process and all its descendants (the app's server spawns its workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def _rss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


@dataclass
class Fleet:
    env: dict[str, str]
    worker_command: list[str]
    folder: Path
    app: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    retired: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: dict[int, Path] = field(default_factory=dict)

    def start_app(self, port: int) -> None:
        log = open(self.folder / "app.log", "wb")
        self.app = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "reflex"), "run", "--env", "prod", "--backend-only", "--backend-port",
             str(port)], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def start_worker(self) -> subprocess.Popen[bytes]:
        path = self.folder / f"worker-{len(self.logs) + 1}.log"
        with open(path, "wb") as log:
            process = subprocess.Popen(self.worker_command, cwd=ROOT, env=self.env, stdout=log,
                                       stderr=subprocess.STDOUT)
        self.logs[process.pid] = path
        self.workers.append(process)
        return process

    def stop(self) -> None:
        for process in self.workers + self.retired:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        if self.app is not None and self.app.poll() is None:
            os.killpg(self.app.pid, signal.SIGTERM)
        for process in [*self.workers, *self.retired, *([self.app] if self.app else [])]:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()


# -- the run -------------------------------------------------------------------------------------

@dataclass
class Observed:
    samples: list[dict[str, float]] = field(default_factory=list)  # over time: queue, waiting, memory, conns
    pages: dict[tuple[int, str, int], float] = field(default_factory=dict)  # (client, book, page): first received
    finished: dict[str, str] = field(default_factory=dict)
    restarts: list[tuple[int, float]] = field(default_factory=list)  # (pid stopped, SIGTERM at)
    started: float = 0.0
    ended: float = 0.0


def _metric(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" ([0-9.eE+-]+)"
    found = re.search(r"^" + pattern + r"$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


async def _sample(http: Any, fleet: Fleet, db_name: str, observed: Observed, stop: asyncio.Event) -> None:
    from sqlalchemy import text

    from bookbug.db.session import get_engine

    def connections() -> int:
        with get_engine().connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d"),
                                    {"d": db_name}).scalar() or 0) - 1  # less this one

    while not stop.is_set():
        try:
            body = (await http.get("/metrics")).text
        except Exception:  # noqa: BLE001 - the app may be busy; the next sample will tell
            body = ""
        sample = {
            "t": time.time(),
            "jobs_waiting": _metric(body, "bookbug_engine_queue_jobs", state="waiting"),
            "jobs_running": _metric(body, "bookbug_engine_queue_jobs", state="running"),
            "waiting_replicate": _metric(body, "bookbug_engine_rate_waiting", service="replicate"),
            "waiting_anthropic": _metric(body, "bookbug_engine_rate_waiting", service="anthropic"),
            "sse": _metric(body, "bookbug_sse_connections"),
            "db_connections": await asyncio.to_thread(connections),
            "app_mib": _rss_mib(_tree(fleet.app.pid)) if fleet.app else 0.0,
        }
        for process in fleet.workers:
            sample[f"worker_{process.pid}_mib"] = _rss_mib([process.pid])
        observed.samples.append(sample)
        await asyncio.sleep(0.5)


async def _follow(http: Any, client: int, token: str, book_id: str, observed: Observed) -> None:
    """One SSE client following one book to its end, reconnecting with Last-Event-ID if cut off."""
    from httpx_sse import aconnect_sse

    last: str | None = None
    while True:
        headers = {"Authorization": f"Bearer {token}", **({"Last-Event-ID": last} if last else {})}
        try:
            async with aconnect_sse(http, "GET", f"/api/jobs/{book_id}/stream", headers=headers) as source:
                async for event in source.aiter_sse():
                    if event.id:
                        last = event.id
                    if event.event == "page":
                        observed.pages.setdefault((client, book_id, int(event.json()["number"])), time.time())
                    if event.event in FINAL:
                        return
        except Exception:  # noqa: BLE001 - a dropped stream resumes, as a real client does
            await asyncio.sleep(0.5)


async def _make_book(http: Any, token: str, pages: int, ready: asyncio.Queue[tuple[str, str]],
                     observed: Observed) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    answer = await http.post("/api/books", headers=headers, json={"page_count": pages})
    answer.raise_for_status()
    book_id = answer.json()["id"]
    await ready.put((book_id, token))
    answered: set[int] = set()
    while True:  # the conversation: first chip (or a sentence) to each question, then approve
        messages = (await http.get(f"/api/chat/{book_id}/history", headers=headers)).json()["messages"]
        answered |= {m["turn"] for m in messages if m["role"] == "user"}
        asked = [m for m in messages if m["role"] == "assistant" and m["turn"] not in answered]
        if asked:
            question = asked[-1]
            if question["phase"] == "plot_review":
                (await http.post(f"/api/chat/{book_id}/approve", headers=headers)).raise_for_status()
                break
            content = question["chips"][0] if question["chips"] else "A brave little fox named Pip"
            (await http.post(f"/api/chat/{book_id}/message", headers=headers,
                             json={"content": content})).raise_for_status()
            answered.add(question["turn"])
        await asyncio.sleep(0.3)
    while True:
        book = (await http.get(f"/api/books/{book_id}", headers=headers)).json()
        if book["status"] in FINAL:
            observed.finished[book_id] = book["status"]
            return
        await asyncio.sleep(1.0)


async def _deploy(fleet: Fleet, observed: Observed, at: list[float]) -> None:
    """Restart each worker once: SIGTERM it (it drains and hands its runs back), start another."""
    originals = list(fleet.workers)
    for old, delay in zip(originals, at):
        await asyncio.sleep(max(0.0, observed.started + delay - time.time()))
        observed.restarts.append((old.pid, time.time()))
        old.send_signal(signal.SIGTERM)
        fleet.start_worker()
        fleet.workers.remove(old)
        fleet.retired.append(old)


async def drive(args: argparse.Namespace, fleet: Fleet, url: str, db_name: str,
                users: list[tuple[str, str, int]]) -> Observed:
    import httpx

    observed = Observed()
    stop = asyncio.Event()
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(60, read=None), limits=limits) as http:
        sampler = asyncio.create_task(_sample(http, fleet, db_name, observed, stop))
        ready: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        observed.started = time.time()
        makers = [asyncio.create_task(_make_book(http, token, args.pages, ready, observed))
                  for _, token, count in users for _ in range(count)]
        books = [await ready.get() for _ in makers]  # (book, its owner's token)
        followers = [asyncio.create_task(_follow(http, n, books[n % len(books)][1], books[n % len(books)][0], observed))
                     for n in range(args.clients)]
        deployer = asyncio.create_task(_deploy(fleet, observed, args.deploy_at)) if args.deploy else None
        await asyncio.gather(*makers)
        observed.ended = time.time()
        await asyncio.wait_for(asyncio.gather(*followers), timeout=120)
        if deployer is not None:
            await deployer
        stop.set()
        await sampler
    return observed


# -- figures -----------------------------------------------------------------------------------

def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))] if ordered else float("nan")


def _utilisation(calls: list[float], samples: list[dict[str, float]], waiting: str, rate: float) -> tuple[float, float, int]:
    """Calls made while calls were waiting for their turn, over what the limit allowed in that time."""
    busy = [(a["t"], b["t"]) for a, b in zip(samples, samples[1:]) if a[waiting] > 0 and b[waiting] > 0]
    seconds = sum(end - start for start, end in busy)
    if not seconds:
        return float("nan"), 0.0, 0
    made = sum(1 for t in calls if any(start <= t < end for start, end in busy))
    return made / (rate * seconds), seconds, made


def _page_delays(db_url: str, observed: Observed) -> list[float]:
    """Seconds from each page's checkpoint commit (the last step of its branch) to each client's receipt."""
    from bookbug.engine import latest_run, run_steps

    committed: dict[tuple[str, int], list[float]] = {}
    for book_id in {book for _, book, _ in observed.pages}:
        run = latest_run(db_url, book_id, "create-book")
        if run is None:
            continue
        for step in run_steps(db_url, run.id):
            found = re.match(r"^book\[page-(\d+)\]/", step.step_id)
            if found and step.finished_at is not None and step.status.value == "completed":
                committed.setdefault((book_id, int(found.group(1))), []).append(step.finished_at.timestamp())
    delays = []
    for (_, book_id, page), received in observed.pages.items():
        before = [t for t in committed.get((book_id, page), []) if t <= received + 0.001]
        if before:
            delays.append(received - max(before))
    return delays


def _turns(fleet: Fleet, service: str) -> tuple[dict[str, list[tuple[float, float]]], list[tuple[float, str]]]:
    """Per user, each call's (first request, grant) moments, deferrals included (a step sent
    away to come back later was waiting all along); and every grant, (moment, user), in order."""
    asked: dict[str, float] = {}
    waits: dict[str, list[tuple[float, float]]] = {}
    grants: list[tuple[float, str]] = []
    for path in fleet.logs.values():
        for line in path.read_text(errors="replace").splitlines():
            match = TURN.search(line)
            if not match or match["service"] != service:
                continue
            at = float(match["at"])
            if match["what"] == "asked":
                asked.setdefault(match["who"], at)
            elif match["what"] == "granted":
                grants.append((at, match["user"]))
                if match["who"] in asked:
                    waits.setdefault(match["user"], []).append((asked.pop(match["who"]), at))
    return waits, sorted(grants)


def _gaps(db_url: str, fleet: Fleet, observed: Observed) -> list[tuple[int, list[float]]]:
    """For each restart: per run handed back, seconds until its next step started on another worker."""
    from bookbug.engine import run_steps

    figures = []
    for pid, _ in observed.restarts:
        gaps = []
        for line in fleet.logs[pid].read_text(errors="replace").splitlines():
            match = HANDED.search(line)
            if not match:
                continue
            at = float(match["at"])
            later = [s.started_at.timestamp() for s in run_steps(db_url, match["run"])
                     if s.started_at is not None and s.started_at.timestamp() > at]
            if later:
                gaps.append(min(later) - at)
        figures.append((pid, gaps))
    return figures


def chart(samples: list[dict[str, float]], path: Path, started: float) -> None:
    """Queue depth over time (Pillow; no plotting library needed)."""
    from PIL import Image, ImageDraw

    width, height, margin = 900, 360, 50
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    series = {"runs executing": ("jobs_running", (150, 150, 150)),
              "runs due, waiting for a worker": ("jobs_waiting", (200, 60, 40)),
              "pictures waiting for their turn": ("waiting_replicate", (40, 90, 200)),
              "text calls waiting for their turn": ("waiting_anthropic", (40, 160, 80))}
    if not samples:
        image.save(path)
        return
    span = max(1.0, samples[-1]["t"] - started)
    top = max(1.0, max(s[key] for key, _ in series.values() for s in samples))

    def point(t: float, value: float) -> tuple[float, float]:
        return (margin + (t - started) / span * (width - 2 * margin),
                height - margin - value / top * (height - 2 * margin))

    draw.rectangle([margin, margin, width - margin, height - margin], outline=(120, 120, 120))
    for tick in range(0, int(span) + 1, max(10, int(span / 8) // 10 * 10 or 10)):
        x, _ = point(started + tick, 0)
        draw.line([x, height - margin, x, height - margin + 4], fill=(120, 120, 120))
        draw.text((x - 8, height - margin + 8), f"{tick}s", fill=(60, 60, 60))
    for value in (0, top / 2, top):
        _, y = point(started, value)
        draw.text((8, y - 6), f"{value:.0f}", fill=(60, 60, 60))
    for n, (name, (key, colour)) in enumerate(series.items()):
        draw.line([point(s["t"], s[key]) for s in samples], fill=colour, width=2)
        draw.text((margin + 10, 10 + n * 13), name, fill=colour)
    image.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("BOOKBUG_TEST_POSTGRES_URL", ""))
    parser.add_argument("--redis", default=os.environ.get("BOOKBUG_TEST_REDIS_URL", ""))
    parser.add_argument("--books", type=int, default=20)
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--users", type=int, default=5)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--image-rate", type=float, default=10, help="pictures the provider allows per window")
    parser.add_argument("--text-rate", type=float, default=100, help="text calls the provider allows per window")
    parser.add_argument("--window", type=float, default=10.0, help="the providers' rate-limit window, in seconds")
    parser.add_argument("--deploy", action="store_true", help="restart each worker once during the run")
    parser.add_argument("--deploy-at", type=float, nargs="*", default=None,
                        help="seconds after the start to restart worker 1, 2, ... (default: spread over the run)")
    parser.add_argument("--grace", type=float, default=30.0, help="WORKER_SHUTDOWN_GRACE for the deploy")
    parser.add_argument("--chart", type=Path, default=Path("load-queue.png"))
    args = parser.parse_args()
    if not args.postgres or not args.redis:
        raise SystemExit("needs PostgreSQL and Redis: --postgres URL --redis URL (or BOOKBUG_TEST_* variables)")
    if args.users < 2 or args.books < args.users:
        raise SystemExit("needs at least 2 users and a book each")
    args.deploy_at = args.deploy_at or [25.0 + 25.0 * n for n in range(args.workers)]

    import redis

    redis.Redis.from_url(args.redis).flushdb()
    db_url, db_name = _scratch_database(args.postgres)
    folder = Path(tempfile.mkdtemp(prefix="bookbug-load-"))
    rate_window = args.window
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOOKBUG_TEST", "PYTEST"))}
    env.update(DATABASE_URL=db_url, REDIS_URL=args.redis, DATA_DIR=str(folder / "data"), GRANIAN_WORKERS="1",
               BOOKS_PER_MINUTE="1000", PAGE_CONCURRENCY="2", WORKER_SHUTDOWN_GRACE=str(args.grace),
               PYTHONPATH=str(ROOT), REFLEX_CHECK_LATEST_VERSION="false", REFLEX_USE_SYSTEM_BUN="1",
               PATH=f"{ROOT / '.tools' / 'node_modules' / '.bin'}:{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
               BOOKBUG_BENCH_LIMITS=json.dumps({"replicate": [args.image_rate, rate_window],
                                                "anthropic": [args.text_rate, rate_window]}))
    os.environ.update(DATABASE_URL=db_url, REDIS_URL=args.redis, DATA_DIR=env["DATA_DIR"])
    fleet: Fleet | None = None
    try:
        subprocess.run([sys.executable, "-m", "bookbug.startup"], cwd=ROOT, env=env, check=True)
        from bookbug.services.accounts.api_tokens import create_api_token
        from bookbug.services.accounts.registration import register
        from bookbug.settings import reset_settings

        reset_settings()
        shares = [args.books // 2, 1]
        rest = args.books - sum(shares)
        others = args.users - 2
        shares += [rest // others + (1 if n < rest % others else 0) for n in range(others)] if others else []
        if not others:
            shares[0] += rest
        users = []
        for n, count in enumerate(shares):
            user = register(f"family-{n}-{uuid.uuid4().hex[:6]}@example.com", "a long enough passphrase")
            users.append((user.id, create_api_token(user.id, "load").token, count))

        with start(Latency(), redis_url=args.redis) as providers:
            fleet = Fleet({**env, **providers.env}, providers.worker_command, folder)
            port = _free_port()
            fleet.start_app(port)
            url = f"http://127.0.0.1:{port}"
            _wait_ready(url, fleet)
            for _ in range(args.workers):
                fleet.start_worker()
            observed = asyncio.run(drive(args, fleet, url, db_name, users))
            calls = providers.calls()
        _report(args, db_url, fleet, observed, calls, users, rate_window)
    finally:
        if fleet is not None:
            fleet.stop()
        _drop_database(args.postgres, db_name)
        print(f"(logs in {folder})")


def _wait_ready(url: str, fleet: Fleet) -> None:
    import httpx

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if fleet.app is not None and fleet.app.poll() is not None:
            raise SystemExit(f"the app exited; see {fleet.folder / 'app.log'}")
        try:
            if httpx.get(url + "/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the app was not ready in 180 s; see {fleet.folder / 'app.log'}")


def _report(args: argparse.Namespace, db_url: str, fleet: Fleet, observed: Observed,
            calls: dict[str, list[float]], users: list[tuple[str, str, int]], window: float) -> None:
    done = sum(1 for status in observed.finished.values() if status == "complete")
    wall = observed.ended - observed.started
    print(f"{args.books} books of {args.pages} pages from {len(users)} users "
          f"({', '.join(str(c) for _, _, c in users)} books), {args.clients} SSE clients, {args.workers} workers")
    print(f"books completed: {done} of {args.books} in {wall:.0f} s")
    for service, key, rate in (("replicate", "waiting_replicate", args.image_rate),
                               ("anthropic", "waiting_anthropic", args.text_rate)):
        share, busy, made = _utilisation(calls.get(service, []), observed.samples, key, rate / window)
        print(f"utilisation {service:9}: {share:6.1%}  ({made} calls in a busy period of {busy:.0f} s at "
              f"{rate:g} per {window:g} s; {len(calls.get(service, []))} calls in all)")
    delays = _page_delays(db_url, observed)
    print(f"page commit -> SSE client: p50 {_percentile(delays, .5) * 1000:.0f} ms, "
          f"p95 {_percentile(delays, .95) * 1000:.0f} ms, max {max(delays, default=float('nan')) * 1000:.0f} ms "
          f"({len(delays)} page events received)")
    waits, grants = _turns(fleet, "replicate")
    turn = window / args.image_rate
    for label, (user, _, books) in (("single-book user", users[1]), ("busiest user", users[0])):
        mine = [granted - asked for asked, granted in waits.get(user, [])]
        if mine:
            print(f"wait for a picture's turn, {label} ({books} book{'s' if books > 1 else ''}): worst {max(mine):.2f} s, "
                  f"median {statistics.median(mine):.2f} s ({len(mine)} pictures; at full use a turn comes every "
                  f"{turn:.2f} s, shared by up to {len(users)} users)")
    single, busiest = users[1][0], users[0][0]
    ahead = [sum(1 for at, user in grants if user == busiest and asked < at < granted)
             for asked, granted in waits.get(single, [])]
    if ahead:
        print(f"fairness: pictures of the busiest user ({users[0][2]} books) drawn while a picture of the single-book "
              f"user waited: at most {max(ahead)}, median {statistics.median(ahead):g} (its {len(ahead)} pictures)")
    peak = {k: max(s.get(k, 0.0) for s in observed.samples) for s in observed.samples for k in s}
    print(f"memory: app {peak.get('app_mib', 0):.0f} MiB; workers " + ", ".join(
        f"{v:.0f} MiB" for k, v in sorted(peak.items()) if k.startswith("worker_")))
    print(f"database connections in use: peak {peak.get('db_connections', 0):.0f}; "
          f"SSE connections seen by the app: peak {peak.get('sse', 0):.0f}")
    if observed.restarts:
        for (pid, at), (_, gaps) in zip(observed.restarts, _gaps(db_url, fleet, observed)):
            print(f"deploy: worker {pid} stopped at +{at - observed.started:.0f} s, handed back {len(gaps)} run(s); "
                  f"hand-back -> next step on another worker: max {max(gaps, default=float('nan')):.2f} s, "
                  f"median {statistics.median(gaps) if gaps else float('nan'):.2f} s")
    chart(observed.samples, args.chart, observed.started)
    print(f"queue depth chart: {args.chart}")


if __name__ == "__main__":
    main()
