"""Asking the person at the terminal: Bookbug's questions as arrow-key choices.

`Answerer` is the one seam: `TerminalAnswerer` asks with questionary (a real terminal);
`SuggestionAnswerer` (`bookbug create --auto`) takes Bookbug's first suggestion and approves
the plot, for scripts. `choose_version` asks which version of a redone page to keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import questionary

from bookbug.cli.errors import CliError, Exit

PLOT_PHASE = "plot_review"
OWN_ANSWER = "✎ Type my own answer"
APPROVE = "✔ Approve the plot and make the book"
OWN_CHANGES = "✎ Ask for other changes"
KEEP_NEW = "✔ Keep the new version"
KEEP_OLD = "↩ Go back to the old one"


@dataclass(frozen=True)
class Reply:
    approve: bool = False
    content: str = ""


class Answerer(Protocol):
    def answer(self, question: dict[str, Any]) -> Reply: ...


def _asked(value: Any) -> Any:
    if value is None:  # questionary returns None on Ctrl-C
        raise CliError("Stopped. The book waits for you: `bookbug status ID` shows where it is.", Exit.INTERRUPTED)
    return value


def _own_words(prompt: str) -> str:
    text = _asked(questionary.text(prompt, validate=lambda v: bool(v.strip()) or "Type something first.").ask())
    return str(text).strip()


class TerminalAnswerer:
    def answer(self, question: dict[str, Any]) -> Reply:
        chips = [str(c) for c in question.get("chips") or []]
        if question.get("phase") == PLOT_PHASE:
            choice = _asked(questionary.select("Shall I write it?", choices=[APPROVE, *chips, OWN_CHANGES]).ask())
            if choice == APPROVE:
                return Reply(approve=True)
            if choice == OWN_CHANGES:
                return Reply(content=_own_words("What should change?"))
            return Reply(content=choice)
        if not chips:
            return Reply(content=_own_words("Your answer:"))
        choice = _asked(questionary.select("Pick one (arrow keys), or type your own:", choices=[*chips, OWN_ANSWER]).ask())
        return Reply(content=_own_words("Your answer:")) if choice == OWN_ANSWER else Reply(content=choice)


class SuggestionAnswerer:
    def answer(self, question: dict[str, Any]) -> Reply:
        if question.get("phase") == PLOT_PHASE:
            return Reply(approve=True)
        chips = [str(c) for c in question.get("chips") or []]
        return Reply(content=chips[0] if chips else "Surprise me!")


def choose_version(page: int) -> str:
    """"new" or "old", chosen with the arrow keys."""
    choice = questionary.select(f"Keep the new page {page}?", choices=[KEEP_NEW, KEEP_OLD]).ask()
    if choice is None:
        raise CliError("Stopped. The new version waits: run the same command again to choose.", Exit.INTERRUPTED)
    return "new" if choice == KEEP_NEW else "old"
