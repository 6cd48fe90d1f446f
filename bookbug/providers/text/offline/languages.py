"""The offline writer writes English only: this notices when a user asks for another language
(names it, in English or in its own words, or writes in Cyrillic or Greek letters), so the
writer can say so instead of silently answering in English."""

from __future__ import annotations

import re

from bookbug.story.languages import LANGUAGES

ENGLISH_ONLY = ("I can only write in English while I work offline, so this book will be in English. ")

# Each language's names as people ask for it ("in Spanish", "en español", "по-русски", ...).
_NAMES: dict[str, tuple[str, ...]] = {
    "es": ("español", "espanol", "castellano"), "fr": ("français", "francais"), "de": ("deutsch",),
    "it": ("italiano",), "pt": ("português", "portugues"), "nl": ("nederlands",), "pl": ("polski", "polsku"),
    "sv": ("svenska",), "ru": ("русск", "по-русски"), "uk": ("українськ",), "bg": ("български",),
    "el": ("ελληνικά", "ελληνικα"),
}
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_GREEK = re.compile(r"[\u0370-\u03FF\u1F00-\u1FFF]")


def asked_language(text: str) -> str | None:
    """The code of a language other than English the text asks for or is written in, else None."""
    lowered = (text or "").lower()
    for code, language in LANGUAGES.items():
        if code == "en":
            continue
        # an English name only in a request ("in Spanish", "a Spanish version"): "a French chef" is a character
        english = rf"\bin {language.name.lower()}\b|\b{language.name.lower()} (version|language|translation|edition)\b"
        if re.search(english, lowered) or any(re.search(rf"(?<!\w){re.escape(name)}", lowered)
                                              for name in _NAMES.get(code, ())):
            return code
    letters = [char for char in lowered if char.isalpha()]
    if letters and len(_CYRILLIC.findall(lowered)) * 2 >= len(letters):
        return "ru"
    if letters and len(_GREEK.findall(lowered)) * 2 >= len(letters):
        return "el"
    return None
