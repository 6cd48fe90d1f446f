"""Forgetting engine subjects (a book's or an export's runs, steps, waits and events) from inside
a step, for the workflows that delete a family's data.

The engine offers `forget_subject` on the Engine only, not on a step's Context, so a step reaches
the process's engine through the services' runtime (in a worker process that is an engine made
from the same settings, on the same database and Redis). This is the one place workflows do so;
a `Context`-side forget in the engine would let it go.
"""

from __future__ import annotations


async def forget_subjects(subjects: list[str]) -> int:
    """Cancel and delete what the engine keeps about each subject; returns how many."""
    from bookbug.services.runtime import started_engine  # see the module docstring

    engine = await started_engine()
    for subject in subjects:
        await engine.forget_subject(subject)
    return len(subjects)
