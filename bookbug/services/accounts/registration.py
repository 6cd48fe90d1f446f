"""Creating a local account: an e-mail, a password and an optional name."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bookbug.db.accounts import User
from bookbug.db.session import session_scope
from bookbug.providers.auth.roles import insert_user
from bookbug.services import slots
from bookbug.services.accounts.checks import check_password_rules, clean_name, normalize_email
from bookbug.services.accounts.errors import EmailTaken, TooManyRegistrations
from bookbug.services.accounts.passwords import hash_password
from bookbug.settings import Settings, get_settings

REGISTRATIONS = "register"  # the limit kind of registrations per address (services/slots.py)


def register(email: str, password: str, display_name: str = "", *, client: str = "", db_url: str | None = None,
             settings: Settings | None = None) -> User:
    """Create a local account. Raises InvalidEmail, WeakPassword, InvalidName, EmailTaken, or
    TooManyRegistrations when `client` (the caller's address, where the door knows it) has
    registered REGISTRATIONS_PER_ADDRESS accounts in the last hour: each one costs an argon2
    hash, so an address cannot make the server hash without end."""
    settings = settings or get_settings()
    email = normalize_email(email)
    check_password_rules(password, email)
    name = clean_name(display_name, fallback=email.split("@", 1)[0])
    if client:
        taken = slots.take(REGISTRATIONS, client[:200], settings.registrations_per_address, timedelta(hours=1),
                           db_url=db_url)
        if isinstance(taken, slots.Full):
            raise TooManyRegistrations(taken.retry_after)
    password_hash = hash_password(password)
    with session_scope(db_url) as session:
        if session.exec(select(User.id).where(User.email == email)).first() is not None:
            raise EmailTaken()
    try:
        return insert_user(User(email=email, display_name=name, password_hash=password_hash), settings, db_url)
    except IntegrityError as exc:  # a concurrent registration won the race for this e-mail
        raise EmailTaken() from exc
