"""Signing in with an e-mail and password, checked with the limits on guessing."""

from __future__ import annotations

from sqlmodel import select

from bookbug.db.accounts import User
from bookbug.db.session import session_scope, utcnow
from bookbug.services import sign_in_limits
from bookbug.services.accounts.checks import normalize_email
from bookbug.services.accounts.errors import InvalidEmail, TooManyAttempts, WrongCredentials
from bookbug.services.accounts.passwords import hash_password, needs_rehash, verify_password
from bookbug.services.accounts.sessions import SignedIn, open_session_in
from bookbug.settings import Settings, get_settings


def authenticate_password(email: str, password: str, *, client: str = "", db_url: str | None = None) -> User:
    """The account with this e-mail and password, checked with the limits on guessing; no
    session is opened (the web app then issues a ticket, the API a token). Raises
    WrongCredentials (one message for all), or TooManyAttempts after too many recent attempts
    for this e-mail from `client` (the caller's address, where the door knows it), or from
    `client` across all e-mails."""
    try:
        email = normalize_email(email)
    except InvalidEmail:
        email = ""
    # a malformed address matches no account, so only the client's limit counts it
    attempt = sign_in_limits.start(email or None, client, now=utcnow(), db_url=db_url)
    if isinstance(attempt, sign_in_limits.Refused):
        raise TooManyAttempts(attempt.by_client, attempt.retry_after)
    with session_scope(db_url) as session:
        user = session.exec(select(User).where(User.email == email)).first() if email else None
        # verify even when no user matched, so both failures take the same time
        if not verify_password(user.password_hash if user else None, password) or user is None:
            raise WrongCredentials()
        if needs_rehash(user.password_hash or ""):
            user.password_hash = hash_password(password)
            session.add(user)
    sign_in_limits.succeeded(attempt, db_url=db_url)  # in its own transaction, once the check is done
    return user


def sign_in(email: str, password: str, *, user_agent: str = "", client: str = "", db_url: str | None = None,
            settings: Settings | None = None) -> SignedIn:
    """Check the password (see authenticate_password) and open a session."""
    settings = settings or get_settings()
    user = authenticate_password(email, password, client=client, db_url=db_url)
    with session_scope(db_url) as session:
        fresh = session.get(User, user.id)
        if fresh is None:
            raise WrongCredentials()
        return open_session_in(session, fresh, user_agent, settings)
