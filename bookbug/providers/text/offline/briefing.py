"""Folding what a message said into the brief: new facts are added, people already in the
brief are recognised (and renamed when the message names them), nothing said before is lost.

A child whose name is not known yet ("my son is 7") is kept as "Your son" so the age, the
family and the premise can be kept around them; the intake asks for the name next, and the
name replaces the stand-in everywhere it was used (the premise, the other descriptions).
"""

from __future__ import annotations

import random
import re
from typing import TypeGuard

from bookbug.providers.text.offline import english, inventing, lexicon
from bookbug.providers.text.offline.cast import Person
from bookbug.providers.text.offline.understanding import Understanding, placeholder_for
from bookbug.story.brief import Brief
from bookbug.story.characters import Character
from bookbug.story.reading_level import AgeRange

PLACEHOLDER = "Your "


def hero_of(brief: Brief) -> Character | None:
    """The character marked as the hero (not merely the first one listed)."""
    return next((c for c in brief.characters if c.is_hero), None)


def is_placeholder(character: Character | None) -> TypeGuard[Character]:
    return character is not None and character.is_hero and character.name.startswith(PLACEHOLDER)


def needs_hero_name(brief: Brief) -> bool:
    return hero_of(brief) is None or is_placeholder(hero_of(brief))


def hero_name(brief: Brief) -> str | None:
    hero = hero_of(brief)
    return hero.name if hero is not None and not is_placeholder(hero) else None


def kind_of(character: Character) -> str | None:
    """What a character is, read from its description: "robot", "grandma", "dog"."""
    text = character.description.lower()
    words = sorted({*lexicon.KIN, *lexicon.CREATURES, *lexicon.PETS, *lexicon.TOYS, "sibling"}, key=len, reverse=True)
    found = [(m.start(), -len(w), w) for w in words for m in [re.search(r"\b" + re.escape(w) + r"s?\b", text)] if m]
    return min(found)[2] if found else None


def apply(brief: Brief, found: Understanding, asking: str | None, rng: random.Random) -> None:
    """Keep every fact `found` states in `brief` (in place)."""
    if found.ages is not None:
        brief.age_range = AgeRange(min=found.ages[0], max=found.ages[1])
    _keep_hero(brief, found, asking, rng)
    _keep_others(brief, found, asking, rng)
    if found.page_count is not None:
        brief.page_count = found.page_count
    if found.format is not None:
        brief.format = found.format  # type: ignore[assignment]  # a format the offline reader found is one of the Literal's values
    if found.style is not None:
        brief.art_style = found.style
    if found.place is not None and (brief.setting is None or asking == "setting"):
        brief.setting = _whose_place(found.place, brief)
    if found.premise is not None and (brief.story_arc is None or asking == "story_arc"):
        brief.story_arc = found.premise
    if found.moral is not None:
        brief.moral = found.moral
    if found.tone is not None:
        brief.tone = found.tone
    if found.interests:
        brief.interests = merge(brief.interests, found.interests)
    if found.title is not None:
        brief.title = found.title
    if found.notes is not None and asking not in {"moral", "tone"}:
        brief.custom_instructions = "; ".join(filter(None, [brief.custom_instructions, found.notes]))


def _whose_place(place: str, brief: Brief) -> str:
    """"her garden" is the hero's: "Maisie's garden" (or "the garden" while the hero has no name)."""
    first, _, rest = place.partition(" ")
    if first.lower() in {"her", "his", "their"} and rest:
        name = hero_name(brief)
        return f"{english.possessive(name)} {rest}" if name else f"the {rest}"
    return place


def _keep_hero(brief: Brief, found: Understanding, asking: str | None, rng: random.Random) -> None:
    child = found.cast.hero
    hero = hero_of(brief)
    age = brief.age_range.min if brief.age_range else None
    if child is None:
        return
    if hero is None:
        name = child.name or placeholder_for(child)
        brief.characters.insert(0, inventing.hero(name, child.age or age, rng, brief.interests, child.gender))
    elif is_placeholder(hero) and child.name:
        rename(brief, hero.name, child.name)


def name_hero(brief: Brief, name: str, rng: random.Random, gender: str | None = None) -> None:
    """The hero is called `name`: the stand-in is renamed, or a hero is added."""
    hero = hero_of(brief)
    if hero is not None and is_placeholder(hero):
        rename(brief, hero.name, name)
    elif hero is None:
        age = brief.age_range.min if brief.age_range else None
        brief.characters.insert(0, inventing.hero(name, age, rng, brief.interests, gender))


def _keep_others(brief: Brief, found: Understanding, asking: str | None, rng: random.Random) -> None:
    owner = hero_name(brief) or (hero_of(brief).name if hero_of(brief) else "the hero")  # type: ignore[union-attr]  # hero_of() is called twice; mypy cannot carry the check to the second call
    premise = (found.premise or brief.story_arc or "").lower()
    for person in found.cast.others:
        if person.role == "mentioned":
            if person.kind in lexicon.MACHINES and person.kind != "robot":
                continue  # "drives a train": a vehicle is part of the story, not one of its characters
            in_story = re.search(r"\b" + re.escape(person.kind) + r"\b", premise) is not None
            if not (in_story or asking == "characters"):
                continue  # "he loves dinosaurs": mentioned, not a character of the story
        existing = _existing(brief, person)
        if existing is not None:
            _update(brief, existing, person)
            continue
        brief.characters.append(_character(person, owner, rng))


def _existing(brief: Brief, person: Person) -> Character | None:
    others = [c for c in brief.characters if not c.is_hero]
    if person.name:
        same = next((c for c in others if c.name.lower() == person.name.lower()), None)
        if same is not None:
            return same
    kind = person.kind
    alike = [c for c in others if kind_of(c) == kind]
    return alike[0] if len(alike) == 1 else None


def _update(brief: Brief, character: Character, person: Person) -> None:
    index = brief.characters.index(character)
    if person.name and person.name != character.name:
        rename(brief, character.name, person.name)
        character = brief.characters[index]
    if person.about and person.about.lower() not in character.description.lower():
        description = f"{character.description.rstrip('.')}, {person.about}."
        brief.characters[index] = character.model_copy(update={"description": description[:400]})


def _character(person: Person, owner: str, rng: random.Random) -> Character:
    if person.role in {"family", "friend"}:
        return inventing.relative(person, owner, rng)
    role = "pet" if person.role == "pet" else "friend"
    whose = owner if person.role in {"pet", "toy"} else None
    return inventing.companion(person.kind, person.name, person.adjectives, person.about, rng, role=role, owner=whose)


def rename(brief: Brief, old: str, new: str) -> None:
    """Call `old` `new` everywhere in the brief: the character, the premise, descriptions, beats, title."""
    if not new or old == new:
        return
    pattern = re.compile(r"(?<![\w'])" + re.escape(old) + r"(?![\w])", re.I)

    def swap(text: str | None) -> str | None:
        return pattern.sub(new, text) if text else text

    characters = []
    for character in brief.characters:
        update: dict[str, object] = {"description": swap(character.description) or character.description}
        if character.name == old:
            update["name"] = new
        characters.append(character.model_copy(update=update))
    brief.characters = characters
    brief.story_arc = swap(brief.story_arc)
    brief.title = swap(brief.title)
    brief.plot_beats = [swap(b) or b for b in brief.plot_beats]


def merge(old: list[str], new: list[str]) -> list[str]:
    seen = {item.lower() for item in old}
    return old + [item for item in new if item.lower() not in seen]


def possessive_for_question(brief: Brief) -> str:
    """"your son's" for a stand-in hero, else "the child's"."""
    hero = hero_of(brief)
    if hero is not None and is_placeholder(hero):
        return english.possessive(hero.name[0].lower() + hero.name[1:])
    return "the child's"
