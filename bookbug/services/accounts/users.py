"""A user by id, for pages and tests that hold only the id."""

from __future__ import annotations

from bookbug.db.accounts import User
from bookbug.db.session import session_scope


def get_user(user_id: str, *, db_url: str | None = None) -> User | None:
    with session_scope(db_url) as session:
        return session.get(User, user_id)
