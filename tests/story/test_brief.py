import pytest
from pydantic import ValidationError

from bookbug.story import AgeRange, Brief, Character, Need, VisualDescription, get_preset
from bookbug.story.brief import FIELD_NEEDS
from bookbug.story.page_count import padded_page_count


def _hero(name: str = "Mia") -> Character:
    return Character(name=name, role="hero", visual=VisualDescription(body="a small girl with curly hair"))


def _complete() -> Brief:
    return Brief(characters=[_hero()], age_range=AgeRange(min=4, max=6), story_arc="a dragon who is afraid of the dark",
                 setting="an enchanted forest", art_style=get_preset("watercolor"))


def test_every_brief_field_is_marked_required_asked_or_optional():
    assert set(FIELD_NEEDS) == set(Brief.model_fields) - {"asked_about"}
    assert {name for name, need in FIELD_NEEDS.items() if need is Need.required} == {
        "characters", "age_range", "story_arc", "setting", "art_style"}


def test_an_empty_brief_misses_every_required_field_in_asking_order():
    brief = Brief()
    assert brief.missing(Need.required) == ["characters", "age_range", "story_arc", "setting", "art_style"]
    assert not brief.is_complete


def test_asked_fields_are_asked_once_then_left_to_their_defaults():
    brief = _complete()
    assert brief.is_complete
    assert brief.still_to_ask() == ["moral", "tone", "interests", "page_count", "format"]
    brief.asked_about = ["moral", "tone", "interests", "page_count", "format"]
    assert brief.still_to_ask() == []
    assert brief.pages == 24 and brief.book_format == "square-large"


def test_require_complete_names_what_is_missing():
    with pytest.raises(ValueError, match="age_range, story_arc, setting, art_style"):
        Brief(characters=[_hero()]).require_complete()


def test_blank_text_counts_as_missing():
    assert Brief(setting="   ").setting is None


@pytest.mark.parametrize(("requested", "expected"), [(8, 8), (12, 12), (13, 16), (24, 24), (30, 32), (32, 32)])
def test_page_count_is_padded_to_whole_signatures(requested: int, expected: int):
    assert padded_page_count(requested, "square-large") == expected
    assert Brief(page_count=requested, format="landscape").pages == expected


@pytest.mark.parametrize("requested", [7, 33, 0])
def test_page_count_outside_8_to_32_is_refused(requested: int):
    with pytest.raises(ValueError, match="8-32"):
        padded_page_count(requested)
    with pytest.raises(ValidationError):
        Brief(page_count=requested)


def test_an_unknown_format_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="square-small"):
        padded_page_count(12, "A4")


def test_age_range_must_be_two_ages_from_2_to_12_in_order():
    with pytest.raises(ValidationError, match="backwards"):
        AgeRange(min=6, max=4)
    with pytest.raises(ValidationError):
        AgeRange(min=1, max=4)
    with pytest.raises(ValidationError):
        AgeRange(min=4, max=13)


def test_character_names_stay_short_enough_for_page_text():
    with pytest.raises(ValidationError, match="at most three words"):
        _hero("Princess Anastasia Maria Josephine")
