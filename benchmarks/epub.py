"""How long a 32-page read-along EPUB takes to make, and its size; and how long espeak-ng takes
to read a page aloud.

    .venv/bin/python benchmarks/epub.py [--pages 32] [--runs 3]

The pictures come from the offline illustrator (drawn before the clock starts, as in
benchmarks/pdf.py). Each page is read by the offline narrator (espeak-ng, sentence by sentence,
encoded to MP3), timed per page: in a book this runs in each page's own step, in parallel.
Then the EPUB is built without and with the narration (media overlays). Wall time depends on
what else the machine runs; the CPU time beside it does not.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pdf import pictures  # noqa: E402

from bookbug.providers.voice import EspeakNarrator  # noqa: E402
from bookbug.publishing.epub import EpubBook, EpubPage, PageNarration, build_epub  # noqa: E402

TEXT = ("Mia and Pip walked on, past the tall trees and the sleepy river. "
        "\"Look!\" said Pip. \"The moon is coming up.\" And the world was full of wonders.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    images = asyncio.run(pictures(args.pages, "square-large"))
    narrator = EspeakNarrator()
    voices, seconds = [], []
    for _ in range(args.pages):
        clock = time.perf_counter()
        voices.append(narrator.speak(TEXT, narrator.voice))
        seconds.append(time.perf_counter() - clock)
    print(f"espeak-ng reads a page ({len(TEXT)} characters, {len(voices[0].sentences)} sentences, "
          f"{voices[0].duration:.1f} s of voice, {len(voices[0].mp3) // 1024} KiB MP3): "
          f"median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s")
    for narrated in (False, True):
        book = EpubBook(book_id="benchmark", title="The Benchmark Dragon", cover_image=images[0], pages=[
            EpubPage(number=n, text=TEXT, image=image, alt="Mia and Pip in the forest.",
                     narration=PageNarration(audio=v.mp3, duration=v.duration,
                                             sentences=v.sentences)
                     if narrated else None)
            for n, (image, v) in enumerate(zip(images[1:], voices), start=1)])
        walls, cpus, size = [], [], 0
        for _ in range(args.runs):
            wall, cpu = time.perf_counter(), time.process_time()
            size = len(build_epub(book))
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        print(f"EPUB of {args.pages} pages {'with' if narrated else 'without'} narration: "
              f"median {statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU, "
              f"{size / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
