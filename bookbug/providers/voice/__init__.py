"""Narration: one protocol, espeak-ng offline by default, a text-to-speech model on Replicate in
production (NARRATION_PROVIDER=replicate)."""

from __future__ import annotations

from bookbug.providers.voice.espeak import EspeakNarrator, MissingVoice, espeak_path
from bookbug.providers.voice.models import NarrationRequest, NarrationResult, SentenceTiming
from bookbug.providers.voice.protocol import Narrator

__all__ = ["EspeakNarrator", "MissingVoice", "NarrationRequest", "NarrationResult", "Narrator", "SentenceTiming",
           "espeak_path"]
