"""Start and kill real worker processes for the engine tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from bookbug.engine import EngineConfig

ROOT = Path(__file__).resolve().parents[2]
_NOT_JSON = ("rate_limits", "rate_limits_source", "retention_source")


def start_worker(config: EngineConfig, log_path: Path, *, clock_offset: float = 0.0,
                 env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """A worker process running tests/engine/flows.py, its wall clock `clock_offset` seconds off."""
    settings = {k: v for k, v in asdict(config).items() if k not in _NOT_JSON}
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    with open(log_path, "ab") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-m", "tests.engine.worker_process", json.dumps(settings),
                                 str(clock_offset)], cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
