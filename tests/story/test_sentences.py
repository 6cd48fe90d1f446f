"""A page's words split into the sentences the voice reads and the e-book highlights."""

from __future__ import annotations

import pytest

from bookbug.providers.voice.audio import read_wav
from bookbug.providers.voice.models import spread_by_length
from bookbug.resilience.errors import FatalError
from bookbug.story.sentences import sentences


def test_sentences_end_at_their_marks_and_keep_a_quote_with_its_speaker() -> None:
    text = 'Mia ran.  "Wait!" she said. Then... the moon? Yes!\nThe end'
    assert sentences(text) == ["Mia ran.", '"Wait!" she said.', "Then... the moon?", "Yes!", "The end"]


def test_a_text_without_an_ending_mark_is_one_sentence() -> None:
    assert sentences("  Mia and the owl  ") == ["Mia and the owl"]
    assert sentences("") == []


def test_a_whole_page_reading_is_shared_among_its_sentences_by_length() -> None:
    timings = spread_by_length(["Hi.", "The owl flew home."], 4.2)
    assert [t.text for t in timings] == ["Hi.", "The owl flew home."]
    assert timings[0].begin == 0 and timings[0].end == timings[1].begin and timings[1].end == 4.2
    assert timings[0].end < timings[1].end - timings[1].begin  # the short one gets less time


def test_an_answer_that_is_not_a_wav_is_an_invalid_reply() -> None:
    with pytest.raises(FatalError) as refused:
        read_wav(b"ID3 an mp3 perhaps", "replicate")
    assert refused.value.kind == "invalid_reply" and refused.value.service == "replicate"
