"""Why something failed, in words a parent understands, chosen by the failure's kind.

The engine classifies every failure once, where it happens, and stores its structure (kind,
service, status, detail) with the step and the run. People see one plain sentence picked by
the kind; the technical detail stays on the run for operators (the jobs dashboard).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bookbug.resilience.errors import FailureKind

CAUSES: dict[FailureKind, str] = {
    "rate_limited": "the illustration and writing services were too busy for too long",
    "overloaded": "the illustration and writing services were too busy for too long",
    "auth": "a service we rely on refused our key, and the people who run Bookbug need to fix that",
    "bad_request": "a service we rely on could not take our request",
    "content_refused": "the illustration service would not draw this page, even after we softened the request",
    "invalid_reply": "the writing service kept answering in a form we could not use",
    "timeout": "a service we rely on did not answer in time",
    "internal": "something went wrong on our side",
}
RETRY_MAY_HELP = {"rate_limited", "overloaded", "timeout", "invalid_reply", "internal"}
# Where the service says more than the kind: our own page review refusing a page's words.
SERVICE_CAUSES: dict[tuple[FailureKind, str], str] = {
    ("content_refused", "review"): "the words written for a page were not right for young children, even after "
                                   "a rewrite",
}


def kind_of(failure: Mapping[str, Any] | None) -> FailureKind:
    kind = (failure or {}).get("kind")
    return kind if kind in CAUSES else "internal"


def cause(failure: Mapping[str, Any] | None) -> str:
    """The failure's cause as a clause ("a service we rely on did not answer in time")."""
    kind = kind_of(failure)
    return SERVICE_CAUSES.get((kind, str((failure or {}).get("service"))), CAUSES[kind])


def book_failure(failure: Mapping[str, Any] | None) -> str:
    """What the reader, the REST API and the CLI say about a book whose making failed."""
    kind = kind_of(failure)
    advice = " Your finished pages are kept: Retry carries on from where it stopped." if kind in RETRY_MAY_HELP \
        else " Your finished pages are kept."
    if kind == "content_refused":
        advice += " Changing the story a little may help."
    return f"Making this book stopped: {cause(failure)}.{advice}"


def redo_failure(page: int, failure: Mapping[str, Any] | None, *, kept: bool = False) -> str:
    """What the reader and the REST API say about a page redo that failed: the page is as it was,
    or (`kept`) it has its new version but the book's PDF was not updated."""
    reason = cause(failure)
    if kept:
        return (f"Page {page} keeps its new version, but updating the book's PDF did not work: {reason}. "
                "Redoing a page again updates it.")
    return f"Redrawing page {page} did not work: {reason}. The page stays as it was; you can try again."
