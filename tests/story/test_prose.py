import pytest
from pydantic import ValidationError

from bookbug.story import AgeRange, Brief, Character, Manuscript, ProsePage, ProseSetup, VisualDescription, get_preset
from bookbug.story.prose import manuscript_problems, prose_context

BRIEF = Brief(characters=[Character(name="Mia", role="hero", visual=VisualDescription(body="girl"))],
              age_range=AgeRange(min=2, max=3), story_arc="a lost teddy", setting="a farm",
              art_style=get_preset("crayon"), moral="sharing is caring", page_count=8)
GOOD = "Mia looked under the hay and behind the big red barn door."


def _page(text: str, number: int = 1) -> dict:
    return {"page_number": number, "summary": "Mia looks", "text": text, "image_concept": "Mia in the barn"}


def test_a_page_is_checked_against_its_age_band_when_validated_for_a_book():
    assert ProsePage.model_validate(_page(GOOD), context=prose_context(BRIEF, 1)).text == GOOD
    with pytest.raises(ValidationError, match="words; ages 2-4 need 10-20"):
        ProsePage.model_validate(_page("Mia looked."), context=prose_context(BRIEF, 1))


def test_a_page_that_states_the_moral_is_refused():
    with pytest.raises(ValidationError, match="states the moral"):
        ProsePage.model_validate(_page("Mia gave Sam half, because sharing is caring, you know."),
                                 context=prose_context(BRIEF, 1))


def test_a_page_must_carry_the_number_it_was_asked_for():
    with pytest.raises(ValidationError, match="this is page 3"):
        ProsePage.model_validate(_page(GOOD, 2), context=prose_context(BRIEF, 3))


PLACES = ["the hay", "the barn door", "the red tractor", "the big haystack", "the duck pond", "the apple tree",
          "the muddy gate", "the chicken coop"]


def _looked(n: int) -> str:
    return f"Mia looked under {PLACES[n - 1]} and behind the big red barn."


def test_the_manuscript_must_have_every_page_of_the_book():
    setup = ProseSetup(logline="Mia finds her teddy.", theme="sharing", style_notes="short and bouncy")
    pages = [ProsePage(**_page(_looked(n), n)) for n in range(1, 8)]
    assert manuscript_problems(Manuscript(setup=setup, pages=pages), BRIEF) == ["the book needs 8 pages, the manuscript has 7"]
    pages.append(ProsePage(**_page(_looked(8), 8)))
    assert manuscript_problems(Manuscript(setup=setup, pages=pages), BRIEF) == []


def test_a_sentence_told_twice_in_a_book_is_a_problem_but_the_refrain_may_come_back():
    refrain = "Where, oh where, can Teddy be?"
    pages = [ProsePage(**_page(f"{_looked(n)} {refrain}", n)) for n in range(1, 9)]
    setup = ProseSetup(logline="Mia finds her teddy.", theme="sharing", style_notes="short", refrain=refrain)
    assert manuscript_problems(Manuscript(setup=setup, pages=pages), BRIEF) == []
    unplanned = setup.model_copy(update={"refrain": None})
    assert manuscript_problems(Manuscript(setup=unplanned, pages=pages), BRIEF) == [
        "the sentence 'where oh where can teddy be' appears on pages 1, 2, 3, 4, 5, 6, 7, 8"]
    pages[5] = ProsePage(**_page(f"{_looked(2).upper()} {refrain}", 6))  # case and punctuation do not hide a repeat
    assert manuscript_problems(Manuscript(setup=setup, pages=pages), BRIEF) == [
        "the sentence 'mia looked under the barn door and behind the big red barn' appears on pages 2, 6"]
