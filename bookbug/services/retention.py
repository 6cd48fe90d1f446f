"""What Bookbug keeps, and for how long, carried out every hour by every app process.

- Drafts abandoned for longer than the operators' "Days to keep abandoned drafts" (default 30)
  are deleted with their chat, runs, events and files: a book whose conversation never reached
  an approved plot and has not moved since.
- Ready data exports are deleted with their zip when they expire (7 days after they were made).
- An account deletion whose workflow never started (the process stopped between noting it and
  sending its event) is started again.
Finished runs and the events that carried chat text are the engine's own (run_retention_days,
see bookbug/engine/retention.py). Every task here is idempotent, so app processes doing it at
the same time only repeat each other.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import col, select

from bookbug.db import AccountDeletion, Book, BookStatus, DataExport, ExportStatus, session_scope, utcnow
from bookbug.engine import latest_run
from bookbug.config import app_config
from bookbug.services.books import erase_book
from bookbug.services.runtime import started_engine
from bookbug.settings import get_settings
from bookbug.workflows import names

log = logging.getLogger(__name__)

DRAFTS = (BookStatus.draft.value, BookStatus.intake.value, BookStatus.plot.value, BookStatus.abandoned.value)
BATCH = 100
EVERY = 3600.0  # seconds between two tidy-ups of one process
DELETION_GRACE = timedelta(minutes=5)  # a deletion this old without a run was never started


def abandoned_drafts(days: int, *, limit: int = BATCH) -> list[str]:
    """Books that never got past the conversation and have not moved for `days` days."""
    before = utcnow() - timedelta(days=days)
    with session_scope() as session:
        last_moved = func.coalesce(Book.updated_at, Book.created_at)
        return list(session.exec(select(Book.id).where(col(Book.status).in_(DRAFTS), last_moved < before)
                                 .order_by(last_moved).limit(limit)).all())


async def delete_abandoned_drafts(days: int | None = None) -> int:
    """Delete drafts abandoned for longer than `days` (the operators' setting by default)."""
    days = days if days is not None else app_config.current().draft_retention_days
    deleted = 0
    while drafts := abandoned_drafts(days):
        for book_id in drafts:
            await erase_book(book_id)
        deleted += len(drafts)
        if len(drafts) < BATCH:
            break
    return deleted


def _expired_exports() -> list[tuple[str, str | None]]:
    with session_scope() as session:
        rows = session.exec(select(DataExport.id, DataExport.storage_key).where(
            DataExport.status == ExportStatus.ready.value, col(DataExport.expires_at) < utcnow()).limit(BATCH)).all()
        return [(row[0], row[1]) for row in rows]


def delete_expired_exports() -> int:
    """Ready exports past their day: the zip and the row."""
    from bookbug.providers.storage import get_storage

    expired = _expired_exports()
    for export_id, key in expired:
        if key:
            get_storage().delete(key)
        with session_scope() as session:
            export = session.get(DataExport, export_id)
            if export is not None:
                session.delete(export)
    return len(expired)


async def resume_deletions() -> int:
    """Account deletions noted but never started: their event is sent again (same id, so once)."""
    db = get_settings().db_url
    with session_scope() as session:
        waiting = list(session.exec(select(AccountDeletion.id).where(
            col(AccountDeletion.requested_at) < utcnow() - DELETION_GRACE)).all())
    resumed = 0
    for deletion_id in waiting:
        if latest_run(db, deletion_id, names.DELETE_ACCOUNT) is None:
            engine = await started_engine()
            await engine.send_event(names.ACCOUNT_DELETE, {"deletion_id": deletion_id},
                                    id=f"account-deletion:{deletion_id}")
            resumed += 1
    return resumed


async def tidy() -> dict[str, int]:
    return {"drafts": await delete_abandoned_drafts(), "exports": await asyncio.to_thread(delete_expired_exports),
            "deletions": await resume_deletions()}


async def keep_tidy(every: float = EVERY) -> None:
    """Tidy up now and then every `every` seconds, until cancelled (the app's lifespan)."""
    while True:
        try:
            done = await tidy()
            if any(done.values()):
                log.info("tidied up: %s abandoned drafts, %s expired exports, %s account deletions restarted",
                         done["drafts"], done["exports"], done["deletions"])
        except Exception:  # the next round tries again
            log.exception("tidying up failed")
        await asyncio.sleep(every)
