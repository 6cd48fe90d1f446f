"""Personal API tokens: creating (the plaintext shown once), listing and revoking them.

Who a token belongs to is the credential store's (`providers/auth/api_tokens.py`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select

from bookbug.db.accounts import ApiToken, User
from bookbug.db.session import session_scope, utcnow
from bookbug.db.types import aware
from bookbug.errors import AccountError
from bookbug.providers.auth.api_tokens import API_TOKEN_PREFIX
from bookbug.providers.auth.hashing import hash_token
from bookbug.services.accounts.checks import clean_name
from bookbug.services.accounts.errors import InvalidExpiry, TokenNotFound, UserNotFound

_API_DISPLAY_CHARS = 6  # random characters kept after the prefix so a user can tell tokens apart


@dataclass(frozen=True)
class NewApiToken:
    """A created API token. `token` is the only time its plaintext exists: show it once."""

    id: str
    name: str
    prefix: str
    token: str
    expires_at: datetime | None


@dataclass(frozen=True)
class ApiTokenInfo:
    id: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    expired: bool


def create_api_token(user_id: str, name: str, *, expires_in: timedelta | None = None,
                     db_url: str | None = None) -> NewApiToken:
    """Make a personal API token. Its plaintext is in the result and nowhere else, ever."""
    name = " ".join((name or "").split())
    if not name:
        raise AccountError("Give the token a name so you can recognise it later.", field="name")
    name = clean_name(name, fallback="", field="name")
    if expires_in is not None and expires_in < timedelta(minutes=1):
        raise InvalidExpiry()
    secret = secrets.token_urlsafe(32)
    token = API_TOKEN_PREFIX + secret
    now = utcnow()
    with session_scope(db_url) as session:
        if session.get(User, user_id) is None:
            raise UserNotFound()
        record = ApiToken(user_id=user_id, name=name, token_hash=hash_token(token),
                          prefix=API_TOKEN_PREFIX + secret[:_API_DISPLAY_CHARS], created_at=now,
                          expires_at=now + expires_in if expires_in is not None else None)
        session.add(record)
        session.flush()
        return NewApiToken(id=record.id, name=record.name, prefix=record.prefix, token=token,
                           expires_at=record.expires_at)


def list_api_tokens(user_id: str, *, db_url: str | None = None) -> list[ApiTokenInfo]:
    """The user's tokens that are not revoked (expired ones included, marked), newest first."""
    now = utcnow()
    with session_scope(db_url) as session:
        records = session.exec(select(ApiToken).where(
            ApiToken.user_id == user_id, col(ApiToken.revoked_at).is_(None))).all()
    infos = []
    for r in records:
        expires_at = aware(r.expires_at)
        infos.append(ApiTokenInfo(id=r.id, name=r.name, prefix=r.prefix, created_at=aware(r.created_at),
                                  last_used_at=aware(r.last_used_at), expires_at=expires_at,
                                  expired=expires_at is not None and expires_at <= now))
    return sorted(infos, key=lambda i: i.created_at, reverse=True)


def revoke_api_token(user_id: str, token_id: str, *, db_url: str | None = None) -> None:
    """Revoke one of the user's own tokens; anyone else's is TokenNotFound, like a missing one."""
    with session_scope(db_url) as session:
        record = session.get(ApiToken, token_id)
        if record is None or record.user_id != user_id:
            raise TokenNotFound()
        if record.revoked_at is None:
            record.revoked_at = utcnow()
            session.add(record)
