"""Who is an operator: the accounts in OPERATOR_EMAILS when that is set, else the first account
registered (and any granted since with `bookbug-admin grant EMAIL`)."""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from bookbug.db.accounts import User
from bookbug.db.app_settings import AppSetting
from bookbug.db.session import session_scope, utcnow
from bookbug.settings import Settings

log = logging.getLogger(__name__)

OPERATOR = "operator"
USER = "user"
FIRST_OPERATOR = "first_operator"  # the app_settings row that records who became operator first


def _nobody_yet(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(User)).one() == 0


def insert_user(user: User, settings: Settings, db_url: str | None) -> User:
    """Insert a new user (raises IntegrityError when its e-mail or Clerk id was taken meanwhile).

    With operators listed in OPERATOR_EMAILS, the list decides. Otherwise the first account
    becomes the operator: its transaction also inserts the FIRST_OPERATOR row, whose fixed key
    the database lets only one transaction insert, so of two first registrations at the same
    moment one wins and the other is inserted again as a plain user."""
    for may_be_first in (True, False):
        first = False
        try:
            with session_scope(db_url) as session:
                first = may_be_first and not settings.operator_emails and _nobody_yet(session)
                listed = user.email in settings.operator_emails
                user.role = OPERATOR if first or listed else USER
                session.add(user)
                if first:
                    session.add(AppSetting(key=FIRST_OPERATOR, value=user.email, updated_by=user.id,
                                           updated_at=utcnow()))
                session.flush()
            if first:
                log.warning("%s is the operator: the first account on a site without OPERATOR_EMAILS "
                            "(`bookbug-admin grant EMAIL` / `revoke EMAIL` changes who)", user.email)
            return user
        except IntegrityError:
            if not first:
                raise
    raise AssertionError("unreachable: the second pass never claims the operator role")


def apply_operator_list(session: Session, user: User, settings: Settings) -> None:
    """When operators are listed, the list alone decides, so editing it needs no data change."""
    if not settings.operator_emails:
        return
    wanted = OPERATOR if user.email in settings.operator_emails else USER
    if user.role != wanted:
        user.role = wanted
        session.add(user)
