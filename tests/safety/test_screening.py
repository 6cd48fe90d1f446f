"""The maintained list reads requests as a person meant them: the table passes and declines as
it should, however it is typed, and every alternative it offers passes itself."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bookbug.safety import CONCERNS, alternatives, changes, decline_request, picture_limits, screen, subject_of
from bookbug.safety.wordlist import ALLOWED, TERMS
from tests.safety.requests import CHANGES, DECLINE, PASS, REQUESTS, Request


def test_the_table_has_sixty_requests_half_passing_half_declined_with_every_concern() -> None:
    assert len(REQUESTS) >= 60
    assert abs(len(PASS) - len(DECLINE)) <= 2
    assert {row.concern for row in DECLINE} == set(CONCERNS)


@pytest.mark.parametrize("row", REQUESTS + CHANGES, ids=lambda row: row.text[:40])
def test_each_request_passes_or_is_declined_for_its_concern(row: Request) -> None:
    found = screen(row.text, youngest=row.youngest)
    assert (found.concern if found else None) == row.concern, found


def _retyped(text: str, draw: st.DrawFn) -> str:
    words = text.split()
    cased = [word.upper() if draw(st.booleans()) else word.capitalize() if draw(st.booleans()) else word
             for word in words]
    gaps = [draw(st.sampled_from([" ", "  ", "\t", " \n "])) for _ in cased]
    return "".join(word + gap for word, gap in zip(cased, gaps)).strip() + draw(st.sampled_from(["", "!", ".", "?!"]))


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_case_spacing_and_punctuation_do_not_change_the_verdict(data: st.DataObject) -> None:
    row = data.draw(st.sampled_from(REQUESTS))
    retyped = _retyped(row.text, data.draw)
    found = screen(retyped, youngest=row.youngest)
    assert (found.concern if found else None) == row.concern, retyped


@settings(max_examples=200, deadline=None)
@given(row=st.sampled_from(DECLINE), before=st.sampled_from(["", "Please write ", "My son is 5. ", "Idea: "]),
       after=st.sampled_from(["", " please", ", in watercolour", ". 16 pages."]))
def test_a_declined_request_inside_a_longer_message_is_still_declined(row: Request, before: str, after: str) -> None:
    found = screen(before + row.text + after, youngest=row.youngest)
    assert found is not None and found.concern == row.concern


@pytest.mark.parametrize("concern", CONCERNS)
@pytest.mark.parametrize("subject", [None, "shark", "dragon", "owl", "vampire", "zombie", "nazi", "trump"])
def test_every_alternative_offered_passes_the_screen_itself_even_for_toddlers(concern, subject) -> None:
    for idea in [*alternatives(concern, subject, words="taylor swift", youngest=2),
                 *changes(concern, subject, youngest=2)]:
        assert screen(idea, youngest=2) is None, idea
    assert len(set(alternatives(concern, subject, youngest=2))) == 3


@pytest.mark.parametrize("row", DECLINE, ids=lambda row: row.text[:40])
def test_a_declined_request_is_answered_kindly_with_close_ideas(row: Request) -> None:
    assert row.concern is not None
    message = decline_request(row.concern, row.youngest)
    assert message.startswith("I'm sorry") and "leave out" in message
    ideas = alternatives(row.concern, subject_of(row.text), youngest=row.youngest)
    subject = subject_of(row.text)
    if subject is not None and row.concern != "real_person" and not screen(subject, youngest=row.youngest):
        assert all(subject in idea.lower() for idea in ideas), "the ideas keep who the story was about"


def test_the_shark_stays_a_shark() -> None:
    assert subject_of("a shark who eats people") == "shark"
    assert alternatives("violence", "shark")[0] == "A shark who learns to be gentle"


def test_whole_words_only_and_allowed_phrases_never_match() -> None:
    assert screen("Sussex skills and a pistachio sextant") is None
    for phrase in ALLOWED:
        assert screen(phrase, youngest=8) is None, phrase


@pytest.mark.parametrize("concern", CONCERNS)
def test_every_listed_term_is_caught_on_its_own_and_let_through_after_a_negation(concern) -> None:
    for term in TERMS[concern]:
        word = term.rstrip("*")
        assert screen(f"a story with {word} in it", youngest=8) is not None, term
        if concern != "real_person":
            assert screen(f"a story with no {word} at all", youngest=8) is None, term


def test_younger_readers_have_more_limits_in_their_pictures() -> None:
    toddler, preschool, older = picture_limits(2), picture_limits(4), picture_limits(8)
    assert set(older) < set(preschool) < set(toddler)
    assert picture_limits(None) == toddler
