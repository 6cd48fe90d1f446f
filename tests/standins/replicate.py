"""A scripted stand-in of Replicate's predictions API, for the real replicate SDK.

It runs on 127.0.0.1 (a random free port) in a thread and speaks the few endpoints the
illustrator uses:

    POST /v1/models/{owner}/{name}/predictions   create (counted; can answer 429 + Retry-After)
    GET  /v1/predictions/{id}                    poll: "starting" until `polls_before_done` GETs
    GET  /files/{id}.png (or .wav)               the output file

Script it by setting attributes before (or between) calls:

    with ReplicateStandIn(image=png_bytes) as api:
        api.outcome = "fail"; api.error = "NSFW content detected"
        api.throttle_creates(1, retry_after=7)
        api.output_shape = "list"        # output as ["url"] instead of "url"
        api.storm(throttle_every=2, retry_after=1, fail_every=5)  # by create request / prediction number
        api.finish_after = (3.0, 6.0)    # a prediction ends this long after it is created (seconds)
        api.delivery_host = "localhost"  # outputs named on another host (this server still)
        api.redirect_files_to = url      # file downloads answer 302 to url
        api.outputs["owner/tts-model"] = (wav_bytes, "audio/wav")  # that model's output (default: `image`)
        ... api.creations, api.inputs, api.models, api.file_requests
"""

from __future__ import annotations

import itertools
import json
import random
import re
import select
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

TOKEN = "r8_standin_token"
_CREATE = re.compile(r"^/v1/models/(?P<owner>[^/]+)/(?P<name>[^/]+)/predictions$")
_GET = re.compile(r"^/v1/predictions/(?P<id>[^/]+)$")
_FILE = re.compile(r"^/files/(?P<id>[^/.]+)\.(?:png|wav)$")
_EXTENSIONS = {"image/png": "png", "audio/wav": "wav"}


class ReplicateStandIn:
    def __init__(self, image: bytes, *, token: str = TOKEN) -> None:
        self.image = image
        self.outputs: dict[str, tuple[bytes, str]] = {}  # by model: (bytes, content type); others get `image`
        self.token = token
        self.outcome: Literal["succeed", "fail"] = "succeed"
        self.error = "the model failed"
        self.output_shape: Literal["url", "list"] = "url"
        self.polls_before_done = 1
        self.creations = 0
        self.inputs: list[dict[str, Any]] = []
        self.models: list[str] = []
        self.polls: dict[str, int] = {}
        # where finished outputs say they are: this server (as 127.0.0.1), or another host name
        # for it (say "localhost") to play a host that is not a delivery host
        self.delivery_host: str | None = None
        self.redirect_files_to: str | None = None  # answer file downloads with a redirect there
        self.file_requests: list[dict[str, str]] = []  # the headers of every file download
        self._throttled: list[float] = []  # Retry-After of each create still to refuse
        self.finish_after: tuple[float, float] | None = None  # None: done after `polls_before_done` polls
        self.create_requests = 0  # every POST that reached the door, refused or not
        self.failed_predictions = 0
        self.early = 0  # creates that arrived before a Retry-After given here had passed
        self.early_requests: list[tuple[float, float]] = []  # (seconds after the 429, before its end)
        self.create_arrivals: list[float] = []  # wall-clock time each create request arrived
        self._storm = (0, 1.0, 0)  # (throttle every nth create request, its Retry-After, fail every nth prediction)
        self._blocked_until = 0.0
        self._told_at = 0.0
        self._random = random.Random(11)
        self._predictions: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._open = threading.Event()
        self._open.set()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    # -- scripting -------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def storm(self, *, throttle_every: int = 0, retry_after: float = 1.0, fail_every: int = 0) -> None:
        """Every `throttle_every`th create request answers 429 with `retry_after`; every
        `fail_every`th prediction created ends failed."""
        self._storm = (throttle_every, retry_after, fail_every)

    def throttle_creates(self, count: int, *, retry_after: float) -> None:
        """Refuse the next `count` creations with 429 and this Retry-After (seconds)."""
        self._throttled.extend([retry_after] * count)

    def pause_creates(self) -> None:
        """Hold new create requests at the door (uncounted) until `resume_creates`; a request
        whose client has gone away meanwhile is dropped, as if it never reached Replicate."""
        self._open.clear()

    def resume_creates(self) -> None:
        self._open.set()

    def __enter__(self) -> ReplicateStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # -- the API ---------------------------------------------------------------------
    def _create(self, model: str, body: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._lock:
            self.create_requests += 1
            arrived = time.monotonic()
            self.create_arrivals.append(time.time())
            if self._told_at + 0.1 < arrived < self._blocked_until - 0.005:  # told to wait, and did not
                self.early += 1
                self.early_requests.append((arrived - self._told_at, self._blocked_until - arrived))
            throttle_every, storm_retry_after, fail_every = self._storm
            if throttle_every and self.create_requests % throttle_every == 0:
                self._throttled.insert(0, storm_retry_after)
            if self._throttled:
                retry_after = self._throttled.pop(0)
                self._told_at, self._blocked_until = arrived, max(self._blocked_until, arrived + retry_after)
                return 429, {"title": "Too Many Requests", "detail": "Request was throttled.", "status": 429}, {
                    "Retry-After": f"{retry_after:g}"
                }
            self.creations += 1
            failing = bool(fail_every) and self.creations % fail_every == 0
            self.models.append(model)
            self.inputs.append(body.get("input") or {})
            prediction_id = f"standin{next(self._ids):04d}"
            record = {
                "id": prediction_id,
                "model": model,
                "version": "standin-version",
                "status": "starting",
                "input": body.get("input"),
                "output": None,
                "logs": "",
                "error": None,
                "metrics": {},
                "created_at": "2026-01-01T00:00:00Z",
                "started_at": None,
                "completed_at": None,
                "urls": {
                    "get": f"{self.base_url}/v1/predictions/{prediction_id}",
                    "cancel": f"{self.base_url}/v1/predictions/{prediction_id}/cancel",
                },
                "_outcome": "fail" if failing else self.outcome,
                "_error": "the model failed to produce an image" if failing else self.error,
                "_shape": self.output_shape,
                "_done_at": None if self.finish_after is None else arrived + self._random.uniform(*self.finish_after),
            }
            self._predictions[prediction_id] = record
            self.polls[prediction_id] = 0
            return 201, _public(record), {}

    def _get(self, prediction_id: str) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._lock:
            record = self._predictions.get(prediction_id)
            if record is None:
                return 404, {"title": "Not found", "detail": "Prediction not found.", "status": 404}, {}
            self.polls[prediction_id] += 1
            if record["status"] in ("starting", "processing"):
                done_at = record["_done_at"]
                if (self.polls[prediction_id] > self.polls_before_done if done_at is None
                        else time.monotonic() >= done_at):
                    self._complete(record)
                else:
                    record["status"] = "processing"
            return 200, _public(record), {}

    def _complete(self, record: dict[str, Any]) -> None:
        record["completed_at"] = "2026-01-01T00:00:05Z"
        if record["_outcome"] == "fail":
            record["status"] = "failed"
            record["error"] = record["_error"]
            self.failed_predictions += 1
            return
        base = self.base_url if self.delivery_host is None else self.base_url.replace("127.0.0.1", self.delivery_host)
        _, kind = self.outputs.get(record["model"], (self.image, "image/png"))
        url = f"{base}/files/{record['id']}.{_EXTENSIONS[kind]}"
        record["status"] = "succeeded"
        record["output"] = [url] if record["_shape"] == "list" else url
        record["metrics"] = {"predict_time": 4.2}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet tests
                pass

            def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def _json(self, answer: tuple[int, dict[str, Any], dict[str, str]]) -> None:
                status, body, headers = answer
                self._send(status, json.dumps(body).encode(), "application/json", headers)

            def _authorised(self) -> bool:
                if self.headers.get("Authorization") == f"Bearer {standin.token}":
                    return True
                self._json((401, {"title": "Unauthenticated", "detail": "Invalid token.", "status": 401}, {}))
                return False

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if not self._authorised():
                    return
                match = _CREATE.match(self.path)
                if not match:
                    self._json((404, {"title": "Not found", "status": 404}, {}))
                    return
                while not standin._open.wait(0.05):
                    pass
                if self._client_left():
                    return
                self._json(standin._create(f"{match['owner']}/{match['name']}", body))

            def _client_left(self) -> bool:
                readable, _, _ = select.select([self.connection], [], [], 0)
                try:
                    return bool(readable) and not self.connection.recv(1, socket.MSG_PEEK)
                except OSError:
                    return True

            def do_GET(self) -> None:  # noqa: N802
                file_match = _FILE.match(self.path)
                if file_match:  # delivery URLs need no token, like replicate.delivery
                    standin.file_requests.append({k.lower(): v for k, v in self.headers.items()})
                    if standin.redirect_files_to:
                        self._send(302, b"", "text/plain", {"Location": standin.redirect_files_to})
                    elif file_match["id"] in standin._predictions:
                        model = standin._predictions[file_match["id"]]["model"]
                        self._send(200, *standin.outputs.get(model, (standin.image, "image/png")), {})
                    else:
                        self._send(404, b"gone", "text/plain", {})
                    return
                if not self._authorised():
                    return
                match = _GET.match(self.path)
                if not match:
                    self._json((404, {"title": "Not found", "status": 404}, {}))
                    return
                self._json(standin._get(match["id"]))

        return Handler


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if not key.startswith("_")}
