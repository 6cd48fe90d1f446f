"""Age bands and the text limits of one page: how many sentences and words a reader can take.

The issue's bands touch at 4 and 6, so a book is placed by the youngest age it is for:
under 4 reads like a toddler book, 4 and 5 like a preschool book, 6 and over like an early
reader. Writing for the youngest reader keeps the book readable by everyone in the range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, Field, model_validator

from bookbug.story.rules import WordedRule

MIN_AGE = 2
MAX_AGE = 12

AGES_IN_ORDER = WordedRule("ages_in_order", "min is the youngest age and is never more than max.")


class AgeRange(BaseModel):
    __doc__ = f"The readers' ages, inclusive, e.g. 4 to 6: {AGES_IN_ORDER.statement}"

    min: int = Field(ge=MIN_AGE, le=MAX_AGE)
    max: int = Field(ge=MIN_AGE, le=MAX_AGE)

    @model_validator(mode="after")
    def _ordered(self) -> AgeRange:
        if self.min > self.max:
            raise AGES_IN_ORDER.broken(f"age range {self.min}-{self.max} is backwards: the youngest age comes first")
        return self

    def __str__(self) -> str:
        return f"{self.min}" if self.min == self.max else f"{self.min}-{self.max}"


@dataclass(frozen=True)
class TextLimits:
    band: str
    min_sentences: int
    max_sentences: int
    min_words: int
    max_words: int

    def describe(self) -> str:
        return (f"{self.min_sentences}-{self.max_sentences} sentences and "
                f"{self.min_words}-{self.max_words} words")


TODDLER = TextLimits("2-4", 1, 2, 10, 20)
PRESCHOOL = TextLimits("4-6", 2, 3, 20, 40)
EARLY_READER = TextLimits("6+", 3, 4, 40, 60)


def limits_for(ages: AgeRange) -> TextLimits:
    if ages.min < 4:
        return TODDLER
    if ages.min < 6:
        return PRESCHOOL
    return EARLY_READER


# Letters and digits of any script (books are written in Latin, Cyrillic and Greek letters).
_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
# A sentence ends at . ! ? or … (possibly followed by closing quotes) before a space or the end.
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)]*(?=\s|$)")


def count_words(text: str) -> int:
    """Words as a reader counts them: contractions and hyphenated words are one word."""
    return len(_WORD.findall(text))


def count_sentences(text: str) -> int:
    pieces = [piece for piece in _SENTENCE_END.split(text) if _WORD.search(piece)]
    return len(pieces)


def sentences(text: str) -> list[str]:
    """The sentences of `text`, each with its closing punctuation (as `count_sentences` counts them)."""
    found, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        found.append(text[start:end.end()].strip())
        start = end.end()
    found.append(text[start:].strip())
    return [piece for piece in found if _WORD.search(piece)]


def text_problems(text: str, limits: TextLimits) -> list[str]:
    """Why `text` breaks the limits of its age band (empty when it fits)."""
    problems: list[str] = []
    words, sentences = count_words(text), count_sentences(text)
    if not limits.min_words <= words <= limits.max_words:
        problems.append(f"has {words} words; ages {limits.band} need {limits.min_words}-{limits.max_words}")
    if not limits.min_sentences <= sentences <= limits.max_sentences:
        problems.append(
            f"has {sentences} sentences; ages {limits.band} need {limits.min_sentences}-{limits.max_sentences}")
    return problems


def _normalise(text: str) -> str:
    return " ".join(word.lower() for word in _WORD.findall(text.replace("\u2019", "'")))


def plain_words(text: str) -> str:
    """`text` as compared for repeats: its words only, lower case ("Hello," said Mia! -> hello said mia)."""
    return _normalise(text)


def states_moral(text: str, moral: str) -> bool:
    """True when `text` states the moral outright, word for word (case and punctuation ignored)."""
    needle = _normalise(moral)
    return bool(needle) and f" {needle} " in f" {_normalise(text)} "


def trimmed_to_limits(text: str, limits: TextLimits) -> str:
    """`text` cut back at a sentence end when it runs a little over its band, else `text` as it is.

    A page a few words (or one sentence) too long is a slip, not a wrong page: dropping the
    last sentence(s) keeps every word printed as the author wrote it. The cut is made only
    when what is left fits the band; a text far over, or one no sentence end can save, is
    returned unchanged for the band check to refuse.
    """
    words, sentences = count_words(text), count_sentences(text)
    if words <= limits.max_words and sentences <= limits.max_sentences:
        return text
    if words - limits.max_words > few_words_over(limits) or sentences - limits.max_sentences > 1:
        return text
    ends = [match.end() for match in _SENTENCE_END.finditer(text)]
    for end in reversed(ends):
        kept = text[:end].rstrip()
        if not text_problems(kept, limits):
            return kept
    return text


def few_words_over(limits: TextLimits) -> int:
    """How far over its band a page may run and still be trimmed: a fifth of the band's top, at least 3."""
    return max(3, limits.max_words // 5)
