"""Why something failed, in words a parent understands; the technical detail stays on the run."""

from __future__ import annotations


KEY_REFUSED = "the illustration or writing service refused our key"
TOO_BUSY = "the illustration or writing service was too busy for too long"
NO_ANSWER = "a service we rely on did not answer in time"


def failure_cause(error: str | None) -> str | None:
    """The cause of `error` as one of the clauses above, or None when the error says nothing a
    person could act on."""
    low = (error or "").lower()
    if any(word in low for word in ("401", "403", "auth", "api key", "permission")):
        return KEY_REFUSED
    if any(word in low for word in ("429", "rate", "too many", "overloaded", "busy")):
        return TOO_BUSY
    if any(word in low for word in ("timeout", "timed out", "connect")):
        return NO_ANSWER
    return None


def redo_failure(page: int, error: str | None, *, kept: bool = False) -> str:
    """What the reader and the REST API say about a page redo that failed: the page is as it was,
    or (`kept`) it has its new version but the book's PDF was not updated."""
    cause = failure_cause(error)
    if kept:
        return (f"Page {page} keeps its new version, but updating the book's PDF did not work"
                f"{': ' + cause if cause else ''}. Redoing a page again updates it.")
    if cause is None:
        return f"Redrawing page {page} did not work, so it stays as it was. You can try again."
    return f"Redrawing page {page} did not work: {cause}. The page stays as it was; you can try again."
