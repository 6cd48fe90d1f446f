"""Understanding one message: every fact it states about the book, before any of it is kept.

`understand` runs every reader over the (tidied) message and returns what they found, so a
pasted paragraph yields the child, their age, the cast, the place, the premise, the art
style, the tone, the moral, the length and the size at once. It changes nothing: `briefing`
folds an `Understanding` into the brief. A pass that screens a message (e.g. for requests
unsuitable for children) belongs between the two, on the `Understanding` or the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bookbug.providers.text.offline import cast as cast_reader
from bookbug.providers.text.offline import places, premise, reading, spelling, styles
from bookbug.providers.text.offline.cast import Cast
from bookbug.story.art_styles import ArtStyle
from bookbug.story.reading_level import MAX_AGE, MIN_AGE


@dataclass
class Understanding:
    text: str  # the message as read (tidied)
    cast: Cast
    ages: tuple[int, int] | None = None
    place: str | None = None
    premise: str | None = None
    style: ArtStyle | None = None
    tone: str | None = None
    moral: str | None = None
    interests: list[str] = field(default_factory=list)
    page_count: int | None = None
    format: str | None = None
    title: str | None = None
    notes: str | None = None

    def says_anything(self) -> bool:
        return any([self.cast.hero, self.cast.others, self.ages, self.place, self.premise, self.style, self.tone,
                    self.moral, self.interests, self.page_count, self.format, self.title])


def understand(message: str, *, asking: str | None = None, hero_name: str | None = None,
               hero_placeholder: str | None = None) -> Understanding:
    """Everything `message` says. `hero_name` is the hero the brief already knows (the premise is
    told with it); `hero_placeholder` stands in for a hero whose name is not known yet."""
    text = spelling.tidy(message)
    cast = cast_reader.read(text)
    known_hero = hero_name or (cast.hero.name if cast.hero and cast.hero.name else None)
    if known_hero is None and cast.hero is not None:
        known_hero = placeholder_for(cast.hero)
    known_hero = known_hero or hero_placeholder
    names = {p.name for p in cast.everyone() if p.name}
    found = Understanding(text=text, cast=cast)
    found.ages = _ages(text, cast, asked=asking == "age_range")
    found.place = places.find(text, names)
    found.premise = premise.read(text, cast, known_hero)
    found.style = styles.read(text, asked=asking == "art_style")
    found.tone = reading.tone(text, asked=asking == "tone")
    found.moral = reading.moral(text)
    found.interests = reading.interests(text)
    found.page_count = reading.page_count(text)
    found.format = reading.book_format(text, asked=asking == "format")
    found.title = reading.title(text)
    found.notes = reading.instructions(text)
    return found


def placeholder_for(person: cast_reader.Person) -> str:
    """What the brief calls a child whose name is not known yet: "Your son"."""
    word = person.kind if person.kind not in {"child", "kid", "lo", "little one"} else "child"
    return f"Your {word}"


def _ages(text: str, cast: Cast, *, asked: bool) -> tuple[int, int] | None:
    if cast.child_ages:
        return min(cast.child_ages), max(cast.child_ages)
    ages = reading.age_range(text, asked=asked)
    if ages is None:
        return None
    adults = {p.age for p in cast.others if p.age is not None and p.role != "family"} | \
             {p.age for p in cast.others if p.age is not None and p.kind not in {"sibling", "child", "brother", "sister",
                                                                                 "cousin"}}
    if ages[0] == ages[1] and ages[0] in adults:
        return None  # "Grandpa Joe is 7..." never happens; an adult's age is not the reader's
    return max(MIN_AGE, ages[0]), min(MAX_AGE, ages[1])
