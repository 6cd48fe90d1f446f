"""Shared fixtures: databases (SQLite always, PostgreSQL and Redis when CI offers them).

Tests that need PostgreSQL or Redis read BOOKBUG_TEST_POSTGRES_URL / BOOKBUG_TEST_REDIS_URL
(`.ci/run` exports both). Without them those tests are skipped with a visible reason; with
CI=true a missing service is a failure, never a silent skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bookbug.settings import reset_settings

IN_CI = os.environ.get("CI", "").lower() == "true"


def need_service(variable: str) -> str:
    """The URL in `variable`, or skip (fail under CI) when it is not set."""
    url = os.environ.get(variable, "")
    if not url:
        message = f"{variable} is not set: this test needs that service"
        if IN_CI:
            pytest.fail(message + " (CI=true, so this is a failure, not a skip)")
        pytest.skip(message)
    return url


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every test starts from embedded defaults in a private data folder, never the developer's."""
    for name in list(os.environ):
        if name.startswith(("ANTHROPIC_", "REPLICATE_", "S3_", "CLERK_", "NARRATION_")) or name in (
            "DATABASE_URL", "REDIS_URL", "OPERATOR_EMAILS", "DATA_DIR",
        ):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))  # no stray .env is read
    # A voice takes seconds a book: books are made silent unless a test asks for `narrated`.
    monkeypatch.setenv("NARRATION_PROVIDER", "off")
    reset_settings()
    yield
    reset_settings()


@pytest.fixture
def narrated(monkeypatch: pytest.MonkeyPatch) -> None:
    """Books made in this test are read aloud, as by default (offline, espeak-ng)."""
    monkeypatch.setenv("NARRATION_PROVIDER", "offline")
    reset_settings()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


def _fresh_postgres_database(base_url: str) -> tuple[str, str]:
    name = f"bookbug_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False), name


def _drop_postgres_database(base_url: str, name: str) -> None:
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """An empty PostgreSQL database of its own, dropped afterwards."""
    base = need_service("BOOKBUG_TEST_POSTGRES_URL")
    url, name = _fresh_postgres_database(base)
    try:
        yield url
    finally:
        from bookbug.db.session import dispose_engines

        dispose_engines()
        _drop_postgres_database(base, name)


@pytest.fixture
def redis_url() -> str:
    return need_service("BOOKBUG_TEST_REDIS_URL")


@pytest.fixture(params=["sqlite", "postgres"])
def any_db_url(request: pytest.FixtureRequest) -> str:
    """An empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def schema_db_url(any_db_url: str) -> str:
    """`any_db_url` with every table created (migrations have their own tests)."""
    from sqlmodel import SQLModel

    import bookbug.db  # noqa: F401 - registers the tables
    from bookbug.db.session import get_engine

    SQLModel.metadata.create_all(get_engine(any_db_url))
    return any_db_url


# -- the whole app's back end: a database, an embedded engine running the book workflows ------

ENGINE_FAST = dict(heartbeat_interval=0.5, stale_after=3.0, sweep_interval=0.5, requeue_grace=1.0,
                   retry_base=0.01, retry_cap=0.05, slot_poll=0.05, poll_delay=0.02)


@pytest.fixture
async def book_backend(monkeypatch: pytest.MonkeyPatch, sqlite_url: str):
    """Settings pointed at a fresh SQLite database with every table, and the app's engine running
    in embedded mode (the same workflows, an in-process worker), installed for the services."""
    from sqlmodel import SQLModel

    import bookbug.db  # noqa: F401
    import bookbug.workflows.registered  # noqa: F401 - registers the book workflows
    from bookbug.db.session import get_engine
    from bookbug.engine import Engine, EngineConfig
    from bookbug.services.runtime import use_engine

    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    reset_settings()
    SQLModel.metadata.create_all(get_engine(sqlite_url))
    engine = Engine(EngineConfig(db_url=sqlite_url, queue_name=f"t:{uuid.uuid4().hex[:8]}",
                                 key_prefix=f"t{uuid.uuid4().hex[:8]}", **ENGINE_FAST))
    use_engine(engine)
    async with engine, engine.worker():
        yield engine
    use_engine(None)


def make_user(email: str = "parent@example.com", password: str = "a long enough passphrase"):
    """A registered local user (with settings' database)."""
    from bookbug.services.accounts.registration import register

    return register(email, password, "Parent")
