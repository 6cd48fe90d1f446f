import pytest

from bookbug.story.reading_level import (
    EARLY_READER, PRESCHOOL, TODDLER, AgeRange, count_sentences, count_words, limits_for, states_moral, text_problems,
)


@pytest.mark.parametrize(("ages", "limits"), [
    ((2, 3), TODDLER), ((3, 5), TODDLER), ((4, 6), PRESCHOOL), ((5, 5), PRESCHOOL), ((6, 8), EARLY_READER),
    ((9, 12), EARLY_READER),
])
def test_the_youngest_reader_sets_the_band(ages, limits):
    assert limits_for(AgeRange(min=ages[0], max=ages[1])) is limits


def test_band_limits_match_the_picture_book_norms():
    assert (TODDLER.min_sentences, TODDLER.max_sentences, TODDLER.min_words, TODDLER.max_words) == (1, 2, 10, 20)
    assert (PRESCHOOL.min_sentences, PRESCHOOL.max_sentences, PRESCHOOL.min_words, PRESCHOOL.max_words) == (2, 3, 20, 40)
    assert (EARLY_READER.min_sentences, EARLY_READER.max_sentences, EARLY_READER.min_words,
            EARLY_READER.max_words) == (3, 4, 40, 60)


def test_words_count_contractions_and_hyphenated_words_once():
    assert count_words("Mia's brand-new boots didn't squeak.") == 5


def test_sentences_end_at_full_stops_not_inside_quotes_mid_sentence():
    assert count_sentences('"Wait," said Mia, "I have an idea!" Ember smiled.') == 2
    assert count_sentences("Boom! Crash. Who is there?") == 3
    assert count_sentences("No ending punctuation here") == 1


def test_text_problems_explain_what_is_wrong():
    assert text_problems("Mia ran. Ember flew. They laughed.", TODDLER) == [
        "has 6 words; ages 2-4 need 10-20", "has 3 sentences; ages 2-4 need 1-2"]
    assert text_problems("Mia ran to the big tree and Ember flew after her.", TODDLER) == []


def test_the_moral_counts_as_stated_only_word_for_word():
    moral = "being brave means trying even when scared"
    assert states_moral("And Mia knew: Being brave means trying, even when scared!", moral)
    assert not states_moral("Mia tried, even though she was scared.", moral)
