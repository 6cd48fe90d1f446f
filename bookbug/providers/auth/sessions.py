"""Who a browser session belongs to: its token (the cookie) or its key (what is stored instead).

Opening, listing and revoking sessions is the accounts service's (`services/accounts/sessions.py`);
this is the lookup every door makes, so it sits below the services.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from bookbug.db.accounts import User, UserSession
from bookbug.db.session import session_scope, utcnow
from bookbug.db.types import aware
from bookbug.providers.auth.hashing import hash_token
from bookbug.providers.auth.roles import apply_operator_list
from bookbug.settings import Settings, get_settings

SESSION_TOKEN_PREFIX = "bbs_"
SESSION_LIFETIME = timedelta(days=30)
# Sliding expiry writes at most this often per session, not on every request.
SESSION_TOUCH_EVERY = timedelta(minutes=5)

_SESSION_KEY = re.compile(r"^[0-9a-f]{64}$")


def is_session_token(token: str) -> bool:
    return token.startswith(SESSION_TOKEN_PREFIX)


def session_key(token: str) -> str:
    """The session's key: what is stored in place of its token, and what the web app's socket
    carries in place of the cookie (it finds the session, but is no credential: no door takes it)."""
    return hash_token(token)


def user_for_session(token: str, *, db_url: str | None = None, settings: Settings | None = None) -> User | None:
    """The signed-in user, or None for an unknown, revoked or expired session token.
    Each use (at most every few minutes) pushes the expiry SESSION_LIFETIME into the future."""
    if not token or not token.startswith(SESSION_TOKEN_PREFIX):
        return None
    return user_for_session_key(session_key(token), db_url=db_url, settings=settings)


def user_for_session_key(key: str, *, db_url: str | None = None, settings: Settings | None = None) -> User | None:
    """`user_for_session`, given the session's key rather than its token."""
    if not key or not _SESSION_KEY.match(key):
        return None
    settings = settings or get_settings()
    now = utcnow()
    with session_scope(db_url) as session:
        record = session.exec(select(UserSession).where(UserSession.token_hash == key)).first()
        if record is None or record.revoked_at is not None:
            return None
        expires_at = aware(record.expires_at)
        if expires_at is None or expires_at <= now:
            return None
        user = session.get(User, record.user_id)
        if user is None:
            return None
        last_seen = aware(record.last_seen_at)
        if last_seen is None or now - last_seen >= SESSION_TOUCH_EVERY:
            record.last_seen_at = now
            record.expires_at = now + SESSION_LIFETIME
            session.add(record)
        apply_operator_list(session, user, settings)
        return user
