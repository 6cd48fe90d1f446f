"""CLI fixtures: one live Bookbug server per module (it takes a minute to start on this
machine), users registered straight into its database, and a private config folder."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bookbug.services.accounts.registration import register
from tests.app_server import LiveApp, run_app

PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class LiveUser:
    email: str
    password: str
    user_id: str


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    data_dir = tmp_path_factory.mktemp("live") / "data"
    # provider limits high enough that a whole offline book never waits for a rate slot
    with run_app(data_dir, ANTHROPIC_RPM="10000", REPLICATE_RPM="10000") as app:
        yield app


@pytest.fixture(scope="module")
def make_user(live: LiveApp) -> Callable[..., LiveUser]:
    def make(name: str = "reader") -> LiveUser:
        email = f"{name}-{uuid.uuid4().hex[:8]}@example.com"
        user = register(email, PASSWORD, db_url=f"sqlite:///{live.data_dir / 'bookbug.db'}")
        return LiveUser(email=email, password=PASSWORD, user_id=user.id)

    return make


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """XDG_CONFIG_HOME for the CLI: where `bookbug login` keeps its token."""
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.delenv("BOOKBUG_TOKEN", raising=False)
    monkeypatch.delenv("BOOKBUG_URL", raising=False)
    return home
