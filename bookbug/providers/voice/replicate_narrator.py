"""Narration from a text-to-speech model on Replicate (REPLICATE_TTS_MODEL, answering a WAV
file), through the replicate SDK and the same connection rules as the pictures: the paid POST
waits for the shared rate limit and pause, a 429 pauses Replicate for every worker, every
failure is classified where it happens, and outputs come only from the delivery hosts.

One prediction reads a whole page; the model gives no timings, so each sentence's place in the
audio is spread by its length ("estimated" on the page's narration).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bookbug.providers.images.models import PredictionOutcome
from bookbug.providers.images.replicate_illustrator import SERVICE, ReplicateIllustrator
from bookbug.providers.spending import Meter
from bookbug.providers.voice.audio import mp3, read_wav
from bookbug.providers.voice.models import NarrationRequest, NarrationResult, spread_by_length
from bookbug.resilience.errors import FatalError
from bookbug.settings import Settings, get_settings
from bookbug.story.sentences import sentences


class ReplicateNarrator:
    name = "replicate"
    service = SERVICE

    def __init__(self, settings: Settings | None = None, *,
                 before_create: Callable[[], Awaitable[None]] | None = None,
                 on_throttled: Callable[[float], Awaitable[None]] | None = None,
                 meter: Meter | None = None) -> None:
        settings = settings or get_settings()
        if not settings.replicate_api_token:
            raise FatalError("REPLICATE_API_TOKEN is not set: the Replicate narrator cannot run", service=SERVICE)
        self.model = settings.replicate_tts_model
        self.voice = settings.replicate_tts_voice
        # the pictures' connection: the same SDK client, pacing, throttling and download rules
        self._replicate = ReplicateIllustrator(settings, poll_interval=settings.replicate_poll_seconds,
                                               before_create=before_create, on_throttled=on_throttled,
                                               meter=meter)

    async def start(self, request: NarrationRequest) -> str:
        return await self._replicate.create(self.model, {"text": request.text, "voice": self.voice, "speed": 1.0},
                                           kind="narration")

    async def wait(self, prediction_id: str) -> PredictionOutcome:
        return await self._replicate.wait(prediction_id)

    async def fetch(self, request: NarrationRequest, prediction_id: str, outcome: PredictionOutcome) -> NarrationResult:
        wav = await self._replicate.download(prediction_id, outcome.output)
        return await asyncio.to_thread(self._prepare, wav, request.text)

    def _prepare(self, wav: bytes, text: str) -> NarrationResult:
        sound = read_wav(wav, SERVICE)
        if sound.seconds <= 0:
            raise FatalError("the voice's WAV has no sound in it", service=SERVICE, kind="invalid_reply")
        parts = sentences(text) or [text]
        return NarrationResult(mp3=mp3(sound), duration=round(sound.seconds, 3),
                               sentences=spread_by_length(parts, round(sound.seconds, 3)),
                               voice=self.voice, timing="estimated")
