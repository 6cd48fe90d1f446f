"""Granting and revoking the operator role (`bookbug-admin`), and saying who has it.

Who becomes an operator on their own (OPERATOR_EMAILS, or the first account) is decided in the
credential store, as each user is inserted or found (`providers/auth/roles.py`).
"""

from __future__ import annotations

from sqlmodel import col, select

from bookbug.db.accounts import User
from bookbug.db.session import session_scope
from bookbug.errors import AccountError
from bookbug.providers.auth.roles import OPERATOR, USER
from bookbug.services.accounts.checks import normalize_email
from bookbug.services.accounts.errors import OperatorListDecides, UserNotFound
from bookbug.settings import Settings, get_settings


def set_role(email: str, role: str, *, db_url: str | None = None, settings: Settings | None = None) -> User:
    """Make the account with this e-mail an operator (or a plain user again): `bookbug-admin`.
    Refused while OPERATOR_EMAILS is set, since that list would undo it at the next sign-in."""
    settings = settings or get_settings()
    if role not in (OPERATOR, USER):
        raise AccountError(f"A role is {OPERATOR!r} or {USER!r}.", field="role")
    if settings.operator_emails:
        raise OperatorListDecides()
    address = normalize_email(email)
    with session_scope(db_url) as session:
        user = session.exec(select(User).where(User.email == address)).first()
        if user is None:
            raise UserNotFound(f"There is no account with the e-mail {address}.")
        user.role = role
        session.add(user)
        return user


def operator_emails(*, db_url: str | None = None) -> list[str]:
    """The e-mails of the accounts that are operators now, in the order they were created."""
    with session_scope(db_url) as session:
        return list(session.exec(select(User.email).where(User.role == OPERATOR).order_by(col(User.created_at))).all())


def operators_summary(*, db_url: str | None = None, settings: Settings | None = None) -> str:
    """One line for the start-up log: who the operators are, and how that was decided."""
    settings = settings or get_settings()
    if settings.operator_emails:
        return f"Operators (OPERATOR_EMAILS): {', '.join(settings.operator_emails)}."
    current = operator_emails(db_url=db_url)
    if not current:
        return ("No operator yet: the first account registered becomes the operator "
                "(or set OPERATOR_EMAILS, or run `bookbug-admin grant EMAIL`).")
    return (f"Operator{'s' if len(current) > 1 else ''}: {', '.join(current)} (the first account registered, "
            "and any granted with `bookbug-admin grant EMAIL`; `bookbug-admin revoke EMAIL` takes it away).")
