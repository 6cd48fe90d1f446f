"""A page's words as sentences: what the narration reads one by one and the read-along EPUB
highlights one by one, so both split them the same way."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

# A sentence ends at . ! ? or … (with any closing quotes or brackets), before a space and a
# capital (so '"Wait!" she said.' stays one sentence).
_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """The sentences of `text`, in order, stripped; a text with no ending mark is one sentence."""
    parts: list[str] = []
    start = 0
    for match in _END.finditer(text):
        parts.append(text[start:match.start() + len(match.group(0).rstrip())])
        start = match.end()
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


class SentenceTiming(BaseModel):
    """When one sentence is said in its page's audio: the narrator records it, the EPUB's media
    overlay highlights by it."""

    text: str
    begin: float = Field(ge=0)  # seconds into the page's audio
    end: float = Field(ge=0)
