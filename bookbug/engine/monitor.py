"""A worker process's own small HTTP server: GET /metrics (Prometheus) and GET /healthz.

It runs on a thread, so a scrape never waits for the event loop; /healthz asks the loop
itself (a tick it keeps), so a loop stuck for longer than `STALL_LIMIT` reads as unhealthy,
and a worker that is shutting down says so (503) and an orchestrator stops sending it work.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import REGISTRY, make_wsgi_app
from socketserver import ThreadingMixIn

from bookbug.engine.metrics import EngineCollector

if TYPE_CHECKING:
    from bookbug.engine.engine import Engine

STALL_LIMIT = 30.0  # an event loop silent this long is stuck


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # scrapes every few seconds: not worth a line
        return


class Monitor:
    def __init__(self, engine: Engine, port: int, host: str = "0.0.0.0") -> None:
        self.engine = engine
        self.collector = EngineCollector(engine)
        self._tick = time.monotonic()
        self._server = make_server(host, port, self._app, _Server, handler_class=_Quiet)
        self._metrics = make_wsgi_app(REGISTRY)
        self._thread = threading.Thread(target=self._server.serve_forever, name="bookbug-monitor", daemon=True)
        self._ticker: asyncio.Task[None] | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def health(self) -> tuple[int, dict[str, Any]]:
        silent = time.monotonic() - self._tick
        if self.engine.draining:
            return 503, {"status": "stopping"}
        if silent > STALL_LIMIT:
            return 503, {"status": "stalled", "event_loop_silent_seconds": round(silent, 1)}
        return 200, {"status": "ok"}

    def _app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            return self._metrics(environ, start_response)  # type: ignore[no-any-return]  # prometheus_client's WSGI app is untyped
        if path == "/healthz":
            code, body = self.health()
            start_response(f"{code} {'OK' if code == 200 else 'Service Unavailable'}",
                           [("Content-Type", "application/json")])
            return [json.dumps(body).encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found: try /metrics or /healthz\n"]

    async def _keep_ticking(self) -> None:
        while True:
            self._tick = time.monotonic()
            await asyncio.sleep(1.0)

    def start(self) -> Monitor:
        REGISTRY.register(self.collector)
        self._ticker = asyncio.get_running_loop().create_task(self._keep_ticking())
        self._thread.start()
        return self

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
        await asyncio.to_thread(self._server.shutdown)
        self._server.server_close()
        REGISTRY.unregister(self.collector)
        self.collector.close()


async def serve(engine: Engine, port: int) -> Monitor:
    """Start serving /metrics and /healthz for this worker process on `port`."""
    return Monitor(engine, port).start()


def check(port: int, host: str = "127.0.0.1", timeout: float = 5.0) -> int:
    """The health check an orchestrator runs: 0 when the worker on `port` says it is healthy."""
    from urllib.error import URLError
    from urllib.request import urlopen

    try:
        with urlopen(f"http://{host}:{port}/healthz", timeout=timeout) as answer:  # noqa: S310 - a local URL
            return 0 if answer.status == 200 else 1
    except (URLError, OSError):
        return 1
