"""Sound as the narration keeps it: mono 16-bit PCM joined sentence by sentence, stored as MP3
(a core media type of EPUB 3, and played by every browser)."""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass

import lameenc

from bookbug.resilience.errors import FatalError

MP3_KBPS = 64  # a voice, mono: small files that still sound clear


@dataclass(frozen=True)
class Pcm:
    """Mono 16-bit little-endian samples."""

    samples: bytes
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / 2 / self.rate


def read_wav(data: bytes, service: str | None = None) -> Pcm:
    """A WAV file's sound as mono 16-bit PCM (stereo is mixed down to its first channel)."""
    try:
        with wave.open(io.BytesIO(data)) as sound:
            channels, width, rate = sound.getnchannels(), sound.getsampwidth(), sound.getframerate()
            frames = sound.readframes(sound.getnframes())
    except (wave.Error, EOFError) as exc:
        raise FatalError(f"the voice's answer is not a WAV file: {exc}", service=service, kind="invalid_reply") from exc
    if width != 2:
        raise FatalError(f"the voice's WAV has {8 * width}-bit samples; 16-bit expected", service=service,
                         kind="invalid_reply")
    if channels > 1:  # keep the first channel of each frame
        frames = b"".join(frames[i:i + 2] for i in range(0, len(frames), 2 * channels))
    return Pcm(frames, rate)


def silence(seconds: float, rate: int) -> bytes:
    return b"\x00\x00" * round(seconds * rate)


def mp3(sound: Pcm) -> bytes:
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(MP3_KBPS)
    encoder.set_in_sample_rate(sound.rate)
    encoder.set_channels(1)
    encoder.set_quality(5)
    return bytes(encoder.encode(sound.samples) + encoder.flush())
