"""The steps of deleting an account: everything of the person, in either file store, gone.

Every step finds its work from the deletion's own row (`AccountDeletion`) and the rows still
there, so each is safe to run again after a crash at any point; none returns an id or a name
(a step's output is kept with the run, and the run outlives the account by the retention period).

    close-account   sessions, API tokens and sign-in tickets deleted; no password or Clerk id
                    left to sign in with; every book and export id noted on the deletion
    stop-runs       the engine's runs, steps, waits and events of each book and export forgotten
    delete-files    each book's folder and the user's exports folder, in the configured store
    delete-rows     the user (with their books, chats, pages, predictions and exports), their
                    limit slots and sign-in attempts; their id taken off settings they changed
    final-pass      after a pause, runs and files once more (work in flight may land late)
    close           the deletion's own row
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, delete, select

from bookbug.db import (
    AccountDeletion, ApiToken, AppSetting, Book, BookShare, ChatMessage, DataExport, ImagePrediction, LimitSlot,
    RenderedPage, SignInAttempt, SignInTicket, User, UserSession, session_scope,
)
from bookbug.db.ledger import forget_spender
from bookbug.db.limits import forget_book_slots
from bookbug.providers.auth.roles import FIRST_OPERATOR
from bookbug.providers.storage import book_prefix, export_prefix
from bookbug.workflows.forgetting import forget_subjects
from bookbug.workflows import providers
from bookbug.workflows.values import ClosedAccount, DeletedFiles, DeletedRows, Erased, FinalPass, ForgottenRuns


def _deletion(session: Session, deletion_id: str) -> AccountDeletion:
    deletion = session.get(AccountDeletion, deletion_id)
    if deletion is None:
        raise LookupError(f"account deletion {deletion_id} no longer exists")
    return deletion


def _merge(known: list[Any], found: list[str]) -> list[str]:
    return list(dict.fromkeys([*map(str, known), *found]))


def note_subjects(session: Session, deletion: AccountDeletion) -> dict[str, list[str]]:
    """Every book and export of the user still in the database, added to what the deletion knows."""
    books = list(session.exec(select(Book.id).where(Book.user_id == deletion.user_id)).all())
    exports = list(session.exec(select(DataExport.id).where(DataExport.user_id == deletion.user_id)).all())
    known = dict(deletion.subjects or {})
    subjects = {"books": _merge(known.get("books") or [], books), "exports": _merge(known.get("exports") or [], exports)}
    deletion.subjects = subjects
    session.add(deletion)
    return subjects


def close_account(session: Session, user_id: str) -> int:
    """Nobody can act as the user any more: sessions, tokens and tickets deleted, and neither a
    password nor a Clerk id left to sign in with. Returns how many credentials went."""
    gone = 0
    for table in (UserSession, ApiToken, SignInTicket):
        gone += session.exec(delete(table).where(col(table.user_id) == user_id)).rowcount
    session.exec(update(User).where(col(User.id) == user_id).values(password_hash=None, clerk_id=None))
    return gone


def close(deletion_id: str) -> ClosedAccount:
    with session_scope() as session:
        deletion = _deletion(session, deletion_id)
        gone = close_account(session, deletion.user_id)
        subjects = note_subjects(session, deletion)
    return ClosedAccount(credentials=gone, books=len(subjects["books"]), exports=len(subjects["exports"]))


def _subjects(deletion_id: str) -> tuple[str, dict[str, list[str]]]:
    with session_scope() as session:
        deletion = _deletion(session, deletion_id)
        subjects = note_subjects(session, deletion)
        return deletion.user_id, subjects


async def stop_runs(deletion_id: str) -> ForgottenRuns:
    _, subjects = _subjects(deletion_id)
    return ForgottenRuns(forgotten=await forget_subjects([*subjects["books"], *subjects["exports"]]))


def delete_files(deletion_id: str) -> DeletedFiles:
    user_id, subjects = _subjects(deletion_id)
    files = providers.storage()
    removed = sum(files.delete_prefix(book_prefix(book_id)) for book_id in subjects["books"])
    removed += files.delete_prefix(export_prefix(user_id))
    return DeletedFiles(files=removed)


def delete_rows(deletion_id: str) -> DeletedRows:
    """The user's rows and every row that names them, in one transaction."""
    with session_scope() as session:
        deletion = _deletion(session, deletion_id)
        subjects = note_subjects(session, deletion)
        user_id, books = deletion.user_id, subjects["books"]
        user = session.get(User, user_id)
        removed = 0
        if books:  # explicit, not left to ON DELETE CASCADE: a database without it loses them too
            for table in (ChatMessage, RenderedPage, ImagePrediction):
                removed += session.exec(delete(table).where(col(table.book_id).in_(books))).rowcount
            removed += session.exec(delete(Book).where(col(Book.id).in_(books))).rowcount
        removed += session.exec(delete(DataExport).where(col(DataExport.user_id) == user_id)).rowcount
        close_account(session, user_id)
        removed += session.exec(delete(LimitSlot).where(col(LimitSlot.key) == user_id)).rowcount
        removed += forget_book_slots(session, books)
        removed += session.exec(delete(BookShare).where(col(BookShare.user_id) == user_id)).rowcount
        removed += forget_spender(session, user_id, books)
        if deletion.email_key:
            removed += session.exec(delete(SignInAttempt).where(col(SignInAttempt.email_key) == deletion.email_key)
                                    ).rowcount
        session.exec(update(AppSetting).where(col(AppSetting.updated_by) == user_id).values(updated_by=None))
        if user is not None:
            # the row that says who became the operator first names them by e-mail
            first = session.get(AppSetting, FIRST_OPERATOR)
            if first is not None and first.value == user.email:
                session.delete(first)
            session.delete(user)
            removed += 1
    return DeletedRows(rows=removed)


async def final_pass(deletion_id: str) -> FinalPass:
    """Runs and files of the user's books once more: a step that was already running when its run
    was cancelled may have finished after the first pass."""
    forgotten = await stop_runs(deletion_id)
    files = delete_files(deletion_id)
    return FinalPass(forgotten=forgotten.forgotten, files=files.files)


def finish(deletion_id: str) -> Erased:
    with session_scope() as session:
        deletion = session.get(AccountDeletion, deletion_id)
        if deletion is not None:
            session.delete(deletion)
    return Erased(deleted=True)
