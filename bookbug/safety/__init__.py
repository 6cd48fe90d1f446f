"""Keeping books right for young children: the concerns, the maintained word list that screens
requests, notes, edits and written pages, the kind answers with close alternatives, and the
age band's limits for pictures.

It sits with `story` at the bottom of the layers (it imports nothing else of Bookbug), so the
offline writer, the workflows and the services all screen with the same list.
"""

from bookbug.safety.answers import (
    alternatives, changes, decline_change, decline_request, refusal, subject_of,
)
from bookbug.safety.concerns import CONCERNS, YOUNG_AGE, Concern, concerns_for_a_model, left_out
from bookbug.safety.pictures import picture_limits, with_limits
from bookbug.safety.screening import Screening, normalise, screen, screen_all

__all__ = [
    "CONCERNS", "Concern", "Screening", "YOUNG_AGE", "alternatives", "changes", "concerns_for_a_model",
    "decline_change", "decline_request", "left_out", "normalise", "picture_limits", "refusal", "screen",
    "screen_all", "subject_of", "with_limits",
]
