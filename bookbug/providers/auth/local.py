"""Local accounts: Bookbug's own session tokens (browser cookies) and personal API tokens."""

from __future__ import annotations

from bookbug.db.accounts import User
from bookbug.providers.auth.api_tokens import is_api_token, user_for_api_token
from bookbug.providers.auth.sessions import user_for_session
from bookbug.settings import Settings, get_settings


class LocalAuth:
    name = "local"

    def __init__(self, settings: Settings | None = None, *, db_url: str | None = None) -> None:
        self._settings = settings or get_settings()
        self._db_url = db_url

    def authenticate(self, token: str) -> User | None:
        if is_api_token(token):
            return user_for_api_token(token, db_url=self._db_url, settings=self._settings)
        return user_for_session(token, db_url=self._db_url, settings=self._settings)
