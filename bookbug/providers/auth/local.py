"""Local accounts: Bookbug's own session tokens (browser cookies) and personal API tokens."""

from __future__ import annotations

from bookbug.db.accounts import User
from bookbug.services import accounts
from bookbug.settings import Settings, get_settings


class LocalAuth:
    name = "local"

    def __init__(self, settings: Settings | None = None, *, db_url: str | None = None) -> None:
        self._settings = settings or get_settings()
        self._db_url = db_url

    def authenticate(self, token: str) -> User | None:
        if accounts.is_api_token(token):
            return accounts.user_for_api_token(token, db_url=self._db_url, settings=self._settings)
        return accounts.user_for_session(token, db_url=self._db_url, settings=self._settings)
