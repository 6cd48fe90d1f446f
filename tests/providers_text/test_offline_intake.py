from hypothesis import given, settings
from hypothesis import strategies as st

from bookbug.agents import SURPRISE_ME, IntakeInput, intake_turn
from bookbug.agents.base import ChatTurn
from bookbug.providers.text.offline import OfflineWriter
from bookbug.story import AgeRange, Brief, Need

from tests.providers_text.helpers import converse

SCRIPT = ["My daughter Mia", "she's 4", "a dragon who is afraid of the dark", "An enchanted forest", "watercolor",
          "Being kind to someone new", "Funny and silly", "Dinosaurs and trains", "12 pages", "Portrait 6 x 9 in"]


def test_a_scripted_conversation_produces_a_complete_valid_brief():
    turns, _ = converse(OfflineWriter(), SCRIPT)
    final = turns[-1]
    assert final.done and final.chips == []
    brief = Brief.model_validate(final.brief.model_dump())
    assert brief.is_complete and brief.still_to_ask() == []
    assert brief.hero is not None and brief.hero.name == "Mia"
    assert brief.age_range == AgeRange(min=4, max=4)
    dragon = [c for c in brief.characters if "dragon" in c.description]
    assert len(dragon) == 1 and dragon[0].visual.body and dragon[0].name != "Mia"
    assert brief.story_arc == "a dragon who is afraid of the dark"
    assert brief.setting == "an enchanted forest"
    assert brief.art_style is not None and brief.art_style.preset == "watercolor"
    assert brief.moral == "Being kind to someone new"
    assert brief.tone == "funny and silly"
    assert brief.interests == ["Dinosaurs", "trains"]
    assert brief.page_count == 12 and brief.pages == 12
    assert brief.format == "portrait-small"
    assert brief.title and "Mia" in brief.title
    assert len(turns) == len(SCRIPT) + 1  # one question per answer, then the summary


def test_every_question_is_one_question_with_three_to_five_chips_and_no_catch_all():
    turns, _ = converse(OfflineWriter(), SCRIPT)
    for turn in turns[:-1]:
        assert 3 <= len(turn.chips) <= 5
        assert not {"other", "none"} & {chip.lower() for chip in turn.chips}
        assert turn.message.count("?") == 1


def test_the_intake_asks_required_fields_first_and_each_asked_field_once():
    turns, _ = converse(OfflineWriter(), SCRIPT)
    asked = [turn.brief.asked_about[-1] for turn in turns[:-1]]
    assert asked == ["characters", "age_range", "story_arc", "setting", "art_style", "moral", "tone", "interests",
                     "page_count", "format"]


def test_a_pasted_idea_fills_several_fields_at_once():
    idea = ("It's for my son Leo, who is 5 and loves trucks. He lives in a small seaside town. I'd like a story about "
            "a little dragon named Ember who is afraid of the dark. Watercolor please, 16 pages. "
            "The lesson is that it's okay to ask for help.")
    turns, _ = converse(OfflineWriter(), [idea], max_turns=2)
    brief = turns[1].brief
    assert brief.hero is not None and brief.hero.name == "Leo"
    assert brief.age_range == AgeRange(min=5, max=5)
    assert [c.name for c in brief.characters] == ["Leo", "Ember"]
    assert brief.story_arc == "Ember, a little dragon who is afraid of the dark"
    assert brief.setting == "a small seaside town"
    assert brief.art_style is not None and brief.art_style.preset == "watercolor"
    assert brief.page_count == 16
    assert brief.moral == "it's okay to ask for help"
    assert brief.interests == ["trucks"]
    assert brief.is_complete
    # only the asked-about fields the idea did not answer are left: tone is asked now, format after
    assert brief.asked_about[-1] == "tone" and brief.still_to_ask() == ["format"]
    assert "noted" in turns[1].message.lower()


def test_surprise_me_completes_the_brief_at_once():
    turns, _ = converse(OfflineWriter(seed=3), [SURPRISE_ME])
    assert len(turns) == 2 and turns[1].done
    brief = turns[1].brief
    assert brief.is_complete and brief.moral and brief.tone and brief.interests and brief.title


def test_surprise_me_midway_keeps_what_the_user_already_said():
    turns, _ = converse(OfflineWriter(), ["My granddaughter, Ava", "6-8 years", "surprise me"])
    brief = turns[-1].brief
    assert turns[-1].done
    assert brief.hero is not None and brief.hero.name == "Ava" and brief.age_range == AgeRange(min=6, max=8)


def test_an_answer_it_cannot_read_is_asked_again_politely():
    turns, _ = converse(OfflineWriter(), ["My daughter Mia", "hmm, good question"], max_turns=3)
    assert turns[-1].brief.age_range is None
    assert turns[-1].brief.asked_about[-1] == "age_range"
    assert turns[-1].message.startswith("Sorry, I didn't quite catch that.")


def test_skipping_an_asked_about_field_moves_on_and_the_default_applies():
    brief = Brief.model_validate(converse(OfflineWriter(), SCRIPT[:8])[0][-1].brief.model_dump())
    turns, _ = converse(OfflineWriter(), ["no preference", "no preference"], brief=brief, max_turns=3)
    assert turns[-1].done
    assert turns[-1].brief.pages == 24 and turns[-1].brief.book_format == "square-large"


def test_the_same_conversation_and_seed_give_the_same_turns():
    first, _ = converse(OfflineWriter(seed=7), SCRIPT)
    again, _ = converse(OfflineWriter(seed=7), SCRIPT)
    assert [t.model_dump() for t in first] == [t.model_dump() for t in again]


async def test_generate_reports_no_token_cost_offline():
    result = await OfflineWriter().generate(intake_turn, IntakeInput(brief=Brief(), conversation=[]))
    assert result.usage.provider == "offline" and result.usage.cost_usd == 0 and result.usage.calls == 1
    assert result.output.brief.missing(Need.required)[0] == "characters"


def test_the_hero_can_be_an_animal():
    turns, _ = converse(OfflineWriter(), ["A little fox named Pip"], max_turns=2)
    brief = turns[1].brief
    assert brief.hero is not None and brief.hero.name == "Pip"


def test_a_plain_name_is_understood_when_the_hero_was_asked_for():
    turn = OfflineWriter().run(intake_turn, IntakeInput(brief=Brief(asked_about=["characters"]), conversation=[
        ChatTurn(role="assistant", content="Who is the star?"), ChatTurn(role="user", content="noah")])).output
    assert turn.brief.hero is not None and turn.brief.hero.name == "Noah"


@settings(max_examples=60, deadline=None)
@given(answers=st.lists(st.text(min_size=1, max_size=900), min_size=1, max_size=6), seed=st.integers(0, 99))
def test_any_answer_at_all_gives_a_valid_next_turn(answers, seed):
    turns, _ = converse(OfflineWriter(seed=seed), answers)
    for turn in turns:
        assert turn.done or 3 <= len(turn.chips) <= 5
        assert not turn.done or turn.brief.is_complete


def test_a_very_long_paste_is_kept_within_the_brief_limits():
    paste = "My daughter Mia is 5. She lives in a village by the sea where " + "the gulls sing and " * 300 + "it rains."
    turns, _ = converse(OfflineWriter(), [paste, "a dragon who " + "loves cake and " * 200 + "naps"], max_turns=3)
    brief = turns[-1].brief
    assert brief.hero is not None and brief.hero.name == "Mia"
    assert len(brief.setting or "") <= 300 and len(brief.story_arc or "") <= 600


def test_animals_mentioned_in_passing_do_not_become_characters():
    turns, _ = converse(OfflineWriter(), ["My daughter Mia", "4", "a lost kite", "A village where cats sleep on roofs"],
                        max_turns=5)
    brief = turns[-1].brief
    assert [c.name for c in brief.characters] == ["Mia"]
    assert brief.setting == "a village where cats sleep on roofs"
