"""Which of our users a Clerk user id is: the mapping looked up, or made on first sight.

Verifying the Clerk token that carries the id is `clerk.py`'s; this is only the users table.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bookbug.db.accounts import User
from bookbug.db.session import session_scope
from bookbug.errors import AccountError
from bookbug.providers.auth.profile import MAX_NAME_LENGTH, clean_email
from bookbug.providers.auth.roles import apply_operator_list, insert_user
from bookbug.safety import text_rules
from bookbug.settings import Settings, get_settings

log = logging.getLogger(__name__)

CLERK_PLACEHOLDER_DOMAIN = "users.clerk.invalid"  # .invalid can never be a real mailbox


def clerk_placeholder_email(clerk_id: str) -> str:
    return f"{clerk_id.lower()}@{CLERK_PLACEHOLDER_DOMAIN}"


def user_for_clerk_id(clerk_id: str, *, email: str | None = None, db_url: str | None = None,
                      settings: Settings | None = None) -> User | None:
    """The user mapped to this Clerk user id, or None on first sight. A placeholder e-mail is
    replaced when a verified session token finally carries the real one."""
    settings = settings or get_settings()
    with session_scope(db_url) as session:
        user = session.exec(select(User).where(User.clerk_id == clerk_id)).first()
        if user is None:
            return None
        if email and user.email.endswith("@" + CLERK_PLACEHOLDER_DOMAIN):
            _replace_email_if_free(session, user, email)
        apply_operator_list(session, user, settings)
        return user


def _replace_email_if_free(session: Session, user: User, email: str) -> None:
    address = clean_email(email)
    if address is None:
        return
    if session.exec(select(User.id).where(User.email == address)).first() is None:
        user.email = address
        session.add(user)


def create_clerk_user(clerk_id: str, *, email: str | None, display_name: str = "", db_url: str | None = None,
                      settings: Settings | None = None) -> User:
    """Map a Clerk user to a new row (or the existing one when another request got there first).

    An e-mail that is missing, malformed or already used by another account becomes a
    placeholder: accounts are never merged by e-mail, since we cannot tell here whether Clerk
    verified the address.
    """
    settings = settings or get_settings()
    placeholder = clerk_placeholder_email(clerk_id)
    address = clean_email(email) or placeholder
    name = " ".join((display_name or "").split())[:MAX_NAME_LENGTH]
    if text_rules.unusable_character(name):
        name = ""  # Clerk's name is only a label; without it the e-mail's first part is used
    for candidate in dict.fromkeys([address, placeholder]):
        existing = user_for_clerk_id(clerk_id, email=email, db_url=db_url, settings=settings)
        if existing is not None:
            return existing
        with session_scope(db_url) as session:
            if session.exec(select(User.id).where(User.email == candidate)).first() is not None:
                log.warning("Clerk user %s has an e-mail another account uses; giving it a placeholder", clerk_id)
                continue
        try:
            return insert_user(User(email=candidate, display_name=name or candidate.split("@", 1)[0],
                                    clerk_id=clerk_id), settings, db_url)
        except IntegrityError:
            continue  # a concurrent request mapped this Clerk user or took the e-mail: look again
    existing = user_for_clerk_id(clerk_id, db_url=db_url, settings=settings)
    if existing is None:
        raise AccountError("We could not set up your account. Please try again.")
    return existing
