"""Accounts fixtures: a migrated database (SQLite and PostgreSQL), a cheap password hasher, a clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher

from bookbug.db.accounts import User
from bookbug.db.session import utcnow
from bookbug.providers.auth import api_tokens as token_store
from bookbug.providers.auth import roles
from bookbug.providers.auth import sessions as session_store
from bookbug.services.accounts import api_tokens, passwords, sessions, sign_in, tickets
from bookbug.services.accounts.registration import register

# Real argon2 parameters cost ~0.3 s a hash on the CI machine; the rules under test do not
# depend on them (the rehash test sets its own).
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "_hasher", CHEAP_HASHER)


@pytest.fixture
def db(schema_db_url: str) -> str:
    """A database with every table, once on SQLite and once on PostgreSQL."""
    return schema_db_url


@pytest.fixture
def sqlite_db(sqlite_url: str) -> str:
    """SQLite only, for the many input-rule cases whose outcome cannot depend on the database
    (a fresh PostgreSQL database costs about a second per test)."""
    from sqlmodel import SQLModel

    import bookbug.db  # noqa: F401 - registers the tables
    from bookbug.db.session import get_engine

    SQLModel.metadata.create_all(get_engine(sqlite_url))
    return sqlite_url


class Clock:
    """Stands in for `utcnow` inside the accounts service and the credential store below it, so
    expiry is tested without sleeping."""

    def __init__(self) -> None:
        self.now = utcnow()

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    for module in (session_store, token_store, roles, sessions, tickets, api_tokens, sign_in):
        monkeypatch.setattr(module, "utcnow", fake)
    return fake


@pytest.fixture
def make_user(db: str) -> Callable[..., User]:
    counter = iter(range(1, 1000))

    def make(email: str | None = None, password: str = PASSWORD, name: str = "") -> User:
        return register(email or f"person{next(counter)}@example.com", password, name, db_url=db)

    return make
