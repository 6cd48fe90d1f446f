"""Sign-in tickets: a checked sign-in, collected by the browser as an HttpOnly cookie."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import Table, update
from sqlmodel import col, delete

from bookbug.db.accounts import SignInTicket, User
from bookbug.db.session import session_scope, utcnow
from bookbug.providers.auth.hashing import hash_token
from bookbug.services.accounts.sessions import SignedIn, open_session_in
from bookbug.settings import Settings, get_settings

TICKET_LIFETIME = timedelta(minutes=1)
TICKET_PREFIX = "bbt_"


def issue_ticket(user_id: str, *, db_url: str | None = None) -> str:
    """A one-time ticket the browser trades for a session cookie at POST /api/auth/session.

    Who the user is has been checked already (a password, a Clerk token); the ticket only
    carries that to an HTTP response, the one place that can set an HttpOnly cookie."""
    ticket = TICKET_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    with session_scope(db_url) as session:
        session.exec(delete(SignInTicket).where(col(SignInTicket.expires_at) < now - TICKET_LIFETIME))
        session.add(SignInTicket(user_id=user_id, ticket_hash=hash_token(ticket), created_at=now,
                                 expires_at=now + TICKET_LIFETIME))
    return ticket


def redeem_ticket(ticket: str, *, user_agent: str = "", db_url: str | None = None,
                  settings: Settings | None = None) -> SignedIn | None:
    """Open the session a ticket stands for, or None for an unknown, used or expired ticket.
    Redeeming is one conditional write, so a ticket opens one session however often it is sent."""
    if not ticket or not ticket.startswith(TICKET_PREFIX) or len(ticket) > 100:
        return None
    settings = settings or get_settings()
    now = utcnow()
    with session_scope(db_url) as session:
        table: Table = SignInTicket.__table__  # type: ignore[attr-defined]  # SQLModel sets __table__ on table classes without declaring it
        used = session.execute(
            update(table)
            .where(table.c.ticket_hash == hash_token(ticket), table.c.used_at.is_(None), table.c.expires_at > now)
            .values(used_at=now)
            .returning(table.c.user_id)).first()
        if used is None:
            return None
        user = session.get(User, used.user_id)
        if user is None:
            return None
        return open_session_in(session, user, user_agent, settings)
