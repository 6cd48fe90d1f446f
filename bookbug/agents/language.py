"""What every writing agent is told about the book's language."""

from __future__ import annotations

from bookbug.story import Brief
from bookbug.story.languages import language_of, supported_list

INTAKE_RULE = f"""Language: Bookbug writes books in {supported_list()}. Never ask about the
language. If the user writes to you in one of these other than English, or asks for the book
in one, set language to its code; from then on write your message and every chip in that
language (the brief's other values too, so the book reads in it). If they ask for a language
not in this list, say kindly in one sentence that Bookbug cannot write in it yet, leave
language as it is and carry on in the language they wrote in if it is in the list, else English."""


def writing_in(brief: Brief) -> str:
    """The sentence that has the reply written in the book's language ("" for English)."""
    language = language_of(brief.language)
    if language.code == "en":
        return ""
    return (f"\n\nWrite in {language.name} ({language.native}): every word the parent or the child reads "
            "(messages, chips, titles, the page text, summaries) is in it; names stay as the user wrote them.")
