"""What free text typed by a person may contain, for every door.

Control characters (NUL, escape, the other C0/C1 codes) are invisible, mean nothing in a
message or a name, and some cannot be stored at all (PostgreSQL refuses NUL); a lone half of
a surrogate pair is not text. Line breaks and tabs are fine where a text has several lines.
"""

from __future__ import annotations

import unicodedata

_LINE_BREAKS = frozenset("\n\r\t")


def unusable_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character `text` may not contain, or None when it is all usable."""
    for char in text:
        if multiline and char in _LINE_BREAKS:
            continue
        if unicodedata.category(char) in ("Cc", "Cs"):
            return char
    return None


def describe(char: str) -> str:
    """A character nobody can see, named so a person knows what to look for."""
    return "a NUL character" if char == "\x00" else f"an invisible control character (U+{ord(char):04X})"
