"""The production shape for crash tests: PostgreSQL, a real Redis, the app side only enqueuing,
and book workflows in separate worker processes that a test may kill. Fixtures: import
`production` and `workers` into the module that uses them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest
from sqlmodel import SQLModel

import bookbug.workflows.registered  # noqa: F401 - the book workflow, for the engine the fixture starts
from bookbug.db.session import get_engine
from bookbug.engine import Engine, EngineConfig
from bookbug.services.runtime import use_engine
from bookbug.settings import ROOT, reset_settings
from tests.conftest import ENGINE_FAST


@pytest.fixture
async def production(monkeypatch: pytest.MonkeyPatch, postgres_url: str, redis_url: str, tmp_path: Path):
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    reset_settings()
    SQLModel.metadata.create_all(get_engine(postgres_url))
    unique = uuid.uuid4().hex[:8]
    config = EngineConfig(db_url=postgres_url, redis_url=redis_url, queue_name=f"crash:{unique}",
                          key_prefix=f"crash{unique}", **{**ENGINE_FAST, "stale_after": 2.0})
    engine = Engine(config)
    use_engine(engine)
    async with engine:
        yield config
    use_engine(None)


class Workers:
    def __init__(self, config: EngineConfig, log: Path) -> None:
        self.config, self.log, self.processes = config, log, []

    def start(self, delay: float) -> subprocess.Popen[bytes]:
        settings = {k: v for k, v in asdict(self.config).items() if k != "rate_limits"}
        env = {**os.environ, "PYTHONPATH": str(ROOT), "BOOKBUG_TEST_STEP_DELAY": str(delay)}
        with open(self.log, "ab") as out:
            process = subprocess.Popen([sys.executable, "-m", "tests.workflows.book_worker", json.dumps(settings)],
                                       cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.fixture
def workers(production: EngineConfig, tmp_path: Path) -> Iterator[Workers]:
    pool = Workers(production, tmp_path / "workers.log")
    yield pool
    pool.stop_all()
