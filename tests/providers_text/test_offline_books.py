"""Whole books from first messages: the premise drives the plot, everyone named is in the text,
and no sentence is told twice (only the refrain, chosen once in the setup, comes back)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookbug.agents import PlotProposalInput, plot_proposal
from bookbug.providers.text.offline import OfflineWriter
from bookbug.story import manuscript_problems
from bookbug.story.prose import repeated_sentences
from bookbug.story.reading_level import plain_words, sentences

from tests.providers_text.first_messages import CASES
from tests.providers_text.helpers import converse, write_book

MARS = ("My son is 7. He wants a space adventure where he and his grandma fix a broken robot on Mars. "
        "Comic book style please, 16 pages.")
FISHING = "Grandpa Joe, who is 70 and teaches his grandson Sam, age 3, to fish at the lake"

# (the conversation, words the plot must use: the premise's own nouns and verbs)
BOOKS: list[tuple[list[str], tuple[str, ...]]] = [
    ([MARS, "The robot is called Bolt and it talks in beeps", "Sam"], ("fix", "robot", "Mars")),
    ([FISHING], ("fish", "lake", "Grandpa Joe")),
    (["for my little girl Rosie who is 3, her teddy Mr Buttons goes everywhere with her. can they have a picnic in "
      "grandma's garden"], ("picnic", "garden")),
    (["Noah (4) and our dog Biscuit go looking for dinosaur bones at the beach, 24 pages"], ("dinosaur bones",)),
    (["my son Kai is 6, his big sister Ava and our cat Mittens help him bake a cake for mums birthday. 32 pages"],
     ("bake", "cake")),
    (["A dragon named Ember who is scared of the dark, for my granddaughter Lily who is 4"], ("dark",)),
    (["My grandson Theo is 4. Nana and Grandad take him to the zoo and he gets to feed the giraffes"], ("zoo",)),
    (["my son omar is 8 and his uncle Sami is teaching him to ride a bike in the park, 32 pages"], ("ride", "bike")),
    (["My twins Ella and Finn are 4, they go camping with Grandpa Jack in the woods"], ("camping", "woods")),
    (["Lucas, 6, explores a coral reef under the sea with a friendly octopus named Inky"], ("reef",)),
    (["Jack is 5 and lives on an island with a lighthouse. he rescues a baby seal after a storm"], ("seal",)),
    (["my daughter Freya is 5, pixel art like minecraft, she builds a castle"], ("castle",)),
    (["Pencil sketch style please. For Oscar, 8, who finds a map to a hidden treasure. 20 pages"], ("map",)),
    (["crayon drawings like a kid did them. Max is 4 and he loses his favourite blanket"], ("blanket",)),
    (["Make it look like a comic book! My son Dev is 9 and he invents a machine that makes ice cream"],
     ("machine",)),
    (["Hi!! so my son Ethan is turning 6 next week and he is obsessed with trains. maybe he drives a train to the "
      "north pole to deliver presents?? 24 pages"], ("presents", "north pole")),
    (["Sara is 7 she wants to learn to swim but is scared of the deep end, her mum helps her"], ("swim",)),
    (["granddaughter Maisie 6, loves space and stars. an alien called Zib crash lands in her garden and she helps "
      "him fix his spaceship. 28 pages"], ("fix", "spaceship")),
    (["Layla, 2, and Grandma Rose bake cookies in grandma's kitchen, cozy and warm, 32 pages"], ("bake", "cookies")),
    (["for ages 6-8, a hedgehog called Prickles who wants a friend, my daughter Bea is the hero, 32 pages"],
     ("friend", "Prickles")),
]


def _make(conversation: list[str], seed: int = 0):  # type: ignore[no-untyped-def]
    writer = OfflineWriter(seed=seed)
    brief = converse(writer, [*conversation, "surprise me"], max_turns=len(conversation) + 3)[0][-1].brief
    plot = writer.run(plot_proposal, PlotProposalInput(brief=brief)).output.plot
    manuscript, _, _ = write_book(writer, brief, plot)
    return brief, plot, manuscript


@pytest.fixture(scope="module", params=range(len(BOOKS)), ids=[b[0][0][:40] for b in BOOKS])
def book(request):  # type: ignore[no-untyped-def]
    conversation, premise_words = BOOKS[request.param]
    return (*_make(conversation), premise_words)


def test_the_book_keeps_the_rules_of_its_age_band(book):
    brief, _, manuscript, _ = book
    assert manuscript_problems(manuscript, brief) == []


def test_no_sentence_is_told_twice_except_the_refrain(book):
    brief, _, manuscript, _ = book
    assert repeated_sentences(manuscript.pages, manuscript.setup.refrain) == {}
    refrain = plain_words(manuscript.setup.refrain or "")
    told = Counter(plain_words(s) for page in manuscript.pages for s in sentences(page.text))
    assert told[refrain] <= 3  # the refrain comes back where the story turns, not on every page


def test_every_named_character_is_in_the_text(book):
    brief, _, manuscript, _ = book
    text = " ".join(page.text for page in manuscript.pages)
    missing = [c.name for c in brief.characters if not re.search(r"\b" + re.escape(c.name) + r"\b", text)]
    assert missing == []


def test_the_plot_is_told_with_the_premise_and_the_cast(book):
    brief, plot, _, premise_words = book
    beats = " ".join(beat.sentence for beat in plot.beats)
    assert [w for w in premise_words if w.lower() not in beats.lower()] == [], plot.outline()
    cast = [c.name for c in brief.characters]
    assert [n for n in cast if n not in beats] == [] or len(cast) > 3, plot.outline()


def test_sentences_open_in_varied_ways(book):
    _, _, manuscript, _ = book
    openings = [plain_words(s).split()[0] for page in manuscript.pages for s in sentences(page.text)]
    most, count = Counter(openings).most_common(1)[0]
    assert count <= max(3, len(openings) * 0.35), (most, count, len(openings))
    pages = [[plain_words(s).split()[0] for s in sentences(page.text)] for page in manuscript.pages]
    alike = [n for n, words in enumerate(pages, 1) if len(words) > 1 and len(set(words)) == 1]
    assert alike == []  # no page starts every sentence with the same word


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=st.sampled_from([case.message for case in CASES]), seed=st.integers(0, 1000),
       pages=st.sampled_from(["8 pages", "16 pages", "24 pages", "32 pages"]),
       age=st.sampled_from(["", "she is 2", "he is 5", "for ages 6-8"]))
def test_any_first_message_makes_a_book_without_repeats_that_names_everyone(first, seed, pages, age):
    brief, _, manuscript = _make([f"{first} {age}. {pages}"], seed)
    assert manuscript_problems(manuscript, brief) == []
    text = " ".join(page.text for page in manuscript.pages)
    assert [c.name for c in brief.characters if not re.search(r"\b" + re.escape(c.name) + r"\b", text)] == []
