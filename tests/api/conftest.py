"""REST API fixtures: the FastAPI app in-process on a fresh database, with a running embedded
engine (the book workflow included), and signed-in callers with their own API tokens."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import httpx
import pytest
from argon2 import PasswordHasher
from sqlmodel import SQLModel

import bookbug.db  # noqa: F401 - registers the tables
import bookbug.workflows.registered  # noqa: F401 - registers the book workflow
from bookbug.api.app import build_api
from bookbug.db.session import get_engine
from bookbug.engine import Engine, EngineConfig, RateLimit
from bookbug.services.accounts import passwords
from bookbug.services.accounts.api_tokens import create_api_token
from bookbug.services.accounts.registration import register
from bookbug.services.runtime import use_engine
from bookbug.settings import reset_settings

PASSWORD = "correct horse battery"

# Quick engine timings; provider limits high enough that a whole offline book never waits.
FAST_ENGINE = dict(heartbeat_interval=0.5, stale_after=5.0, sweep_interval=0.5, requeue_grace=2.0,
                   retry_base=0.01, retry_cap=0.05, slot_poll=0.05, poll_delay=0.02)


def fast_engine_config(db_url: str) -> EngineConfig:
    unique = uuid.uuid4().hex[:10]
    return EngineConfig(
        db_url=db_url, queue_name=f"apitest:{unique}:queue", key_prefix=f"apitest:{unique}",
        rate_limits={name: RateLimit(name, limit=100_000, period="1m") for name in ("anthropic", "replicate")},
        **FAST_ENGINE,  # type: ignore[arg-type]
    )


@dataclass
class Caller:
    """A signed-in user of the API: their id, e-mail and personal token."""

    user_id: str
    email: str
    token: str
    token_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # real argon2 costs ~0.3 s a hash; the API's behaviour does not depend on its parameters
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(params=["sqlite"])
def api_db(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The app's database (SQLite; parametrize indirectly with "postgres" for PostgreSQL)."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    monkeypatch.setenv("DATABASE_URL", url)
    reset_settings()
    SQLModel.metadata.create_all(get_engine(url))
    return url


@pytest.fixture
async def engine(api_db: str) -> AsyncIterator[Engine]:
    """The services' engine with its in-process worker, as the app's lifespan runs it."""
    engine = Engine(fast_engine_config(api_db))
    async with engine, engine.worker():
        use_engine(engine)
        try:
            yield engine
        finally:
            use_engine(None)


@pytest.fixture
async def client(engine: Engine) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build_api())
    async with httpx.AsyncClient(transport=transport, base_url="http://bookbug.test", timeout=30) as http:
        yield http


@pytest.fixture
def make_caller(api_db: str) -> Callable[..., Caller]:
    def make(name: str = "") -> Caller:
        email = f"{name or 'reader'}-{uuid.uuid4().hex[:8]}@example.com"
        user = register(email, PASSWORD)
        token = create_api_token(user.id, "tests")
        return Caller(user_id=user.id, email=email, token=token.token, token_id=token.id)

    return make


@pytest.fixture
def alice(make_caller: Callable[..., Caller]) -> Caller:
    return make_caller("alice")


@pytest.fixture
def bob(make_caller: Callable[..., Caller]) -> Caller:
    return make_caller("bob")

