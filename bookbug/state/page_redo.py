"""Redoing one page from the reader: where each page stands, and the sentences that say so.

The book's latest redo (services.views.RedoView) has a phase: drawing the new version,
deciding (the new version waits beside the old one), finishing (the choice is being settled
and the PDF rebuilt) or failed. The reader turns that, for the page on screen, into one mode.
"""

from __future__ import annotations

from bookbug.services.page_work import redo_busy_message
from bookbug.views import RedoView
from bookbug.state.rows import PageRow

BUSY_PHASES = ("drawing", "deciding", "finishing")  # a redo of this book is in flight


def reader_mode(page: PageRow, redo_page: int, redo_phase: str) -> str:
    """What the reader shows for `page`: drawing, deciding, saving, failed, or "" (just the page)."""
    this_page = page.number > 0 and page.number == redo_page
    if this_page and redo_phase in ("drawing", "failed"):
        return redo_phase
    if this_page and redo_phase == "finishing":
        return "saving" if page.pending else ""  # once settled, the kept version is simply the page
    return "deciding" if page.pending else ""


def busy(redo_phase: str, pages: list[PageRow]) -> bool:
    return redo_phase in BUSY_PHASES or any(page.pending for page in pages)


def busy_sentence(redo_page: int, redo_phase: str, pages: list[PageRow]) -> str:
    """Why no page can be redone right now ("" when one can), in the service's own words."""
    if redo_phase in BUSY_PHASES:
        return redo_busy_message(RedoView(page=redo_page, phase=redo_phase))  # type: ignore[arg-type]  # one of BUSY_PHASES, which are RedoView's phases
    waiting = next((page.number for page in pages if page.pending), 0)
    return redo_busy_message(RedoView(page=waiting, phase="deciding")) if waiting else ""


def elsewhere(redo_page: int, redo_phase: str, pages: list[PageRow], shown: int) -> tuple[int, str]:
    """The page, and a line about it, when a redo concerns another page than the one shown."""
    waiting = next((page.number for page in pages if page.pending and page.number != shown), 0)
    if redo_phase == "drawing" and redo_page != shown:
        return redo_page, f"Page {redo_page} is being redrawn."
    if waiting and not (redo_phase == "finishing" and redo_page == waiting):
        return waiting, f"Page {waiting} has a new version waiting for your choice."
    return 0, ""
