"""Who a personal API token belongs to. Creating, listing and revoking tokens is the accounts
service's (`services/accounts/api_tokens.py`); this is the lookup every door makes."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bookbug.db.accounts import ApiToken, User
from bookbug.db.session import session_scope, utcnow
from bookbug.db.types import aware
from bookbug.providers.auth.hashing import hash_token
from bookbug.providers.auth.roles import apply_operator_list
from bookbug.settings import Settings, get_settings

API_TOKEN_PREFIX = "bb_"
# A token's last use is written at most this often, not on every request.
TOKEN_TOUCH_EVERY = timedelta(minutes=1)


def is_api_token(token: str) -> bool:
    return bool(token) and token.startswith(API_TOKEN_PREFIX)


def user_for_api_token(token: str, *, db_url: str | None = None, settings: Settings | None = None) -> User | None:
    """The token's owner, or None for an unknown, revoked or expired token."""
    if not is_api_token(token):
        return None
    settings = settings or get_settings()
    now = utcnow()
    with session_scope(db_url) as session:
        record = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).first()
        if record is None or record.revoked_at is not None:
            return None
        expires_at = aware(record.expires_at)
        if expires_at is not None and expires_at <= now:
            return None
        user = session.get(User, record.user_id)
        if user is None:
            return None
        last_used = aware(record.last_used_at)
        if last_used is None or now - last_used >= TOKEN_TOUCH_EVERY:
            record.last_used_at = now
            session.add(record)
        apply_operator_list(session, user, settings)
        return user
