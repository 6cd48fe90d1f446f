"""The one protocol every illustrator implements.

Drawing is three calls so the workflow can checkpoint between them, one bill per step:
`start` pays for the picture and returns an id at once; `wait` (on any worker, after any
restart) waits for that prediction to end and says how; `fetch` downloads a finished picture.
A worker killed between them resumes with the id and never pays twice; a prediction that
failed is never waited on again (a new one is started, with a new seed).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bookbug.providers.images.models import IllustrationRequest, IllustrationResult, PredictionOutcome
from bookbug.resilience.errors import FatalError


@runtime_checkable
class Illustrator(Protocol):
    name: str  # "offline", "replicate": shown to operators and stored with each page

    @property
    def service(self) -> str | None:
        """The rate limit its calls count against; None: a local painter, no limit. (Read-only here,
        so a painter may declare it as `str` or `None`.)"""
        ...

    async def start(self, request: IllustrationRequest) -> str:
        """Begin drawing `request` (the one paid call); return an id the other calls resume from."""
        ...

    async def wait(self, prediction_id: str) -> PredictionOutcome:
        """Wait until the prediction ends; how it ended (a failure is an outcome, not an error)."""
        ...

    async def fetch(self, prediction_id: str, outcome: PredictionOutcome) -> IllustrationResult:
        """Download the picture of a prediction that succeeded."""
        ...


async def illustrate(illustrator: Illustrator, request: IllustrationRequest) -> IllustrationResult:
    """All three in one call, for callers that do not checkpoint in between."""
    prediction_id = await illustrator.start(request)
    outcome = await illustrator.wait(prediction_id)
    if not outcome.succeeded:
        raise FatalError(f"prediction {prediction_id} {outcome.status}: {outcome.error or 'no reason given'}",
                         service=illustrator.service, kind="content_refused" if outcome.refused else "internal")
    return await illustrator.fetch(prediction_id, outcome)
