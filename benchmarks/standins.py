"""Stand-in providers for benchmarks/load.py, behind the one small interface it uses.

    with start(Latency(text=(0.5, 2.0), image=(3.0, 6.0)), redis_url=...) as providers:
        environment = {**os.environ, **providers.env}      # for the app and every worker
        command = providers.worker_command                  # how to start a worker process
        ...
        providers.calls()                                   # {"anthropic": [t, ...], "replicate": [...]}

`calls()` gives the wall-clock moment of every paid call, by the service whose rate limit
it counts against, gathered from every worker process.

What runs today: `InWorkerProviders`. Each worker process (benchmarks/load_worker.py) wraps
the offline writer and illustrator so that every text call takes 0.5-2 s and every picture
3-6 s (seeded, uniform), noting each call in Redis. The calls count against the `anthropic`
and `replicate` limits as the book workflows tag their steps today. The auto-answering HTTP
stand-ins of tests/standins/ (Claude answering every agent through the real anthropic SDK,
Replicate creating predictions) plug in here as a second implementation: `env` then points
ANTHROPIC_BASE_URL / REPLICATE_BASE_URL at them, `worker_command` is the plain production
worker, and `calls()` reads their request logs.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LATENCY_VARIABLE = "BOOKBUG_BENCH_LATENCY"  # JSON: Latency, plus where to note calls
CALLS_KEY = "bench:calls"


@dataclass(frozen=True)
class Latency:
    text: tuple[float, float] = (0.5, 2.0)  # seconds a text call takes, uniform between the two
    image: tuple[float, float] = (3.0, 6.0)
    seed: int = 17


@dataclass
class InWorkerProviders:
    latency: Latency
    redis_url: str
    env: dict[str, str] = field(default_factory=dict)
    worker_command: list[str] = field(default_factory=lambda: [sys.executable, "-m", "benchmarks.load_worker"])

    def calls(self) -> dict[str, list[float]]:
        import redis

        client = redis.Redis.from_url(self.redis_url)
        try:
            found: dict[str, list[float]] = {}
            for service in ("anthropic", "replicate"):
                found[service] = sorted(float(t) for t in client.lrange(f"{CALLS_KEY}:{service}", 0, -1))
            return found
        finally:
            client.close()


@contextmanager
def start(latency: Latency, *, redis_url: str) -> Iterator[InWorkerProviders]:
    """The benchmark's providers, with these latencies, for as long as the block runs."""
    settings = {**asdict(latency), "redis_url": redis_url}
    providers = InWorkerProviders(latency, redis_url, env={LATENCY_VARIABLE: json.dumps(settings)})
    yield providers


# -- inside a worker process ---------------------------------------------------------------

def install_in_worker() -> None:
    """Wrap the offline providers with the latencies in BOOKBUG_BENCH_LATENCY (worker side).

    Two generations of the provider protocols are met: steps tagged with their rate limit and
    illustrators with start/finish (before "a step per bill"), or providers that name their
    `service` and spend() before each request, with illustrators that start/wait/fetch. The
    wrappers follow whichever this checkout has, so each call counts against its limit once."""
    raw = os.environ.get(LATENCY_VARIABLE)
    if not raw:
        return
    settings = json.loads(raw)
    import asyncio

    import redis

    from bookbug.providers.images import IllustrationRequest, OfflineIllustrator
    from bookbug.providers.images.protocol import Illustrator
    from bookbug.workflows import providers

    providers_spend = "service" in getattr(Illustrator, "__annotations__", {})
    rng = random.Random(f"{settings['seed']}:{os.getpid()}")
    notes = redis.Redis.from_url(settings["redis_url"])
    offline_text = providers.text_provider
    painted: dict[Any, Any] = {}

    def note(service: str) -> None:
        notes.rpush(f"{CALLS_KEY}:{service}", repr(time.time()))

    async def spend(service: str) -> None:
        if providers_spend:
            from bookbug.engine import spend as engine_spend

            await engine_spend(service)

    class SlowWriter:
        service = "anthropic" if providers_spend else None

        def __init__(self, inner: Any) -> None:
            self.inner, self.name = inner, "offline"

        async def generate(self, agent: Any, input: Any) -> Any:
            await spend("anthropic")
            note("anthropic")
            await asyncio.sleep(rng.uniform(*settings["text"]))
            return await self.inner.generate(agent, input)

    class SlowIllustrator:
        """Each picture painted once per kind and format (painting all would measure Pillow, not the fleet)."""

        name = "offline"
        service = "replicate" if providers_spend else None

        def __init__(self) -> None:
            self.inner = OfflineIllustrator()
            self.requests: dict[str, tuple[str, str]] = {}

        async def start(self, request: IllustrationRequest) -> str:
            note("replicate")  # the workflow spent its turn just before (new protocol) or before the step
            if providers_spend:
                prediction_id = await self.inner.start(request)
                self.requests[prediction_id] = (request.format_name, request.kind)
                return prediction_id
            return f"bench:{request.format_name}:{rng.random()}"

        async def wait(self, prediction_id: str) -> Any:
            await asyncio.sleep(rng.uniform(*settings["image"]))
            return await self.inner.wait(prediction_id)

        async def fetch(self, prediction_id: str, outcome: Any) -> Any:
            kind = self.requests.get(prediction_id)
            if kind is None:  # started by another worker process
                return await self.inner.fetch(prediction_id, outcome)
            if kind not in painted:
                painted[kind] = await self.inner.fetch(prediction_id, outcome)
            return painted[kind]

        async def finish(self, prediction_id: str) -> Any:  # the start/finish protocol
            await asyncio.sleep(rng.uniform(*settings["image"]))
            format_name = prediction_id.split(":")[1]
            if format_name not in painted:
                offline = OfflineIllustrator()
                painted[format_name] = await offline.finish(await offline.start(
                    IllustrationRequest(book_id="bench", page=1, format_name=format_name)))
            return painted[format_name]

    providers.text_provider = lambda book_id: SlowWriter(offline_text(book_id))  # type: ignore[assignment]
    providers.illustrator = lambda storage, book_id=None: SlowIllustrator()  # type: ignore[assignment]
