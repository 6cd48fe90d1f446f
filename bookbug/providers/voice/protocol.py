"""The one protocol every narrator implements, in the illustrator's three checkpointable calls:
`start` pays for the voice and returns an id at once, `wait` waits for it to end and says how,
`fetch` downloads and prepares the sound. A worker killed in between resumes with the id."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bookbug.providers.images.models import PredictionOutcome
from bookbug.providers.voice.models import NarrationRequest, NarrationResult


@runtime_checkable
class Narrator(Protocol):
    name: str  # "espeak-ng", "replicate": stored with each page's narration

    @property
    def service(self) -> str | None:
        """The rate limit its calls count against; None: a local voice, no limit. (Read-only here,
        so a voice may declare it as `str` or `None`.)"""
        ...

    async def start(self, request: NarrationRequest) -> str:
        ...

    async def wait(self, prediction_id: str) -> PredictionOutcome:
        ...

    async def fetch(self, request: NarrationRequest, prediction_id: str, outcome: PredictionOutcome) -> NarrationResult:
        """The sound of a prediction that succeeded, as MP3, with each sentence's place in it."""
        ...
