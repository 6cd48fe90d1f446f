"""What does not belong in a picture book for young children, as a small closed set of kinds.

A request, a plot change, a redo note, a hand edit or a written page raises at most one
`Concern`; everything that reacts to it (the kind answer, its alternatives, a review's advice,
an operator's count) is chosen by the kind, never by reading words again.
"""

from __future__ import annotations

from typing import Literal, get_args

Concern = Literal["violence", "sexual", "self_harm", "hate", "drugs", "real_person", "frightening"]
CONCERNS: tuple[Concern, ...] = get_args(Concern)

# Where a book is for children younger than this, mildly spooky things count as frightening too.
YOUNG_AGE = 6

# What a concern asks for, as the end of "Bookbug's books ... leave out ___".
LEFT_OUT: dict[Concern, str] = {
    "violence": "anyone being hurt, killed or attacked, and weapons",
    "sexual": "anything sexual or grown-up about bodies",
    "self_harm": "anyone hurting themselves",
    "hate": "anything that puts people down for who they are",
    "drugs": "drugs, alcohol, smoking and vaping",
    "real_person": "real famous people as characters (I can make up a character a little like them)",
    "frightening": "anything too frightening for little ones",
}
LEFT_OUT_OLDER_FRIGHT = "anything truly frightening, like horror, gore or kidnapping"

# Told to a model (the intake, the plot review and the page review) so it knows each kind.
DESCRIBED: dict[Concern, str] = {
    "violence": "violence or gore: killing, injuring or attacking people or animals, weapons used on anyone",
    "sexual": "sexual content or nudity",
    "self_harm": "self-harm or suicide",
    "hate": "hate: demeaning people for their race, religion, origin, disability, gender or sexuality",
    "drugs": "drugs, alcohol, smoking or vaping",
    "real_person": "a real, living public figure (a politician, celebrity or athlete) as a character",
    "frightening": "content too frightening for the readers' ages (horror, kidnapping, gore; for under-sixes "
                   "also spooky or scary scenes)",
}


def concerns_for_a_model() -> str:
    """The kinds, one a line, as the intake, plot review and page review prompts list them."""
    return "\n".join(f"- {name}: {DESCRIBED[name]}" for name in CONCERNS)


def left_out(concern: Concern, youngest: int | None) -> str:
    if concern == "frightening" and youngest is not None and youngest >= YOUNG_AGE:
        return LEFT_OUT_OLDER_FRIGHT
    return LEFT_OUT[concern]
