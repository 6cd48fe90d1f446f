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

For whole books: `standin.responder = offline_claude` (tests/standins/claude_offline.py) answers
every request once the script is empty; `standin.latency = (0.5, 2.0)` delays each answer;
`standin.storm = Storm(throttle_every=3, retry_after=2, overload_every=5, malformed_every=7)`
answers those requests (counted from 1) with a 429, a 529 or a reply that breaks the schema.
`early` counts requests that arrived before a Retry-After the stand-in gave had passed.

`standin.count_tokens = True` makes every answer's usage the request's own, counted the way the
API counts it (here: a token per four characters of text, 1,500 per image), prompt caching
included: a request whose blocks carry `cache_control` reads from the cache the longest prefix
(tools, system, messages, block by block, up to 20 blocks before a breakpoint) that an earlier
request wrote within five minutes (`cache_read_input_tokens`), and writes the prefix up to its
last breakpoint when that is at least the model's minimum (`cache_creation_input_tokens`);
`input_tokens` is the rest.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
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


CACHE_SECONDS = 300.0  # the API's default cache lifetime (refreshed by each read)
LOOKBACK_BLOCKS = 20  # how far before a breakpoint the API looks for an earlier cached prefix
IMAGE_TOKENS = 1500
# What tests/standins/claude_offline.py appends to a prompt for its responder to read; not counted,
# since a real request does not carry it
CARRIED = "\n\n[stand-in input]\n"


def min_cacheable(model: str) -> int:
    """The shortest prefix the API caches for `model` (shorter ones are neither written nor read)."""
    if any(name in model for name in ("opus-4-5", "opus-4-6", "haiku-4-5")):
        return 4096
    if "haiku" in model:
        return 2048
    return 1024


def _tokens(text: str) -> int:
    text = text.split(CARRIED, 1)[0]
    return max(1, len(text) // 4) if text else 0


def request_blocks(body: dict[str, Any]) -> list[tuple[int, str, bool]]:
    """The request as the cache sees it: (tokens, its canonical text, marked as a breakpoint) per
    block, in the order the API reads them: tools, system, then each message's content."""
    blocks: list[tuple[int, str, bool]] = []
    for tool in body.get("tools") or []:
        plain = {k: v for k, v in tool.items() if k != "cache_control"}
        blocks.append((_tokens(json.dumps(plain, sort_keys=True)), json.dumps(plain, sort_keys=True),
                       "cache_control" in tool))
    system = body.get("system")
    for block in ([{"type": "text", "text": system}] if isinstance(system, str) else system or []):
        blocks.append((_tokens(block.get("text", "")), block.get("text", ""), "cache_control" in block))
    for message in body.get("messages") or []:
        content = message.get("content")
        for block in ([{"type": "text", "text": content}] if isinstance(content, str) else content or []):
            plain = {k: v for k, v in block.items() if k != "cache_control"}
            tokens = IMAGE_TOKENS if block.get("type") == "image" else _tokens(
                block.get("text") or json.dumps(plain, sort_keys=True))
            blocks.append((tokens, message.get("role", "") + json.dumps(plain, sort_keys=True),
                           "cache_control" in block))
    return blocks


# A request that arrives this soon after a 429 went out left before the pause could reach every
# worker (the 429 is read, classified, and the pause written to Redis first).
IN_FLIGHT = 0.1


@dataclass(frozen=True)
class Storm:
    """Faults by request number (1, 2, 3...): every `throttle_every`th a 429 with `retry_after`,
    every `overload_every`th a 529, every `malformed_every`th a reply that breaks the schema."""

    throttle_every: int = 0
    retry_after: float = 2.0
    overload_every: int = 0
    malformed_every: int = 0

    def fault(self, number: int) -> Scripted | None:
        if self.throttle_every and number % self.throttle_every == 0:
            return Scripted(429, error_body("rate_limit_error", "Number of requests has exceeded your rate limit"),
                            {"retry-after": f"{self.retry_after:g}"})
        if self.overload_every and number % self.overload_every == 0:
            return Scripted(529, error_body("overloaded_error", "Overloaded"))
        if self.malformed_every and number % self.malformed_every == 0:
            return Scripted(200, message_body([tool_use_block("unknown_tool", {"nonsense": True})],
                                              stop_reason="tool_use"))
        return None


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
        self.responder: Callable[[Recorded], Scripted] | None = None  # answers when nothing is scripted
        self.latency: tuple[float, float] = (0.0, 0.0)  # seconds each answer takes, drawn between these
        self.storm: Storm | None = None
        self.faults: dict[int, int] = {}  # status → how many faults the storm answered with
        self.early = 0  # requests that arrived before a Retry-After given here had passed
        self.early_requests: list[tuple[float, float, str]] = []  # (after the 429, before its end, path)
        self.arrivals: list[float] = []  # wall-clock time each Messages request arrived
        self.blocked_until = 0.0
        self._told_at = 0.0  # when the latest 429 went out (requests already on their way are not early)
        self._random = random.Random(7)
        self.count_tokens = False  # report each request's own usage, prompt caching included
        self._cache: dict[str, tuple[float, int]] = {}  # prefix digest -> (expires, tokens)
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

    def start(self) -> AnthropicStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> AnthropicStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next(self, recorded: Recorded) -> Scripted:
        with self._lock:
            number = len(self.requests)
            arrived = time.monotonic()
            self.arrivals.append(time.time())
            if self._told_at + IN_FLIGHT < arrived < self.blocked_until - 0.005:  # told to wait, and did not
                self.early += 1
                self.early_requests.append((arrived - self._told_at, self.blocked_until - arrived, recorded.path))
            if self._script:
                return self._script.popleft()
            fault = self.storm.fault(number) if self.storm else None
            if fault is not None:
                self.faults[fault.status] = self.faults.get(fault.status, 0) + 1
                if fault.status == 429:
                    self._told_at = arrived
                    self.blocked_until = max(self.blocked_until, arrived + float(fault.headers["retry-after"]))
                return fault
            responder = self.responder
        if responder is not None:
            return responder(recorded)
        return Scripted(500, error_body("api_error", "the Anthropic stand-in has no scripted reply left"))

    def counted(self, recorded: Recorded, answer: Scripted) -> Scripted:
        """`answer` with the usage the API would report for `recorded` (see count_tokens)."""
        body = recorded.body if isinstance(recorded.body, dict) else {}
        blocks = request_blocks(body)
        model = str(body.get("model", ""))
        digests, totals, running, digest = [], [], 0, hashlib.sha256(model.encode())
        for tokens, text, _ in blocks:
            digest.update(text.encode())
            digests.append(digest.copy().hexdigest())
            running += tokens
            totals.append(running)
        marks = [i for i, (_, _, marked) in enumerate(blocks) if marked]
        read = write = 0
        now = time.monotonic()
        with self._lock:
            self._cache = {key: value for key, value in self._cache.items() if value[0] > now}
            if marks:
                last = marks[-1]
                hit = next((i for i in range(last, max(-1, last - LOOKBACK_BLOCKS), -1) if digests[i] in self._cache),
                           None)
                if hit is not None:
                    read = totals[hit]
                    self._cache[digests[hit]] = (now + CACHE_SECONDS, totals[hit])
                if totals[last] >= min_cacheable(model) and hit != last:
                    write = totals[last] - read
                    for i in marks:
                        if totals[i] >= min_cacheable(model):
                            self._cache[digests[i]] = (now + CACHE_SECONDS, totals[i])
        usage = {**answer.body.get("usage", {}), "input_tokens": running - read - write,
                 "cache_read_input_tokens": read, "cache_creation_input_tokens": write}
        return Scripted(answer.status, {**answer.body, "usage": usage}, answer.headers, answer.raw)

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
                recorded = Recorded("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                with standin._lock:
                    standin.requests.append(recorded)
                    low, high = standin.latency
                    delay = standin._random.uniform(low, high) if high else 0.0
                if not self.path.startswith("/v1/messages"):
                    self._send(Scripted(404, error_body("not_found_error", f"the stand-in does not serve {self.path}")))
                    return
                answer = standin._next(recorded)
                if standin.count_tokens and answer.status == 200 and isinstance(answer.body, dict) \
                        and "usage" in answer.body:
                    answer = standin.counted(recorded, answer)
                if delay and answer.status < 400:  # errors come back at once, as the real API's do
                    time.sleep(delay)
                self._send(answer)

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
