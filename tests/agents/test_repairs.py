"""Harmless fixes are made, never refused, and never invent anything: chips, whitespace, page length."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from bookbug.agents import PlotProposalInput, plot_proposal, prose_page
from bookbug.agents.chips import chip_key, check_chips, is_catch_all
from bookbug.story import ProsePage
from bookbug.story.prose import TEXT_BAND
from bookbug.story.reading_level import (
    EARLY_READER, PRESCHOOL, TODDLER, TextLimits, count_sentences, count_words, few_words_over, text_problems,
    trimmed_to_limits,
)
from bookbug.story.text_fields import Line, Text, non_blank_pattern

from tests.agents.samples import PLOT, PRESCHOOL as PRESCHOOL_BRIEF, SAMPLES

# chips ---------------------------------------------------------------------------------------

_WORDS = ["Dragons", "dragons", "Space", "Rockets", "A picnic", "a  Picnic", "Other", "none", "Pirates", "Owls", "Owls!"]
chip_lists = st.lists(st.builds(lambda word, pad: pad + word + pad, st.sampled_from(_WORDS), st.sampled_from(["", " ", "\n "])),
                      max_size=9)


@given(chips=chip_lists, low=st.integers(1, 3), extra=st.integers(0, 3))
def test_chips_are_tidied_from_what_was_given_or_refused_when_too_few_are_left(chips, low, extra):
    high = low + extra
    try:
        tidied = check_chips(chips, low=low, high=high)
    except ValueError:
        real = {chip_key(chip) for chip in chips if chip.strip() and not is_catch_all(chip)}
        assert len(real) < low  # refused only when too few real, different chips were offered
        return
    given_ = [" ".join(chip.split()) for chip in chips]
    assert low <= len(tidied) <= high
    assert len({chip_key(chip) for chip in tidied}) == len(tidied)
    assert not any(is_catch_all(chip) for chip in tidied)
    positions = [given_.index(chip) for chip in tidied]  # every chip was given, in the given order
    assert positions == sorted(positions)
    assert check_chips(tidied, low=low, high=high) == tidied


def test_a_plot_proposal_with_a_chip_too_many_a_repeat_and_the_approval_chip_again_is_repaired():
    reply = {"plot": PLOT.model_dump(mode="json"), "message": "  Here it is!  ", "approval_chip": " Write it! ",
             "change_chips": ["Make it funnier", "make it  FUNNIER", "Add a picnic", "Write it!", "Change beat 2",
                              "Add a song", "Add a dog"]}
    proposal = plot_proposal.parse(reply, PlotProposalInput(brief=PRESCHOOL_BRIEF))
    assert proposal.change_chips == ["Make it funnier", "Add a picnic", "Change beat 2"]
    assert proposal.chips == ["Make it funnier", "Add a picnic", "Change beat 2", "Write it!"]
    assert proposal.message == "Here it is!"


def test_a_reply_whose_only_second_chip_repeats_the_first_is_refused_for_a_worded_rule():
    reply = {"plot": PLOT.model_dump(mode="json"), "message": "Here it is", "approval_chip": "Write it!",
             "change_chips": ["Make it funnier", "Make it FUNNIER"]}
    with pytest.raises(ValidationError) as caught:
        plot_proposal.parse(reply, PlotProposalInput(brief=PRESCHOOL_BRIEF))
    assert [error["type"] for error in caught.value.errors()] == ["chips_distinct"]


# whitespace ----------------------------------------------------------------------------------

class _Fields(BaseModel):
    text: Text
    line: Line


@given(st.text(max_size=30))
def test_stray_whitespace_is_tidied_and_what_fits_the_pattern_keeps_its_length(value):
    fields = _Fields(text=value, line=value)
    assert fields.text == value.strip() and fields.line == " ".join(value.split())
    for least in (1, 2, 3):
        if re.search(non_blank_pattern(least), value):  # what the schema asks of a Text/Line of minLength `least`
            assert len(fields.text) >= least and len(fields.line) >= least


# page length ---------------------------------------------------------------------------------

_WORD = st.sampled_from(["Mia", "ran", "to", "the", "big", "red", "barn", "and", "Ember's", "lantern", "glowed"])


@st.composite
def pages_near_a_band(draw: st.DrawFn) -> tuple[str, TextLimits]:
    """A page of whole sentences whose length lands around its band: under, in, a little and far over."""
    limits = draw(st.sampled_from([TODDLER, PRESCHOOL, EARLY_READER]))
    count = draw(st.integers(1, limits.max_sentences + 2))
    words = draw(st.integers(max(count, limits.min_words - 5), limits.max_words + 2 * few_words_over(limits)))
    cuts = sorted(draw(st.lists(st.integers(1, words - 1), min_size=count - 1, max_size=count - 1, unique=True)))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, words])]
    sentences = [" ".join(draw(st.lists(_WORD, min_size=size, max_size=size))).capitalize()
                 + draw(st.sampled_from([".", "!", "?", "...", '."'])) for size in sizes]
    return " ".join(sentences), limits


@settings(max_examples=300)
@given(page=pages_near_a_band())
def test_a_page_a_little_over_its_band_is_cut_at_a_sentence_end_and_nothing_else_changes(page: tuple[str, TextLimits]):
    text, limits = page
    kept = trimmed_to_limits(text, limits)
    if not text_problems(text, limits):
        assert kept == text
    elif kept != text:
        assert text.startswith(kept) and not text_problems(kept, limits)
        assert count_sentences(text[len(kept):]) >= 1  # whole sentences were dropped, from the end
        assert count_words(text) - limits.max_words <= few_words_over(limits)
        assert count_sentences(text) - limits.max_sentences <= 1
    else:  # unchanged and over: either too far over, or no sentence end leaves a page that fits
        over = (count_words(text) - limits.max_words > few_words_over(limits)
                or count_sentences(text) - limits.max_sentences > 1)
        ends = [m.end() for m in re.finditer(r"[.!?\u2026]+[\"'\u201d\u2019)]*(?=\s|$)", text)]
        assert over or not any(not text_problems(text[:end].rstrip(), limits) for end in ends)


def _page_input():
    return next(input for agent, input in SAMPLES if agent is prose_page)


def test_a_page_one_sentence_over_its_band_is_trimmed_when_parsed():
    input = _page_input()  # ages 4-5: 2-3 sentences, 20-40 words
    text = ("Mia held the jar up high and the fireflies began to glow. Ember peeked out from behind the big fern. "
            "He blinked at the soft golden light. Then he smiled.")
    page = prose_page.parse({"page_number": 3, "summary": "The lantern", "text": text, "image_concept": "A jar"}, input)
    assert page.text == ("Mia held the jar up high and the fireflies began to glow. Ember peeked out from behind the big "
                         "fern. He blinked at the soft golden light.")


def test_a_page_far_over_its_band_is_refused_for_the_band_rule():
    input = _page_input()
    text = " ".join(["Mia walked and walked through the dark green forest with her lantern."] * 6)
    with pytest.raises(ValidationError) as caught:
        prose_page.parse({"page_number": 3, "summary": "Walking", "text": text, "image_concept": "A path"}, input)
    assert [error["type"] for error in caught.value.errors()] == [TEXT_BAND.kind]


def test_a_page_for_another_page_number_is_refused_and_the_schema_says_which_page():
    input = _page_input()
    assert prose_page.tool(input)["input_schema"]["properties"]["page_number"]["const"] == 3
    with pytest.raises(ValidationError, match="this is page 3"):
        ProsePage.model_validate({"page_number": 2, "summary": "x" * 3, "text": "Mia ran. " * 5, "image_concept": "abc"},
                                 context={"brief": PRESCHOOL_BRIEF, "page_number": 3})
