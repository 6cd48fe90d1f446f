"""What a picture leaves out for the youngest reader of its book: the age band's limits, added to
the art direction's "avoid" list and written into every page's image prompt.

Bands follow the text bands (story/reading_level.py): under 4, 4 and 5, 6 and over. Younger
bands leave out more; every band leaves out what `ALWAYS` names.
"""

from __future__ import annotations

from bookbug.safety.concerns import YOUNG_AGE

TODDLER_AGE = 4

ALWAYS: tuple[str, ...] = ("anyone hurt, bleeding or in pain", "weapons of any kind", "frightening faces or gore",
                           "smoking, alcohol or drugs", "nudity")
PRESCHOOL: tuple[str, ...] = ("dark, menacing shadows or spooky scenes", "characters in danger, falling or trapped",
                              "angry monsters, sharp teeth or claws shown fiercely")
TODDLER: tuple[str, ...] = ("anything dark, startling or sad", "crying or frightened characters",
                            "a child alone or lost")


def picture_limits(youngest: int | None) -> list[str]:
    """What pictures for a book whose youngest reader is `youngest` leave out (None: the youngest band)."""
    age = youngest if youngest is not None else 0
    limits = list(ALWAYS)
    if age < YOUNG_AGE:
        limits += PRESCHOOL
    if age < TODDLER_AGE:
        limits += TODDLER
    return limits


def with_limits(avoid: list[str], youngest: int | None) -> list[str]:
    """`avoid` with the age band's limits added (none repeated, ignoring case)."""
    present = {item.casefold() for item in avoid}
    return [*avoid, *(item for item in picture_limits(youngest) if item.casefold() not in present)]
