"""The offline narrator: espeak-ng (a Debian package), sentence by sentence, so every sentence's
place in the page's audio is measured, not guessed (the e-book highlights by it).

Nothing is paid for: `start` only names the voice, and `fetch` makes the sound on any worker.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
from pathlib import Path

from bookbug.providers.images.models import PredictionOutcome
from bookbug.providers.voice.audio import Pcm, mp3, read_wav, silence
from bookbug.providers.voice.models import NarrationRequest, NarrationResult, SentenceTiming
from bookbug.resilience.errors import FatalError, RetryableError
from bookbug.story.sentences import sentences

PAUSE_SECONDS = 0.35  # between sentences, as a reader breathes
WORDS_PER_MINUTE = 140  # a little slower than espeak-ng's 175: the listeners are young
PREFIX = "espeak:"


def espeak_path() -> str | None:
    return shutil.which("espeak-ng")


class MissingVoice(FatalError):
    """espeak-ng is not installed: narration is left out, and the book says so."""


class EspeakNarrator:
    name = "espeak-ng"
    service: str | None = None

    def __init__(self, voice: str = "en-us", *, program: str | None = None) -> None:
        found = program or espeak_path()
        if found is None:
            raise MissingVoice("espeak-ng is not installed (apt-get install espeak-ng): books are made without a voice")
        self.program = found
        self.voice = voice

    async def start(self, request: NarrationRequest) -> str:
        # espeak-ng names its voices by language code; an English book keeps the configured accent
        return PREFIX + (self.voice if request.language == "en" else request.language)

    async def wait(self, prediction_id: str) -> PredictionOutcome:
        return PredictionOutcome(status="succeeded", output=[prediction_id], model=self.name)

    async def fetch(self, request: NarrationRequest, prediction_id: str, outcome: PredictionOutcome) -> NarrationResult:
        return await asyncio.to_thread(self.speak, request.text, prediction_id.removeprefix(PREFIX) or self.voice)

    def _say(self, sentence: str, voice: str, folder: Path) -> Pcm:
        path = folder / "sentence.wav"
        try:
            subprocess.run([self.program, "-v", voice, "-s", str(WORDS_PER_MINUTE), "-w", str(path), "--", sentence],
                           check=True, capture_output=True, timeout=60)
        except subprocess.TimeoutExpired as exc:
            raise RetryableError("espeak-ng took over a minute for one sentence", kind="timeout") from exc
        except subprocess.CalledProcessError as exc:
            raise FatalError(f"espeak-ng could not say a sentence: {exc.stderr.decode(errors='replace')[:300]}",
                             kind="bad_request") from exc
        return read_wav(path.read_bytes())

    def speak(self, text: str, voice: str) -> NarrationResult:
        parts = sentences(text) or [text]
        samples, timings, rate, at = bytearray(), [], 0, 0.0
        with tempfile.TemporaryDirectory(prefix="bookbug-voice-") as folder:
            for index, sentence in enumerate(parts):
                said = self._say(sentence, voice, Path(folder))
                rate = rate or said.rate
                if index:
                    samples += silence(PAUSE_SECONDS, rate)
                    at += PAUSE_SECONDS
                samples += said.samples
                timings.append(SentenceTiming(text=sentence, begin=round(at, 3), end=round(at + said.seconds, 3)))
                at += said.seconds
        sound = Pcm(bytes(samples), rate)
        return NarrationResult(mp3=mp3(sound), duration=round(sound.seconds, 3), sentences=timings, voice=voice)
