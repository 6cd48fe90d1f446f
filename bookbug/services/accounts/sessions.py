"""Browser sessions: opening one for a checked user, listing and revoking them.

Who a session token belongs to is the credential store's (`providers/auth/sessions.py`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bookbug.db.accounts import User, UserSession
from bookbug.db.session import session_scope, utcnow
from bookbug.db.types import aware
from bookbug.errors import AccountError
from bookbug.providers.auth.roles import apply_operator_list
from bookbug.providers.auth.sessions import SESSION_LIFETIME, SESSION_TOKEN_PREFIX, session_key
from bookbug.services.accounts.errors import UserNotFound
from bookbug.settings import Settings, get_settings


@dataclass(frozen=True)
class SignedIn:
    """A new browser session: `token` goes into the cookie and is never stored by us."""

    user: User
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class SessionInfo:
    id: str
    user_agent: str
    created_at: datetime
    last_seen_at: datetime | None
    expires_at: datetime


def open_session_in(session: Session, user: User, user_agent: str, settings: Settings) -> SignedIn:
    """Open a browser session for `user` inside the caller's transaction (who they are is checked)."""
    apply_operator_list(session, user, settings)
    token = SESSION_TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    expires_at = now + SESSION_LIFETIME
    record = UserSession(user_id=user.id, token_hash=session_key(token), user_agent=(user_agent or "")[:500],
                         created_at=now, last_seen_at=now, expires_at=expires_at)
    session.add(record)
    session.flush()
    return SignedIn(user=user, token=token, expires_at=aware(expires_at))


def open_session(user_id: str, *, user_agent: str = "", db_url: str | None = None,
                 settings: Settings | None = None) -> SignedIn:
    """A browser session for a user someone else has vouched for (Clerk verified their token)."""
    settings = settings or get_settings()
    with session_scope(db_url) as session:
        user = session.get(User, user_id)
        if user is None:
            raise UserNotFound()
        return open_session_in(session, user, user_agent, settings)


def sign_out(token: str, *, db_url: str | None = None) -> None:
    """Revoke this session (a no-op for an unknown or already revoked token)."""
    if token:
        end_session(session_key(token), db_url=db_url)


def end_session(key: str, *, db_url: str | None = None) -> None:
    """Revoke the session with this key (a no-op for an unknown or already revoked one)."""
    if not key:
        return
    with session_scope(db_url) as session:
        record = session.exec(select(UserSession).where(UserSession.token_hash == key)).first()
        if record is not None and record.revoked_at is None:
            record.revoked_at = utcnow()
            session.add(record)


def revoke_session(user_id: str, session_id: str, *, db_url: str | None = None) -> None:
    """Sign one of your own sessions out (e.g. a lost device)."""
    with session_scope(db_url) as session:
        record = session.get(UserSession, session_id)
        if record is None or record.user_id != user_id:
            raise AccountError("That session does not exist.")
        if record.revoked_at is None:
            record.revoked_at = utcnow()
            session.add(record)


def revoke_all_sessions(user_id: str, *, db_url: str | None = None) -> int:
    """Sign the user out everywhere; returns how many sessions were open."""
    now = utcnow()
    with session_scope(db_url) as session:
        records = session.exec(select(UserSession).where(
            UserSession.user_id == user_id, col(UserSession.revoked_at).is_(None))).all()
        for record in records:
            record.revoked_at = now
            session.add(record)
        return len(records)


def list_sessions(user_id: str, *, db_url: str | None = None) -> list[SessionInfo]:
    """The user's open sessions (not revoked, not expired), most recently used first."""
    now = utcnow()
    with session_scope(db_url) as session:
        records = session.exec(select(UserSession).where(
            UserSession.user_id == user_id, col(UserSession.revoked_at).is_(None))).all()
    infos = [
        SessionInfo(id=r.id, user_agent=r.user_agent, created_at=aware(r.created_at),
                    last_seen_at=aware(r.last_seen_at), expires_at=aware(r.expires_at))
        for r in records
        if r.expires_at is not None and aware(r.expires_at) > now
    ]
    return sorted(infos, key=lambda i: i.last_seen_at or i.created_at, reverse=True)
