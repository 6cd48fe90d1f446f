"""Screening text with the maintained list (wordlist.py): does it ask for something a young
child's book leaves out, and which kind of thing?

The text is read the way a person meant it: case, accents, curly quotes, hyphens and spacing
do not matter, letters hidden as digits ("k1ll", "s3xy") are read as letters, harmless phrases
that contain a listed word ("killer whale") are set aside first, and a match that follows a
negation ("no violence", "not too scary") does not count. Matching is on whole words, so
"Sussex" is not "sex" and "skill" is not "kill".

`screen` is deterministic and cheap: the offline writer reads every request with it, every
door checks notes and hand edits with it, and every written page is checked with it before it
is drawn, whichever writer wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bookbug.safety.concerns import CONCERNS, YOUNG_AGE, Concern
from bookbug.safety.wordlist import ALLOWED, FILLERS, NEGATIONS, PATTERNS, TERMS, YOUNG_TERMS

# The order concerns are reported in when a text raises several: the most serious first.
_ORDER: tuple[Concern, ...] = ("sexual", "self_harm", "hate", "violence", "drugs", "frightening", "real_person")
assert set(_ORDER) == set(CONCERNS)

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_MIXED = re.compile(r"\b(?=[\w@$]*[a-z])(?=[\w@$]*[013457@$])[a-z013457@$]+\b")
_WORD = re.compile(r"[\w']+")


@dataclass(frozen=True)
class Screening:
    """What a text raised: the kind of concern and the words that raised it."""

    concern: Concern
    words: str


def normalise(text: str) -> str:
    """`text` as it is screened: lower case, plain letters and quotes, hyphens as spaces, one space
    between words, and digits that stand in for letters inside a word read as those letters."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"[-\u2010-\u2015_/]+", " ", text)
    text = _MIXED.sub(lambda m: m.group(0).translate(_LEET) if not m.group(0).isdigit() else m.group(0), text)
    return " ".join(text.split())


def _phrase(entry: str) -> str:
    stem = entry.endswith("*")
    words = normalise(entry.rstrip("*")).split(" ")
    body = r"\s+".join(re.escape(word) for word in words)
    return body + (r"[\w']*" if stem else "")


def _alternation(entries: tuple[str, ...]) -> re.Pattern[str]:
    # longest first, so "machine gun" is reported rather than "gun"
    ordered = sorted(set(entries), key=len, reverse=True)
    return re.compile(r"(?<![\w'])(?:" + "|".join(_phrase(e) for e in ordered) + r")(?![\w])")


@lru_cache(maxsize=1)
def _compiled() -> tuple[dict[Concern, list[re.Pattern[str]]], re.Pattern[str], re.Pattern[str]]:
    rules: dict[Concern, list[re.Pattern[str]]] = {}
    for concern in CONCERNS:
        rules[concern] = ([_alternation(TERMS[concern])] if TERMS.get(concern) else []) + \
            [re.compile(pattern) for pattern in PATTERNS.get(concern, ())]
    return rules, _alternation(YOUNG_TERMS), _alternation(ALLOWED)


def _negated(text: str, start: int) -> bool:
    """A negation right before `start`, with only small words between ("not too", "without any")."""
    before = _WORD.findall(text[max(0, start - 60):start])
    for word in reversed(before[-6:]):
        if word in NEGATIONS or word.endswith("n't"):
            return True
        if word not in FILLERS:
            return False
    return False


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    concern: Concern
    words: str

    def inside(self, other: _Hit) -> bool:
        return other.start <= self.start and self.end <= other.end and (other.end - other.start) > (self.end - self.start)


def screen(text: str, *, youngest: int | None = None) -> Screening | None:
    """The concern `text` raises, if any, for a book whose youngest reader is `youngest` (None:
    not known yet, so screened as for the youngest readers).

    Every listed word and pattern is found first; a match inside a longer one counts as the
    longer one ("no serial killer" is one negated phrase, not a "killer"), a negated match does
    not count, and of what is left the most serious concern is reported."""
    if not text or not text.strip():
        return None
    rules, young, allowed = _compiled()
    plain = allowed.sub(" ~ ", normalise(text))
    hits = [_Hit(m.start(), m.end(), concern, m.group(0))
            for concern in _ORDER for pattern in rules[concern] for m in pattern.finditer(plain)]
    if youngest is None or youngest < YOUNG_AGE:
        hits += [_Hit(m.start(), m.end(), "frightening", m.group(0)) for m in young.finditer(plain)]
    hits = [hit for hit in hits if not any(hit.inside(other) for other in hits)]
    hits = [hit for hit in hits if not _negated(plain, hit.start)]
    if not hits:
        return None
    first = min(hits, key=lambda hit: (_ORDER.index(hit.concern), hit.start))
    return Screening(first.concern, first.words)


def screen_all(texts: list[str], *, youngest: int | None = None) -> Screening | None:
    """The first concern any of `texts` raises."""
    for text in texts:
        found = screen(text, youngest=youngest)
        if found is not None:
            return found
    return None
