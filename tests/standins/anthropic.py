"""A scripted stand-in for Anthropic's Messages API, for tests that drive the real anthropic SDK.

`AnthropicStandIn` is a small threaded HTTP server on 127.0.0.1 (random port). Each
POST /v1/messages answers with the next scripted reply: a message (text and/or tool_use
blocks, with usage) or an error (any status, with headers such as retry-after). Every
request is recorded (path, headers, JSON body) so a test can count attempts and read what
the SDK sent. With nothing scripted it answers 500 with a message saying so, which makes a
test that forgot a reply fail loudly instead of hanging.

Use it as a context manager or through the `anthropic_standin` fixture:
    standin.reply_tool("intake_turn", {...}, input_tokens=120, output_tokens=80)
    standin.reply_error(429, "rate_limit_error", "slow down", headers={"retry-after": "7"})
    ClaudeWriter(Settings(anthropic_api_key="test", anthropic_base_url=standin.url))
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class Scripted:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None  # sent as-is instead of JSON (for malformed bodies)


def message_body(content: list[dict[str, Any]], *, model: str = "claude-standin", input_tokens: int = 10,
                 output_tokens: int = 20, stop_reason: str = "end_turn", cache_read: int = 0,
                 cache_write: int = 0) -> dict[str, Any]:
    """A Messages API response body, as Anthropic sends it."""
    return {
        "id": f"msg_{uuid.uuid4().hex[:24]}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens,
                  "cache_creation_input_tokens": cache_write, "cache_read_input_tokens": cache_read},
    }


def tool_use_block(name: str, input: Any) -> dict[str, Any]:
    return {"type": "tool_use", "id": f"toolu_{uuid.uuid4().hex[:24]}", "name": name, "input": input}


def error_body(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}


class AnthropicStandIn:
    def __init__(self) -> None:
        self._script: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self.requests: list[Recorded] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        # A short poll interval keeps shutdown (once per test) fast.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="anthropic-standin", daemon=True)

    # scripting -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def reply(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        with self._lock:
            self._script.append(Scripted(status, body, dict(headers or {})))

    def reply_tool(self, name: str, input: Any, **usage: Any) -> None:
        """Claude calls tool `name` with `input` (any JSON, or a str sent as the raw input value)."""
        self.reply(200, message_body([tool_use_block(name, input)], stop_reason="tool_use", **usage))

    def reply_text(self, text: str, **usage: Any) -> None:
        self.reply(200, message_body([{"type": "text", "text": text}], **usage))

    def reply_error(self, status: int, kind: str, message: str, headers: dict[str, str] | None = None) -> None:
        self.reply(status, error_body(kind, message), headers)

    def reply_raw(self, status: int, raw: bytes, headers: dict[str, str] | None = None) -> None:
        with self._lock:
            self._script.append(Scripted(status, None, dict(headers or {}), raw=raw))

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._script)

    def messages_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.startswith("/v1/messages")]

    # serving ---------------------------------------------------------------------------

    def start(self) -> "AnthropicStandIn":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "AnthropicStandIn":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next(self) -> Scripted:
        with self._lock:
            if self._script:
                return self._script.popleft()
        return Scripted(500, error_body("api_error", "the Anthropic stand-in has no scripted reply left"))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body: Any = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                with standin._lock:
                    standin.requests.append(Recorded("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                if not self.path.startswith("/v1/messages"):
                    self._send(Scripted(404, error_body("not_found_error", f"the stand-in does not serve {self.path}")))
                    return
                self._send(standin._next())

            def _send(self, scripted: Scripted) -> None:
                payload = scripted.raw if scripted.raw is not None else json.dumps(scripted.body).encode()
                self.send_response(scripted.status)
                headers = {"content-type": "application/json", "request-id": f"req_{uuid.uuid4().hex[:16]}",
                           **scripted.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                return

        return Handler


@pytest.fixture
def anthropic_standin() -> Iterator[AnthropicStandIn]:
    with AnthropicStandIn() as standin:
        yield standin
