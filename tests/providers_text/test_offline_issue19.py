"""Regression tests for the examples of issue 19, using only the writer's public face (so they run,
and fail, against the writer as it was before the issue was fixed)."""

from __future__ import annotations

from bookbug.agents import ChatTurn, IntakeInput, PlotProposalInput, intake_turn, plot_proposal
from bookbug.providers.text.offline import OfflineWriter
from bookbug.story import Brief
from bookbug.story.prose import repeated_sentences

from tests.providers_text.helpers import converse, write_book

MARS = ("My son is 7. He wants a space adventure where he and his grandma fix a broken robot on Mars. "
        "Comic book style please, 16 pages.")
FISHING = "Grandpa Joe, who is 70 and teaches his grandson Sam, age 3, to fish at the lake"


def _make(conversation: list[str], seed: int = 0):  # type: ignore[no-untyped-def]
    writer = OfflineWriter(seed=seed)
    brief = converse(writer, [*conversation, "surprise me"], max_turns=len(conversation) + 3)[0][-1].brief
    plot = writer.run(plot_proposal, PlotProposalInput(brief=brief)).output.plot
    manuscript, _, _ = write_book(writer, brief, plot)
    return brief, plot, manuscript


def _hero(brief: Brief) -> str | None:
    return next((c.name for c in brief.characters if c.role == "hero"), None)


def _turns(messages: list[str]):  # type: ignore[no-untyped-def]
    return converse(OfflineWriter(), messages, max_turns=len(messages) + 1)[0]


def test_the_mars_message_keeps_grandma_mars_the_comic_style_and_the_premise_and_asks_for_the_name():
    turn = _turns([MARS])[-1]
    brief = turn.brief
    assert brief.age_range is not None and brief.age_range.min == 7 and brief.page_count == 16
    assert "Grandma" in [c.name for c in brief.characters]
    assert brief.setting == "Mars" and brief.art_style is not None and brief.art_style.label == "Comic book"
    assert "fix a broken robot" in (brief.story_arc or "")
    assert brief.asked_about[-1] == "characters" and "your son's name" in turn.message
    assert "snowy" not in turn.message and "Where does the story take place" not in turn.message


def test_naming_the_robot_later_renames_it_and_the_hero_name_fills_the_premise():
    turns = _turns([MARS, "The robot is called Bolt and it talks in beeps", "Sam"])
    robot = [c for c in turns[2].brief.characters if "robot" in c.description]
    assert [c.name for c in robot] == ["Bolt"] and "talks in beeps" in robot[0].description
    assert "Beep" not in [c.name for c in turns[2].brief.characters]
    brief = turns[3].brief
    assert _hero(brief) == "Sam"
    assert brief.story_arc == "Sam and Grandma fix a broken robot on Mars"


def test_grandpa_joe_is_kept_and_nobody_lives_in_the_lake():
    brief, plot, manuscript = _make([FISHING])
    assert [c.name for c in brief.characters][:2] == ["Sam", "Grandpa Joe"]
    text = " ".join(page.text for page in manuscript.pages) + " " + plot.outline()
    assert "in the lake" not in text and "at the lake" in text
    assert "Grandpa Joe wanted to teach Sam to fish." in [b.sentence for b in plot.beats]


def test_a_sixteen_page_book_never_repeats_its_filler_sentences():
    brief, _, manuscript = _make(["My son Kofi is 5", "a robot who wants to learn to dance", "the seaside",
                                  "watercolor", "no", "no", "no", "16 pages"])
    assert brief.pages == 16
    assert repeated_sentences(manuscript.pages, getattr(manuscript.setup, "refrain", None)) == {}


def test_a_child_not_named_yet_is_kept_as_a_stand_in_and_never_finishes_the_intake():
    # A stand-in hero ("Your son") never leaves the intake: the intake only finishes with a real name.
    turn = OfflineWriter().run(intake_turn, IntakeInput(brief=Brief(), conversation=[
        ChatTurn(role="assistant", content="Who is the star?"), ChatTurn(role="user", content=MARS)])).output
    assert not turn.done and _hero(turn.brief) == "Your son"
    finished = _turns([MARS, "surprise me"])[-1]
    assert finished.done and not (_hero(finished.brief) or "Your").startswith("Your")
