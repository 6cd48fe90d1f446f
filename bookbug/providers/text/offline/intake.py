"""The offline intake: read the answer into the brief, then ask the next question with chips."""

from __future__ import annotations

import random
import re

from bookbug.agents.intake import SURPRISE_ME, IntakeInput, IntakeTurn
from bookbug.providers.text.offline import briefing, inventing, reading, styles, suitability, understanding
from bookbug.providers.text.offline.languages import ENGLISH_ONLY, asked_language
from bookbug.providers.text.offline.places import place_of
from bookbug.story.art_styles import PRESETS
from bookbug.story.brief import Brief
from bookbug.story.formats import FORMATS
from bookbug.story.reading_level import AgeRange

_QUESTIONS = {
    "characters": "Who is the star of the story? Tell me their name, and a little about them if you like.",
    "age_range": "How old is {hero}? That sets how many words go on each page.",
    "story_arc": "What should happen in {hero}'s story? A tiny idea is plenty, like \"a dragon who is afraid of the dark\".",
    "setting": "Where does the story take place?",
    "art_style": "How should the pictures look?",
    "moral": "Is there something you'd like the story to gently show? I'll show it through what happens, never spell it out.",
    "tone": "How should it feel to read together?",
    "interests": "What does {hero} love? I'll weave a little of it into the story.",
    "page_count": "How long should the book be?",
    "format": "Last question: which size should the printed book be?",
}

_CHIP_POOLS: dict[str, tuple[str, ...]] = {
    "characters": ("My daughter, Mia", "My son, Leo", "A little fox named Pip", "My granddaughter, Ava", "My nephew, Omar"),
    "age_range": ("2-3 years", "4-5 years", "6-8 years", "9-12 years"),
    "story_arc": ("A dragon who is afraid of the dark", "A robot who wants to learn to dance",
                  "A bear who has lost a favourite blanket", "A penguin who wants to learn to fly",
                  "A shy fox who wants a friend"),
    "setting": ("An enchanted forest", "A cozy seaside town", "A village in the clouds", "Grandma's big garden",
                "A snowy mountain valley"),
    "art_style": tuple(PRESETS[p].label for p in ("watercolor", "cut-paper", "claymation", "crayon", "3d-animated",
                                                  "gouache", "chibi", "miniature-diorama")),
    "moral": ("Trying again when it's hard", "Being kind to someone new", "Sharing", "Being brave", "Being yourself"),
    "tone": ("Cozy and gentle", "Funny and silly", "A big adventure", "Calm bedtime story", "Magical"),
    "interests": ("Dinosaurs", "Animals", "Trucks and trains", "Space", "Music and dancing", "Baking"),
    "page_count": ("12 pages", "16 pages", "24 pages", "32 pages"),
    "format": tuple(fmt.label for fmt in FORMATS.values()),
}
# Questions whose answer can be left to Bookbug get a "Surprise me!" chip.
_SURPRISE_FIELDS = {"characters", "story_arc", "setting", "art_style", "moral"}

_LABELS = {"characters": "who's in it", "age_range": "the age", "story_arc": "the story idea", "setting": "the place",
           "art_style": "the art style", "moral": "what it shows", "tone": "the feel", "interests": "their interests",
           "page_count": "the length", "format": "the size", "title": "the title", "custom_instructions": "your notes"}


def take_turn(input: IntakeInput, rng: random.Random) -> IntakeTurn:
    brief = input.brief.model_copy(deep=True)
    answer = input.answer
    asking = brief.asked_about[-1] if brief.asked_about else None
    before = brief.model_dump()
    if answer is not None:
        if reading.wants_surprise(answer):
            surprise(brief, rng)
        else:
            found = read(brief, answer, asking)
            # screened between reading and keeping: a declined answer changes nothing in the brief
            declined = suitability.screen_answer(answer, found, brief)
            if declined is not None:
                return suitability.declined_turn(input, declined, answer, found)
            fold(brief, answer, found, asking, rng)
        _clip(brief)
    after = brief.model_dump()
    filled = [name for name in _LABELS if after[name] != before[name] and brief.has(name)]

    todo = (["characters"] if briefing.needs_hero_name(brief) else []) + \
        [f for f in brief.still_to_ask() if f != "characters" or not briefing.needs_hero_name(brief)]
    if not todo:
        finish(brief, rng)
        english_only = ENGLISH_ONLY if answer is not None and asked_language(answer) else ""
        return IntakeTurn(brief=brief, message=english_only + _summary(brief), chips=[], done=True)

    field = todo[0]
    again = answer is not None and field == asking and not filled and not reading.skips(answer)
    brief.asked_about = [name for name in brief.asked_about if name != field] + [field]  # type: ignore[list-item]  # field comes from still_to_ask(), the Literal field names
    english_only = ENGLISH_ONLY if answer is not None and asked_language(answer) else ""
    opening = english_only or _opening(input, filled, again)
    return IntakeTurn(brief=brief, message=opening + _question(field, brief), chips=_chips(field, rng), done=False)


def read(brief: Brief, answer: str, asking: str | None) -> understanding.Understanding:
    """Everything the answer says, read against the brief so far (nothing is kept yet)."""
    hero = briefing.hero_of(brief)
    return understanding.understand(answer, asking=asking, hero_name=briefing.hero_name(brief),
                                    hero_placeholder=hero.name if briefing.is_placeholder(hero) else None)


def fold(brief: Brief, answer: str, found: understanding.Understanding, asking: str | None,
         rng: random.Random) -> None:
    """Record every fact the answer states; if it states none, read it as the answer to the question asked."""
    before = brief.model_dump()
    briefing.apply(brief, found, asking, rng)
    after = brief.model_dump()
    said_something_else = any(after[name] != before[name] for name in _LABELS if name != asking)
    if asking == "characters" and briefing.needs_hero_name(brief) and before["characters"] != after["characters"]:
        said_something_else = True  # "the robot is called Bolt": about someone else; ask for the hero again
    still_open = not brief.has(asking) if asking else False
    if asking == "characters":
        still_open = briefing.needs_hero_name(brief)
    if asking is not None and still_open and not said_something_else and not reading.skips(answer):
        _read_as_answer(brief, found.text, asking, rng)


def _read_as_answer(brief: Brief, answer: str, asking: str, rng: random.Random) -> None:
    """The whole answer as the value of the field just asked about ("An enchanted forest", "4", "noah")."""
    phrase = reading.clean_phrase(answer)
    if len(re.findall(r"[^\W\d_]", phrase)) < 3:  # "3", "?!", "k": not an answer to a free-text question
        phrase = ""
    if asking == "age_range" and (ages := reading.age_range(answer, asked=True)):
        brief.age_range = AgeRange(min=ages[0], max=ages[1])
    elif asking == "characters" and (name := reading.hero_name(answer, asked=True)):
        briefing.name_hero(brief, name, rng)
    elif asking == "art_style" and phrase:
        brief.art_style = styles.described(phrase)
    elif asking == "setting" and phrase:
        brief.setting = _lower_article(phrase)
    elif asking == "moral" and phrase:
        brief.moral = phrase
    elif asking == "tone" and phrase:
        brief.tone = phrase.lower()
    elif asking == "interests" and phrase:
        brief.interests = briefing.merge(brief.interests, reading.split_list(answer))
    elif asking == "story_arc" and len(phrase.split()) >= 2:
        brief.story_arc = phrase


def surprise(brief: Brief, rng: random.Random) -> None:
    """Choose every missing field, so the intake can finish."""
    if brief.age_range is None:
        low = rng.choice((3, 4, 5, 6))
        brief.age_range = AgeRange(min=low, max=low + 2)
    if not brief.interests:
        brief.interests = list(rng.choice(inventing.INTERESTS))
    if briefing.needs_hero_name(brief):
        used = {c.name for c in brief.characters}
        briefing.name_hero(brief, rng.choice([n for n in inventing.HERO_NAMES if n not in used]), rng)
    if brief.story_arc is None:
        friends = [c for c in brief.characters if not c.is_hero]
        if friends:
            brief.story_arc = f"{brief.hero.name} helps {friends[0].name} with a big worry"  # type: ignore[union-attr]  # the brief has a hero by now
        else:
            species, clause = rng.choice(inventing.COMPANIONS)
            brief.characters.append(inventing.companion(species, None, ["little"], clause, rng))
            brief.story_arc = f"a little {species} {clause}"
    if brief.setting is None:
        brief.setting = rng.choice(inventing.SETTINGS)
    if brief.art_style is None:
        brief.art_style = inventing.style(rng.choice(inventing.STYLE_PICKS))
    if brief.moral is None:
        brief.moral = rng.choice(inventing.MORALS)
    if brief.tone is None:
        brief.tone = rng.choice(inventing.TONES)
    # Length and size keep their defaults rather than being asked after all.
    brief.asked_about = [*brief.asked_about, *(f for f in brief.still_to_ask() if f not in brief.asked_about)]  # type: ignore[list-item]  # still_to_ask() gives the Literal field names as str


def finish(brief: Brief, rng: random.Random) -> None:
    if brief.title is None and (hero := briefing.hero_of(brief)) is not None:
        friends = [c for c in brief.characters if not c.is_hero]
        brief.title = inventing.title_for(hero.name, friends[0] if friends else None, brief.setting or "", rng)


def _question(field: str, brief: Brief) -> str:
    stand_in = briefing.hero_of(brief)
    if field == "characters" and briefing.is_placeholder(stand_in):
        return f"What's {briefing.possessive_for_question(brief)} name? They'll be the star of the story."
    hero = briefing.hero_name(brief) or "the child"
    if field == "age_range" and briefing.hero_of(brief) is None:
        return "Who is the book for? How old are the readers?"
    return _QUESTIONS[field].format(hero=hero)


def _chips(field: str, rng: random.Random) -> list[str]:
    pool = list(_CHIP_POOLS[field])
    if field in {"age_range", "page_count", "format"}:
        return pool[:5]
    picked = rng.sample(pool, k=min(len(pool), 4 if field in _SURPRISE_FIELDS else 5))
    return picked + [SURPRISE_ME] if field in _SURPRISE_FIELDS else picked


def _opening(input: IntakeInput, filled: list[str], again: bool) -> str:
    if not input.conversation:
        return "Hello! I'm Bookbug, and I'd love to make a picture book with you. "
    if again:
        return "Sorry, I didn't quite catch that. "
    if len(filled) >= 3:
        return "What a lovely idea! I've noted " + ", ".join(_LABELS[f] for f in filled) + ". "
    if filled:
        return _ack(filled) + " "
    return "Okay! "


def _ack(filled: list[str]) -> str:
    return {"characters": "Lovely, I've added that to the cast!", "age_range": "Perfect.", "story_arc": "Ooh, I like that.",
            "setting": "What a place for a story!", "art_style": "Beautiful choice.", "moral": "That's a good one.",
            "tone": "Got it.", "interests": "Noted!", "page_count": "Great.", "format": "Great."}.get(filled[0], "Great.")


def _summary(brief: Brief) -> str:
    hero = brief.hero.name if brief.hero else "our hero"
    style = brief.art_style.label if brief.art_style else "a lovely style"
    return (f"Wonderful, I have everything I need! \"{brief.title}\", a story for ages {brief.age_range} starring {hero}: "
            f"{brief.story_arc}, set {place_of(brief.setting).at}. {brief.pages} pages in {style}. "
            f"Next I'll sketch the plot for you to check.")


def _clip(brief: Brief) -> None:
    """Cut free text the user typed to the brief's length limits (a long paste must not break the brief)."""
    for name, info in Brief.model_fields.items():
        value = getattr(brief, name)
        limit = next((getattr(m, "max_length", None) for m in info.metadata if getattr(m, "max_length", None)), None)
        if isinstance(value, str) and limit and len(value) > limit:
            setattr(brief, name, value[:limit].rsplit(" ", 1)[0] or value[:limit])
    brief.interests = [item[:60] for item in brief.interests[:8]]


def _lower_article(text: str) -> str:
    first, _, rest = text.partition(" ")
    if first in {"A", "An", "The"} and rest:
        return f"{first.lower()} {rest}"
    return text

