"""What a narrator is asked (a page's words) and what it hands back (an MP3 and when each
sentence is said)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from bookbug.story.sentences import SentenceTiming


class NarrationRequest(BaseModel):
    book_id: str
    page: int = Field(ge=1)
    text: str = Field(min_length=1, max_length=2000)
    language: str = "en"


class NarrationResult(BaseModel):
    mp3: bytes
    duration: float = Field(gt=0)
    sentences: list[SentenceTiming] = Field(min_length=1)
    voice: str = ""
    timing: str = "measured"  # "measured" (sentence by sentence) or "estimated" (spread by length)


def spread_by_length(sentences: list[str], duration: float) -> list[SentenceTiming]:
    """Sentence timings for audio made in one piece: each sentence's share of the time is its share
    of the letters (a model that reads a whole page gives no timings of its own)."""
    total = sum(len(s) for s in sentences) or 1
    timings, at = [], 0.0
    for index, sentence in enumerate(sentences):
        end = duration if index == len(sentences) - 1 else at + duration * len(sentence) / total
        timings.append(SentenceTiming(text=sentence, begin=round(at, 3), end=round(end, 3)))
        at = end
    return timings
