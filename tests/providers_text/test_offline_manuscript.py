from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookbug.agents import PlotProposalInput, PlotReviewInput, plot_proposal, plot_review
from bookbug.providers.text.offline import OfflineWriter
from bookbug.story import AgeRange, Brief, BeatPurpose, manuscript_problems, page_plan
from bookbug.story.reading_level import count_words, limits_for, states_moral

from tests.providers_text.helpers import converse, write_book

ARCS = ["a dragon who is afraid of the dark", "a bear who has lost a favourite blanket", "a penguin who wants to learn to fly",
        "a shy fox who wants a friend", "a robot who is scared of water", "going to the moon in a cardboard rocket"]


def _brief(writer: OfflineWriter, hero: str, ages: tuple[int, int], arc: str, pages: int, moral: str) -> Brief:
    answers = [f"My daughter {hero}", f"ages {ages[0]} to {ages[1]}", arc, "A cozy seaside town", "crayon", moral,
               "Cozy and gentle", "Baking", f"{pages} pages", "Landscape 9 x 7 in"]
    brief = converse(writer, answers)[0][-1].brief
    assert brief.is_complete and brief.age_range == AgeRange(min=ages[0], max=ages[1]), brief
    return brief


def _book(seed: int, hero: str, ages: tuple[int, int], arc: str, pages: int, moral: str):
    writer = OfflineWriter(seed=seed)
    brief = _brief(writer, hero, ages, arc, pages, moral)
    plot = writer.run(plot_proposal, PlotProposalInput(brief=brief)).output.plot
    return brief, plot, *write_book(writer, brief, plot)


def test_a_whole_book_keeps_the_rules_and_uses_the_characters_setting_and_story():
    brief, plot, manuscript, guide, beats = _book(0, "Mia", (4, 6), ARCS[0], 12, "Being brave")
    assert manuscript_problems(manuscript, brief) == []
    assert len(manuscript.pages) == 12 and len(beats) == 12
    text = " ".join(page.text for page in manuscript.pages)
    dragon = brief.characters[1].name
    assert text.count("Mia") >= 8 and text.count(dragon) >= 4 and "the cozy seaside town" in text and "baking" in text
    assert "afraid of the dark" in text
    climax_pages = [p for p, plan in zip(manuscript.pages, page_plan(plot, 12)) if plan.beat.purpose is BeatPurpose.climax]
    assert any("Mia made a glowing lantern" in page.text for page in climax_pages)  # her own action solves it
    assert len({page.text for page in manuscript.pages}) == 12  # no page repeats another
    assert guide.art_style.preset == "crayon"
    assert [b.page_number for b in beats] == list(range(1, 13))
    assert all(b.characters[0].name == "Mia" for b in beats)
    assert all(b.shot_size != a.shot_size for a, b in zip(beats, beats[1:]))


def test_the_page_count_asked_for_is_the_page_count_written():
    for requested, written in ((8, 8), (13, 16), (32, 32)):
        brief, _, manuscript, _, _ = _book(1, "Leo", (2, 3), ARCS[1], requested, "Sharing")
        assert brief.pages == written and len(manuscript.pages) == written


def test_a_moral_that_the_word_bank_would_say_is_still_never_stated():
    moral = "a great big smile"  # "Mia smiled a great big smile" is in the bank: it must not be used
    brief, _, manuscript, _, _ = _book(2, "Mia", (4, 5), ARCS[0], 32, moral)
    assert brief.moral == moral
    assert not any(states_moral(page.text, moral) for page in manuscript.pages)
    assert manuscript_problems(manuscript, brief) == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    hero=st.sampled_from(["Mia", "Leo", "Jo", "Anastasia", "Ruby-Mae", "Thomas"]),
    ages=st.sampled_from([(2, 3), (3, 4), (4, 6), (5, 7), (6, 8), (8, 12)]),
    arc=st.sampled_from(ARCS),
    pages=st.integers(8, 32),
    moral=st.sampled_from(["Being brave", "trying again when it is hard", "sharing what you love"]),
)
def test_the_offline_writer_always_writes_a_valid_manuscript(seed, hero, ages, arc, pages, moral):
    brief, plot, manuscript, guide, beats = _book(seed, hero, ages, arc, pages, moral)
    assert manuscript_problems(manuscript, brief) == []
    limits = limits_for(brief.age_range)
    assert all(limits.min_words <= count_words(p.text) <= limits.max_words for p in manuscript.pages)
    assert all(hero in " ".join(p.text for p in manuscript.pages[i:i + 4]) for i in range(0, len(manuscript.pages), 4))
    assert len(beats) == brief.pages and guide.avoid


def test_the_same_brief_and_seed_write_the_same_book():
    first = _book(5, "Ava", (4, 6), ARCS[2], 16, "trying again")
    again = _book(5, "Ava", (4, 6), ARCS[2], 16, "trying again")
    assert first[2] == again[2] and first[4] == again[4]
    other = _book(6, "Ava", (4, 6), ARCS[2], 16, "trying again")
    assert other[2] != first[2]

_FRAGMENTS = ["My daughter", "Mia", "my son Leo", "is 4", "ages 3-5", "a dragon", "who is afraid of the dark",
              "named Ember", "lives in a small town", "in the forest", "watercolor", "12 pages", "40 pages",
              "landscape book", "the lesson is kindness", "loves trucks and cake", "funny story", "a bear who lost a hat",
              "Zoë", "O'Neil", "a robot called Bolt", ".", ",", "!", "skip", "no", "3", "twelve", "über", "7 year old",
              "a unicorn who wants to fly", "called \"Big Day\"", "please no monsters", "ANNA", "x" * 50, "she's 11"]
_MESSY = st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=8).map(" ".join)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=st.lists(_MESSY, min_size=1, max_size=10), seed=st.integers(0, 50), reply=_MESSY)
def test_messy_conversations_still_end_in_a_valid_book(answers, seed, reply):
    writer = OfflineWriter(seed=seed)
    brief = converse(writer, [*answers, "surprise me"])[0][-1].brief
    assert brief.is_complete
    proposal = writer.run(plot_proposal, PlotProposalInput(brief=brief)).output
    review = writer.run(plot_review, PlotReviewInput(brief=brief, plot=proposal.plot, reply=reply)).output
    manuscript, _, beats = write_book(writer, review.brief, review.plot)
    assert manuscript_problems(manuscript, review.brief) == [] and len(beats) == review.brief.pages
