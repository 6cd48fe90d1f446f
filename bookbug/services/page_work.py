"""Where the work on a finished book's pages stands: its latest page redo and its latest hand edit.

The book view shows it, the live stream follows it, and the redo and edit rules refuse to start
one while the other is still going on.
"""

from __future__ import annotations

from sqlmodel import Session, select

from bookbug.db import RenderedPage, session_scope
from bookbug.engine import RunStatus, RunView, latest_run, received
from bookbug.services.owned import owned_book
from bookbug.settings import get_settings
from bookbug.views import EditView, RedoView
from bookbug.workflows import names

ACTIVE_RUN = (RunStatus.queued.value, RunStatus.running.value, RunStatus.waiting.value)
REDO_IN_FLIGHT = ("drawing", "deciding", "finishing")


def _redo_run(book_id: str) -> RunView | None:
    return latest_run(get_settings().db_url, book_id, names.REDO_PAGE)


def latest_redo(session: Session, book_id: str) -> RedoView | None:
    """Where the book's latest page redo stands; None once it finished (or when there was none),
    and once the owner put away the message of one that failed."""
    return latest_redo_run(session, book_id)[1]


def latest_redo_run(session: Session, book_id: str) -> tuple[RunView | None, RedoView | None]:
    """The book's latest redo run, and where it stands (see latest_redo)."""
    run = _redo_run(book_id)
    if run is None or run.status in (RunStatus.completed.value, RunStatus.cancelled.value):
        return run, None
    number = int((run.event_data or {}).get("page") or 0)
    row = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id,
                                                  RenderedPage.page_number == number)).first()
    if run.status == RunStatus.failed.value:
        # the redo recorded why in plain words (the run keeps the technical reason)
        failure = row.redo_failure if row is not None else None
        return run, (RedoView(page=number, phase="failed", error=failure) if failure else None)
    if received(get_settings().db_url, run.id, names.PAGE_DECIDED):
        return run, RedoView(page=number, phase="finishing")
    return run, RedoView(page=number, phase="deciding" if row is not None and row.previous_key else "drawing")


def redo_in_flight(user_id: str, book_id: str) -> tuple[str, str] | None:
    """The book's page redo still going on, as (its run id, its phase), or None."""
    with session_scope() as session:
        owned_book(session, user_id, book_id)
        run, redo = latest_redo_run(session, book_id)
        if run is None or redo is None or redo.phase not in REDO_IN_FLIGHT:
            return None
        return run.id, redo.phase


def latest_edit(book_id: str) -> EditView | None:
    """The book's latest hand edit of a page while it is saved, or when it failed; else None."""
    run = latest_run(get_settings().db_url, book_id, names.EDIT_PAGE)
    if run is None or run.status in (RunStatus.completed.value, RunStatus.cancelled.value):
        return None
    number = int((run.event_data or {}).get("page") or 0)
    if run.status == RunStatus.failed.value:
        return EditView(page=number, phase="failed",
                        error=f"Your new words for page {number} could not be saved; the page is as it was. "
                              "Try again in a while.")
    return EditView(page=number, phase="saving") if run.status in ACTIVE_RUN else None


def redo_busy_message(redo: RedoView) -> str:
    """Why no page of the book can be redone while `redo` is in flight."""
    if redo.phase == "deciding":
        return f"Page {redo.page} has a new version waiting: keep it or go back first."
    if redo.phase == "finishing":
        return f"Your choice for page {redo.page} is being saved; try again in a moment."
    return f"Page {redo.page} is being redrawn; wait for it before redoing another page."
