"""The CLI's HTTP client pointed at the REST API app in this process (no app server started):
a transport that hands each request to the app on an event loop."""

from __future__ import annotations

import asyncio
import threading
from functools import partial
from typing import Any

import httpx

from bookbug.api.app import build_api


SERVER = "http://bookbug.test"


class AppTransport(httpx.BaseTransport):
    """A synchronous transport onto the ASGI app, run on its own event loop thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """On `loop` (a running one: the test's, where the engine's worker runs), else a loop of its own."""
        self.app = httpx.ASGITransport(app=build_api())
        self.thread: threading.Thread | None = None
        if loop is None:
            loop = asyncio.new_event_loop()
            self.thread = threading.Thread(target=loop.run_forever, daemon=True)
            self.thread.start()
        self.loop = loop

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def call() -> httpx.Response:
            answer = await self.app.handle_async_request(request)
            return httpx.Response(answer.status_code, headers=answer.headers, content=await answer.aread())

        return asyncio.run_coroutine_threadsafe(call(), self.loop).result(timeout=30)

    def close(self) -> None:
        pass

    def stop(self) -> None:
        if self.thread is not None:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=5)


class HttpxWithApp:
    """The httpx module as the CLI's client sees it: its Client talks to the app."""

    def __init__(self, transport: AppTransport) -> None:
        self.Client = partial(httpx.Client, transport=transport)

    def __getattr__(self, name: str) -> Any:
        return getattr(httpx, name)
