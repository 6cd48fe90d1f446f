"""The offline writer understands first messages the way parents write them.

Each case of `first_messages.CASES` is sent as the first answer of a conversation; the brief
after that one turn must hold every field the message states, and the next question must not
ask for any of them again.
"""

from __future__ import annotations

import re

import pytest

from bookbug.providers.text.offline import OfflineWriter
from bookbug.providers.text.offline.briefing import hero_of, kind_of
from bookbug.providers.text.offline.places import place_of
from bookbug.state.brief_panel import brief_rows
from bookbug.story import Brief

from tests.providers_text.first_messages import CASES, Case
from tests.providers_text.helpers import converse


def _after_first_message(message: str) -> tuple[Brief, str]:
    turns, _ = converse(OfflineWriter(), [message], max_turns=2)
    return turns[1].brief, turns[1].brief.asked_about[-1] if turns[1].brief.asked_about else ""


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 60
    assert len({case.message for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.message[:48] for c in CASES])
def test_a_first_message_fills_every_field_it_states(case: Case):
    brief, asking = _after_first_message(case.message)
    problems = []
    hero = hero_of(brief)
    if case.hero is not None and (hero is None or hero.name != case.hero):
        problems.append(f"hero {hero.name if hero else None!r}, expected {case.hero!r}")
    if case.ages is not None and (brief.age_range is None or (brief.age_range.min, brief.age_range.max) != case.ages):
        problems.append(f"ages {brief.age_range}, expected {case.ages}")
    for name, kind in case.cast.items():
        found = next((c for c in brief.characters if c.name == name), None)
        if found is None:
            problems.append(f"no character {name!r} in {[c.name for c in brief.characters]}")
        elif kind_of(found) != kind:
            problems.append(f"{name} is a {kind_of(found)!r} ({found.description!r}), expected {kind!r}")
    if case.setting is not None and brief.setting != case.setting:
        problems.append(f"setting {brief.setting!r}, expected {case.setting!r}")
    if case.at is not None and place_of(brief.setting).at != case.at:
        problems.append(f"the book would say {place_of(brief.setting).at!r}, expected {case.at!r}")
    if case.style is not None:
        style = brief.art_style
        if style is None or case.style not in (style.preset, style.label):
            problems.append(f"style {style.label if style else None!r}, expected {case.style!r}")
    for word in case.premise:
        if not re.search(re.escape(word), brief.story_arc or "", re.I):
            problems.append(f"premise {brief.story_arc!r} lacks {word!r}")
    if case.tone is not None and brief.tone != case.tone:
        problems.append(f"tone {brief.tone!r}, expected {case.tone!r}")
    if case.moral is not None and case.moral.lower() not in (brief.moral or "").lower():
        problems.append(f"moral {brief.moral!r}, expected {case.moral!r}")
    if case.pages is not None and brief.page_count != case.pages:
        problems.append(f"pages {brief.page_count}, expected {case.pages}")
    if case.format is not None and brief.format != case.format:
        problems.append(f"format {brief.format!r}, expected {case.format!r}")
    for interest in case.interests:
        if interest.lower() not in [i.lower() for i in brief.interests]:
            problems.append(f"interests {brief.interests} lack {interest!r}")
    # Never ask for what was already said.
    stated = {"characters": case.hero not in (None,) and not case.hero.startswith("Your "),
              "age_range": case.ages is not None, "setting": case.setting is not None, "art_style": case.style is not None,
              "story_arc": bool(case.premise), "tone": case.tone is not None, "moral": case.moral is not None,
              "page_count": case.pages is not None, "format": case.format is not None}
    if stated.get(asking):
        problems.append(f"asks about {asking} again")
    assert not problems, "\n".join(problems)


def test_the_brief_panel_shows_a_rich_first_message_at_once():
    brief, _ = _after_first_message(CASES[0].message)
    rows = {row.label: row.value for row in brief_rows(brief.model_dump(mode="json"))}
    assert rows["Hero"] == "Your son" and rows["Age"] == "7"
    assert "Grandma (family)" in rows["Characters"] and "robot" not in rows["Hero"]
    assert rows["Setting"] == "Mars" and rows["Art style"] == "Comic book" and rows["Pages"] == "16"
    assert "fix a broken robot" in rows["Theme"]
