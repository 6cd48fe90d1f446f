"""A family's data is theirs: download all of it, or delete all of it.

`request_export` starts "Download my data" (a zip of every book, chat and the account record,
prepared by the export-data workflow, with progress); `request_account_deletion` starts the
delete-account workflow, after signing the person out everywhere at once. Like every service
function, each answers only for the caller's own data.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from bookbug.db import AccountDeletion, ApiToken, DataExport, ExportStatus, SignInTicket, User, UserSession, session_scope, utcnow
from bookbug.errors import InvalidInput, NotFound, ServiceError
from bookbug.services.runtime import started_engine
from bookbug.services.sign_in_limits import email_key
from bookbug.views import ExportView
from bookbug.workflows import names

CONFIRM_PHRASE = "delete my account"
EXPORTS_LISTED = 10


# -- download my data ------------------------------------------------------------------------------

def _owned_export(session: Session, user_id: str, export_id: str) -> DataExport:
    export = session.get(DataExport, export_id) if export_id else None
    if export is None or export.user_id != user_id:
        raise NotFound("export")
    return export


async def request_export(user_id: str) -> ExportView:
    """Start preparing a zip of everything the user has; one at a time (asking again while one is
    being prepared answers with that one)."""
    with session_scope() as session:
        if session.get(User, user_id) is None:
            raise NotFound("account")
        export = session.exec(select(DataExport).where(DataExport.user_id == user_id,
                                                       DataExport.status == ExportStatus.preparing.value)).first()
        fresh = export is None
        if export is None:
            export = DataExport(user_id=user_id)
            session.add(export)
            session.flush()
        view = ExportView.of(export)
    if fresh:
        engine = await started_engine()
        await engine.send_event(names.EXPORT_REQUESTED, {"export_id": view.id}, id=f"export:{view.id}")
    return view


def list_exports(user_id: str) -> list[ExportView]:
    """The user's latest exports, newest first."""
    with session_scope() as session:
        exports = session.exec(select(DataExport).where(DataExport.user_id == user_id)
                               .order_by(col(DataExport.created_at).desc()).limit(EXPORTS_LISTED)).all()
        return [ExportView.of(export) for export in exports]


def get_export(user_id: str, export_id: str) -> ExportView:
    with session_scope() as session:
        return ExportView.of(_owned_export(session, user_id, export_id))


class ExportNotReady(ServiceError):
    """One's own export that has no zip (yet, or any more)."""

    code = "not_found"
    status = 404


@dataclass(frozen=True)
class ExportFile:
    key: str
    filename: str


def export_file(user_id: str, export_id: str) -> ExportFile:
    """The ready zip of one of the user's exports (ExportNotReady before it is ready)."""
    with session_scope() as session:
        export = _owned_export(session, user_id, export_id)
        if export.status != ExportStatus.ready.value or not export.storage_key:
            raise ExportNotReady("This export is not ready yet: wait for it, or prepare a new one if it failed.")
        return ExportFile(export.storage_key, f"bookbug-export-{export.created_at:%Y-%m-%d}.zip")


# -- delete my account -----------------------------------------------------------------------------

def _close_at_once(user_id: str) -> str:
    """Sign the user out everywhere and note the deletion, in one transaction; returns its id."""
    with session_scope() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("account")
        deletion = session.exec(select(AccountDeletion).where(AccountDeletion.user_id == user_id)).first()
        if deletion is None:
            deletion = AccountDeletion(user_id=user_id, email_key=email_key(user.email), subjects={}, requested_at=utcnow())
            session.add(deletion)
        for table in (UserSession, ApiToken, SignInTicket):
            session.exec(delete(table).where(col(table.user_id) == user_id))
        user.password_hash, user.clerk_id = None, None
        session.add(user)
        session.flush()
        return deletion.id


async def request_account_deletion(user_id: str, confirm: str | None) -> None:
    """Delete the account and everything of it. `confirm` must be the phrase "delete my account".

    The user is signed out everywhere at once (every session and API token deleted, nothing left
    to sign in with); the rest is deleted by the delete-account workflow, which survives crashes."""
    if " ".join((confirm or "").lower().split()) != CONFIRM_PHRASE:
        raise InvalidInput(f'To delete your account and all your books, type "{CONFIRM_PHRASE}".', field="confirm")
    deletion_id = await asyncio.to_thread(_close_at_once, user_id)
    engine = await started_engine()
    await engine.send_event(names.ACCOUNT_DELETE, {"deletion_id": deletion_id}, id=f"account-deletion:{deletion_id}")
