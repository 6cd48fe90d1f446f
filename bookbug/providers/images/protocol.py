"""The one protocol every illustrator implements.

Drawing is two calls so the workflow can checkpoint between them: `start` pays for the
picture and returns an id at once; `finish` (on any worker, after any restart) turns that id
into the finished image. A worker killed between the two resumes with `finish(id)` and never
pays twice.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bookbug.providers.images.models import IllustrationRequest, IllustrationResult


@runtime_checkable
class Illustrator(Protocol):
    name: str  # "offline", "replicate": shown to operators and stored with each page

    async def start(self, request: IllustrationRequest) -> str:
        """Begin drawing `request`; return an id that `finish` can resume from anywhere."""
        ...

    async def finish(self, prediction_id: str) -> IllustrationResult:
        """Wait for the picture `prediction_id` and return it, downloaded."""
        ...


async def illustrate(illustrator: Illustrator, request: IllustrationRequest) -> IllustrationResult:
    """Both halves in one call, for callers that do not checkpoint in between."""
    return await illustrator.finish(await illustrator.start(request))
