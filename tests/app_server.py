"""Start Bookbug the way the README does (`make run`) on a free port, for tests that need a live app."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bookbug.settings import ROOT

START_TIMEOUT = 420  # the first production build installs the frontend packages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveApp:
    url: str
    data_dir: Path
    log: Path
    web: Path = ROOT / ".web"  # the compiled frontend it serves (REFLEX_WEB_WORKDIR when the test gave one)


@contextmanager
def run_app(data_dir: Path, port: int | None = None, **env: str) -> Iterator[LiveApp]:
    port = port or free_port()
    log = data_dir / "app.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    # the app runs on its own defaults (a test's silent books are the test process's setting)
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NARRATION_"))}
    # the app answers only its own origin (CORS, its socket, cookie-authenticated writes)
    environ.update({"DATA_DIR": str(data_dir), "APP_URL": f"http://127.0.0.1:{port}", **env})
    with open(log, "w") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run",
             f"RUN_ARGS=--frontend-port {port} --backend-port {port}"],
            cwd=ROOT, env=environ, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the app exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(url + "/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"the app did not answer on {url}:\n{log.read_text()[-3000:]}")
            time.sleep(1)
        web = Path(env["REFLEX_WEB_WORKDIR"]) if env.get("REFLEX_WEB_WORKDIR") else ROOT / ".web"
        yield LiveApp(url=url, data_dir=data_dir, log=log, web=web)
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
