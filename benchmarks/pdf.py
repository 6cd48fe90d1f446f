"""How long the print PDF of a 32-page square-large book takes to assemble, and its size.

    .venv/bin/python benchmarks/pdf.py [--pages 32] [--format square-large] [--runs 3]

The pictures come from the offline illustrator, one distinct picture per page (drawn
before the clock starts), at the size it always paints: 40 % of print size, so every page
is upscaled to 300 dpi just as Replicate's pictures are. Target: under 10 s.

Two cases are timed:
- "raw": the book gets the pictures as drawn, so assembly upscales all 33 (the worst case);
- "prepared": each page's picture was made print-ready (`prepare_page_image`) when the page
  was drawn, as the page step does, so assembly only embeds the files.
Wall time depends on what else the machine runs; the CPU time beside it does not.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bookbug.providers.images import CharacterLook, IllustrationRequest, OfflineIllustrator, Scene, illustrate  # noqa: E402
from bookbug.publishing import BookLayout, StoryPage, build_book_pdf, prepare_page_image  # noqa: E402

TARGET_SECONDS = 10.0
SETTINGS = [
    Scene(time_of_day="morning", ground="grass", setting="the enchanted forest", elements=["trees", "mushrooms"]),
    Scene(time_of_day="sunset", ground="sand", setting="the beach", elements=["sea", "boat"]),
    Scene(time_of_day="night", sky="starry", setting="the village", elements=["houses", "castle"]),
    Scene(time_of_day="afternoon", sky="rainbow", setting="the farm", elements=["fence", "flowers"]),
]
HEROES = [
    CharacterLook(name="Mia", body="girl", colours=["#e0218a", "navy"], description="curly black hair"),
    CharacterLook(name="Pip", body="dragon", colours=["#6bbf59", "orange"]),
]


async def pictures(count: int, format_name: str) -> list[bytes]:
    painter = OfflineIllustrator()
    made = []
    for page in range(count + 1):  # + the cover
        request = IllustrationRequest(
            kind="cover" if page == 0 else "page", book_id="benchmark", page=page, format_name=format_name,
            scene=SETTINGS[page % len(SETTINGS)], characters=HEROES, style="watercolor",
        )
        made.append((await illustrate(painter, request)).png)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=32)
    parser.add_argument("--format", default="square-large")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    images = asyncio.run(pictures(args.pages, args.format))
    paint_seconds = time.perf_counter() - started
    layout = BookLayout(
        title="The Benchmark Dragon", child_name="Mia", author_line="by Bookbug", age_band="3-5",
        format_name=args.format, cover_image=images[0],
        pages=[StoryPage(text=f"Page {n}: Mia and Pip walked on, and the world was full of wonders.", image=image)
               for n, image in enumerate(images[1:], start=1)],
    )
    print(f"painted {len(images)} offline pictures in {paint_seconds:.1f} s "
          f"({paint_seconds / len(images):.2f} s each, not timed below)")
    clock = time.perf_counter()
    prepared = layout.model_copy(update={
        "cover_image": prepare_page_image(images[0], args.format).jpeg,
        "pages": [StoryPage(text=page.text, image=prepare_page_image(page.image, args.format).jpeg) for page in layout.pages],
    })
    per_page = (time.perf_counter() - clock) / len(images)
    print(f"preparing one picture for print (done in its page step): {per_page:.2f} s")
    for label, book_layout, edition in (("raw", layout, "print"), ("prepared", prepared, "print"), ("raw", layout, "screen")):
        times, book = [], None
        for _ in range(args.runs):
            clock, cpu = time.perf_counter(), time.process_time()
            book = build_book_pdf(book_layout, edition)  # type: ignore[arg-type]
            times.append((time.perf_counter() - clock, time.process_time() - cpu))
        assert book is not None
        wall = statistics.median(t[0] for t in times)
        cpu = statistics.median(t[1] for t in times)
        verdict = ""
        if edition == "print":
            verdict = "  OK (target < 10 s)" if wall < TARGET_SECONDS else "  SLOWER than the 10 s target"
        print(f"{edition:6} {label:8} {args.pages} pages, {args.format}: {wall:.2f} s wall (median of {args.runs}), "
              f"{cpu:.2f} s CPU, {book.page_count} PDF pages, {len(book.pdf) / 1e6:.1f} MB{verdict}")


if __name__ == "__main__":
    main()
