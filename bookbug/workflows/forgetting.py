"""Forgetting engine subjects (a book's or an export's runs, steps, waits, events and kept
progress) from inside a step, for the workflows that delete a family's data."""

from __future__ import annotations

from bookbug.engine import forget_subject


async def forget_subjects(subjects: list[str]) -> int:
    """Cancel and delete what the engine keeps about each subject; returns how many."""
    for subject in subjects:
        await forget_subject(subject)
    return len(subjects)
