"""The one auth-provider protocol: a request's token in, the signed-in user (or None) out."""

from __future__ import annotations

from typing import Protocol

from bookbug.db.accounts import User


class AuthProvider(Protocol):
    name: str

    def authenticate(self, token: str) -> User | None:
        """The user behind a bearer token or session-cookie value; None when the token is
        missing, malformed, unknown, expired or revoked. Never raises for a bad token.
        Synchronous (it reads the database): async callers run it in a thread."""
        ...


def bearer_token(authorization: str | None) -> str:
    """The token in an `Authorization: Bearer <token>` header, or "" when there is none."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return token.strip()
