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


def start_worker(config: EngineConfig, log_path: Path) -> subprocess.Popen[bytes]:
    settings = {k: v for k, v in asdict(config).items() if k != "rate_limits"}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(log_path, "ab") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-m", "tests.engine.worker_process", json.dumps(settings)],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
