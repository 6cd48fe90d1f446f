"""Screening what people type outside the conversation (a note for a page redone, a page's words
edited by hand) with the same maintained list the offline writer reads requests with.

The conversation itself is screened by the writer (bookbug/providers/text/offline/suitability.py,
or Claude through the intake's and plot review's `concern`); these doors have no writer to ask,
so they refuse with a plain sentence and change nothing. Hand edits (issue 18) call
`check_for_book` before keeping the new words.
"""

from __future__ import annotations

from bookbug.db import session_scope
from bookbug.safety import alternatives, refusal, screen, subject_of
from bookbug.errors import Unsuitable
from bookbug.story import Brief


def check_words(text: str, *, youngest: int | None, field: str, what: str) -> None:
    """Raise Unsuitable (a 422 with the concern and close ideas) when `text` asks for something
    a book for readers this young leaves out; `what` names the text in the sentence ("the note")."""
    found = screen(text, youngest=youngest)
    if found is not None:
        raise Unsuitable(refusal(found.concern, youngest, what), field=field, concern=found.concern,
                         suggestions=alternatives(found.concern, subject_of(text), words=found.words,
                                                  youngest=youngest))


def youngest_reader(user_id: str, book_id: str) -> int | None:
    """The youngest reader of one of the user's books (None when not known yet)."""
    from bookbug.services.owned import owned_book

    with session_scope() as session:
        book = owned_book(session, user_id, book_id)
        brief = Brief.model_validate(book.brief or {})
    return brief.age_range.min if brief.age_range else None


def check_for_book(user_id: str, book_id: str, text: str, *, field: str = "text", what: str = "the words") -> None:
    """`check_words` for text that goes into one of the user's books (NotFound for anyone else's)."""
    check_words(text, youngest=youngest_reader(user_id, book_id), field=field, what=what)
