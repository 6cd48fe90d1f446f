"""The kind answer to a declined request: what Bookbug leaves out, and close alternatives as chips.

Alternatives keep what the person asked for (the shark stays a shark) and change only the
part that does not belong: "a shark who eats people" gets "A shark who learns to be gentle".
Every alternative passes the screen itself (tests/safety holds us to it).
"""

from __future__ import annotations

import re

from bookbug.safety.concerns import Concern, left_out
from bookbug.safety.screening import normalise, screen
from bookbug.safety.wordlist import REAL_PEOPLE_ROLES

DEFAULT_SUBJECT = "little fox"

# New premises, offered when the intake declines a request ("{a}" is the subject with its article).
_PREMISES: dict[Concern, tuple[str, str, str]] = {
    "violence": ("{A} who learns to be gentle", "{A} who makes friends with everyone in town",
                 "{A} who is afraid of the dark"),
    "frightening": ("{A} who is afraid of the dark", "{A} who throws a cosy night-time party",
                    "A friendly {s} who loves bedtime stories"),
    "drugs": ("{A} who runs a lemonade stand", "{A} who bakes the best cookies in town",
              "{A} who plans a birthday party"),
    "sexual": ("{A} who falls in love with dancing", "{A} who plans a surprise for a best friend",
               "{A} who learns to ride a bike"),
    "self_harm": ("{A} who learns it's okay to feel sad", "{A} who finds a friend to talk to",
                  "{A} who learns to ask for help"),
    "hate": ("{A} who makes friends with someone very different", "{A} who learns that everyone belongs",
             "{A} who throws a party for the whole street"),
    "real_person": ("A made-up {role} with a big dream", "{A} who wants to be a {role}",
                    "A {role} who is secretly a friendly dragon"),
}
# Changes to a plot, offered when a plot review declines a change.
_CHANGES: dict[Concern, tuple[str, str, str]] = {
    "violence": ("Make {the} grumpy but kind", "Add a big friendly chase", "Let {the} solve it with kindness"),
    "frightening": ("Make {the} shy and friendly", "Add a cosy bedtime moment", "Add a funny surprise"),
    "drugs": ("Add a picnic with lemonade", "Add a birthday party", "Add a baking contest"),
    "sexual": ("Add a dance party", "Add a surprise present", "Add a funny moment"),
    "self_harm": ("Add a friend to talk to", "Add a big comforting hug", "Show it's okay to feel sad"),
    "hate": ("Add a new friend from far away", "Add a party for everyone", "Show everyone working together"),
    "real_person": ("Add a made-up {role}", "Add a funny moment", "Add a surprise visitor"),
}

HELP_LINE = ("If you or someone you know is struggling, please talk to someone you trust or a local helpline: "
             "you do not have to carry it alone.")

_NAMED = re.compile(r"\b(?:a|an|the|my|our|his|her|their|one)\s+((?:[a-z]+\s+){0,2}?)([a-z]+)\s+(?:who|that|which|"
                    r"named|called|whose)\b")
_ABOUT = re.compile(r"\babout\s+(?:a|an|the|some)\s+(?:[a-z]+\s+)?([a-z]+)\b")
_NOT_SUBJECTS = {"story", "book", "tale", "adventure", "day", "time", "world", "place", "one", "thing", "kid", "way"}


def subject_of(text: str) -> str | None:
    """Who a request is about, as a noun ("shark" in "a shark who eats people"), if it says."""
    plain = normalise(text)
    for pattern in (_NAMED, _ABOUT):
        for match in pattern.finditer(plain):
            noun = match.group(match.lastindex or 1)
            if noun not in _NOT_SUBJECTS:
                return noun
    return None


def _article(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _role(words: str) -> str:
    return REAL_PEOPLE_ROLES.get(normalise(words), "star")


def _fill(template: str, subject: str, role: str) -> str:
    text = template.format(A=_article(subject), s=subject, the=f"the {subject}", role=role)
    return text[0].upper() + text[1:]


def _ideas(templates: tuple[str, ...], subject: str | None, words: str, youngest: int | None) -> list[str]:
    ideas = [_fill(t, subject or DEFAULT_SUBJECT, _role(words)) for t in templates]
    if subject is not None and any(screen(idea, youngest=youngest) for idea in ideas):
        # the subject itself is what does not belong ("a vampire", "a zombie"): keep the idea, not it
        return _ideas(templates, None, words, youngest)
    return ideas


def alternatives(concern: Concern, subject: str | None = None, *, words: str = "",
                 youngest: int | None = None) -> list[str]:
    """Three new story ideas close to a declined one, for readers this young. `words` are the words
    that raised it (a famous person's name gives the role a made-up character could play)."""
    return _ideas(_PREMISES[concern], subject, words, youngest)


def changes(concern: Concern, subject: str | None = None, *, words: str = "", youngest: int | None = None) -> list[str]:
    """Three changes to a plot, close to a declined one."""
    return _ideas(_CHANGES[concern], subject, words, youngest)


def decline_request(concern: Concern, youngest: int | None) -> str:
    """The intake's kind answer to a request it will not make."""
    message = (f"I'm sorry, I can't make that one. Bookbug's books are for young children, so they leave out "
               f"{left_out(concern, youngest)}. Here are some ideas close to yours, or tell me another!")
    return f"{message} {HELP_LINE}" if concern == "self_harm" else message


def decline_change(concern: Concern, youngest: int | None) -> str:
    """The plot review's kind answer to a change it will not make (the plot stays as it was)."""
    message = (f"I'm sorry, I can't change the story that way. Bookbug's books are for young children, so they "
               f"leave out {left_out(concern, youngest)}. The plot stays as it was; would one of these changes "
               "work instead?")
    return f"{message} {HELP_LINE}" if concern == "self_harm" else message


def refusal(concern: Concern, youngest: int | None, what: str) -> str:
    """Why a note or an edit was refused at the door, as one sentence to show."""
    message = (f"Bookbug's books are for young children, so they leave out {left_out(concern, youngest)}; "
               f"please change {what} and try again.")
    return f"{message} {HELP_LINE}" if concern == "self_harm" else message
