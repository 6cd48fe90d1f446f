"""Read a Server-Sent Events response from an ASGI app as it is produced, and hang up at will.

httpx's ASGITransport waits for the whole body, which a live stream never finishes; this
drives the app directly instead: events arrive one by one, and closing the reader sends
`http.disconnect`, exactly what a dropped browser or CLI connection does.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class SSE:
    event: str
    data: Any
    id: int | None


@dataclass
class StreamReader:
    status: int
    headers: dict[str, str]
    _chunks: asyncio.Queue[bytes | None]
    _buffer: str = ""
    comments: list[str] = field(default_factory=list)
    body: bytes = b""

    async def next_event(self, timeout: float = 20.0) -> SSE | None:
        """The next event (within `timeout` seconds in all), or None when the server ended the stream."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for separator in ("\r\n\r\n", "\n\n"):
                if separator in self._buffer:
                    block, self._buffer = self._buffer.split(separator, 1)
                    event = self._parse(block)
                    if event is not None:
                        return event
                    break
            else:
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    raise TimeoutError
                chunk = await asyncio.wait_for(self._chunks.get(), remaining)
                if chunk is None:
                    return None
                self.body += chunk
                self._buffer += chunk.decode()

    def _parse(self, block: str) -> SSE | None:
        name, data, ident = "message", [], None
        for line in block.replace("\r\n", "\n").split("\n"):
            if line.startswith(":"):
                self.comments.append(line[1:].strip())
                continue
            key, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if key == "event":
                name = value
            elif key == "data":
                data.append(value)
            elif key == "id":
                ident = int(value) if value else None
        if not data:
            return None
        return SSE(event=name, data=json.loads("\n".join(data)), id=ident)

    async def events(self, timeout: float = 20.0) -> AsyncIterator[SSE]:
        while (event := await self.next_event(timeout)) is not None:
            yield event


@asynccontextmanager
async def open_stream(app: Any, url: str, headers: dict[str, str] | None = None) -> AsyncIterator[StreamReader]:
    """GET `url` from the ASGI `app`; leaving the block hangs up like a dropped connection."""
    parts = urlsplit(url)
    raw_headers = [(b"host", b"bookbug.test"), (b"accept", b"text/event-stream")]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": parts.path, "raw_path": parts.path.encode(), "query_string": parts.query.encode(),
        "headers": raw_headers, "client": ("127.0.0.1", 50000), "server": ("bookbug.test", 80), "root_path": "",
    }
    hung_up = asyncio.Event()
    asked = False
    chunks: asyncio.Queue[bytes | None] = asyncio.Queue()
    started: asyncio.Future[tuple[int, dict[str, str]]] = asyncio.get_running_loop().create_future()

    async def receive() -> dict[str, Any]:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await hung_up.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            started.set_result((message["status"], {k.decode().lower(): v.decode() for k, v in message["headers"]}))
        elif message["type"] == "http.response.body":
            if message.get("body"):
                await chunks.put(message["body"])
            if not message.get("more_body", False):
                await chunks.put(None)

    task = asyncio.create_task(app(scope, receive, send))
    try:
        done, _ = await asyncio.wait({task, started}, timeout=20, return_when=asyncio.FIRST_COMPLETED)
        if task in done and not started.done():
            task.result()  # raises what the app raised
        status, response_headers = await asyncio.wait_for(started, 20)
        yield StreamReader(status=status, headers=response_headers, _chunks=chunks)
    finally:
        hung_up.set()
        try:
            await asyncio.wait_for(task, 10)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()
