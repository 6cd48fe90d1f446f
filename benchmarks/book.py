"""How close a 24-page book comes to the fastest its providers allow.

    .venv/bin/python benchmarks/book.py [--pages 24] [--text-delay 1] [--image-delay 4]

Stand-in providers answer after fixed delays (text 1 s a call, image 4 s a call, no other
work: the illustrator hands back one picture painted in advance). For page concurrency 1, 2
and 4 it runs a book on the embedded engine from the plot approval to the last page stored,
and prints that wall time beside the lower bound those delays and that concurrency allow,
as a ratio (target: at most 1.10). PDF assembly has no provider delay; its time is printed
on its own line (and benchmarks/pdf.py measures it for a 32-page book).

The lower bound follows the book's own dependencies, simulated with unlimited workers:
the prose setup comes first; pages are written in order, each with the ones before in view,
and each page's words are reviewed (one more text call) before the next is written;
a page's art-direction beat needs its text and the style guide (which needs the setup);
character sheets need only the brief; a page's picture needs its beat and the sheets, and
every page after the first needs the hero page (page 1); at most `concurrency` page
pictures are drawn at once. Provider rate limits are raised out of the way: this measures
the pipeline, not a provider's quota.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


_ORIGINAL: dict[str, object] = {}


def lower_bound(pages: int, sheets: int, concurrency: int, text: float, image: float) -> float:
    setup = text
    guide = setup + text
    sheets_done = image if sheets else 0.0  # all sheets in parallel, from the start
    # page n's words are written then reviewed (two calls), each page with the ones before in view
    written = [setup + 2 * text * n for n in range(1, pages + 1)]
    ready = [max(w, guide) + text for w in written]  # its beat is done here
    slots = [0.0] * concurrency
    finish = [0.0] * pages
    for index in range(pages):  # pictures in page order, each on the earliest free slot
        earliest = max(ready[index], sheets_done, finish[0] if index else 0.0)
        slot = min(range(concurrency), key=lambda s: slots[s])
        start = max(earliest, slots[slot])
        finish[index] = slots[slot] = start + image
    return max(finish)


async def run_book(pages: int, concurrency: int, text_delay: float, image_delay: float) -> tuple[float, float, int]:
    from sqlmodel import SQLModel

    import bookbug.workflows.registered  # noqa: F401

    from bookbug.db import Book, session_scope
    from bookbug.engine import latest_run
    from bookbug.db.session import get_engine
    from bookbug.engine import Engine, EngineConfig
    from bookbug.providers.images import OfflineIllustrator, IllustrationRequest
    from bookbug.services import books
    from bookbug.config import app_config
    from bookbug.services.accounts.registration import register
    from bookbug.services.runtime import use_engine
    from bookbug.settings import reset_settings
    from bookbug.workflows import providers
    from tests.workflows.conversation import answer_intake, wait_for_status

    folder = Path(tempfile.mkdtemp(prefix="bookbug-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    os.environ.update(DATABASE_URL=url, DATA_DIR=str(folder), ANTHROPIC_RPM="10000", REPLICATE_RPM="10000",
                      PAGE_CONCURRENCY=str(concurrency))
    reset_settings()
    SQLModel.metadata.create_all(get_engine(url))
    app_config._cache = None

    from bookbug.providers.images.models import PredictionOutcome

    painted = await OfflineIllustrator().finish(await OfflineIllustrator().start(
        IllustrationRequest(book_id="bench", page=1, format_name="square-large")))
    offline_text = _ORIGINAL.setdefault("text_provider", providers.text_provider)  # unwrapped, every run
    calls = {"text": 0, "image": 0}

    class SlowWriter:
        service = None

        def __init__(self, inner):  # type: ignore[no-untyped-def]
            self.inner, self.name = inner, "bench-writer"

        async def generate(self, agent, input):  # type: ignore[no-untyped-def]
            calls["text"] += 1
            await asyncio.sleep(text_delay)
            return await self.inner.generate(agent, input)

    class SlowIllustrator:
        name = "bench-illustrator"
        service = None

        async def start(self, request):  # type: ignore[no-untyped-def]
            return f"bench-{uuid.uuid4().hex}"

        async def wait(self, prediction_id):  # type: ignore[no-untyped-def]
            calls["image"] += 1
            await asyncio.sleep(image_delay)
            return PredictionOutcome(status="succeeded", output=[prediction_id])

        async def fetch(self, prediction_id, outcome):  # type: ignore[no-untyped-def]
            return painted

    providers.text_provider = lambda book_id: SlowWriter(offline_text(book_id))  # type: ignore[assignment]
    providers.illustrator = lambda storage, book_id=None: SlowIllustrator()  # type: ignore[assignment]

    from bookbug.config.app_config import engine_config

    config = engine_config()
    engine = Engine(EngineConfig(db_url=url, queue_name=f"bench:{uuid.uuid4().hex[:6]}", poll_delay=0.02,
                                 slot_poll=0.05, rate_limits=config.rate_limits, max_jobs=50))
    use_engine(engine)
    async with engine, engine.worker():
        user = register(f"bench-{uuid.uuid4().hex[:6]}@example.com", "a long enough passphrase", "Bench")
        summary = await books.create_book(user.id, page_count=pages)
        await answer_intake(user.id, summary.id, timeout=120)
        calls["text"] = calls["image"] = 0
        started = time.monotonic()
        await books.approve(user.id, summary.id)
        # the pages are all stored when the run reaches its assembling stage
        while True:
            run = latest_run(url, summary.id, "create-book")
            if run and run.stage in ("assembling", "complete") or (run and run.status == "failed"):
                break
            await asyncio.sleep(0.02)
        pages_done = time.monotonic() - started
        book = await wait_for_status(user.id, summary.id, timeout=900)
        total = time.monotonic() - started
        if book.status != "complete":
            raise SystemExit(f"the benchmark book failed: {book.error}")
        with session_scope() as session:
            sheets = len(session.get(Book, summary.id).characters or [])
    use_engine(None)
    return pages_done, total - pages_done, sheets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--text-delay", type=float, default=1.0)
    parser.add_argument("--image-delay", type=float, default=4.0)
    parser.add_argument("--concurrency", type=int, nargs="*", default=[1, 2, 4])
    args = parser.parse_args()
    print(f"{args.pages}-page book, text {args.text_delay:g} s a call, image {args.image_delay:g} s a call")
    print(f"{'concurrency':>11}  {'wall (s)':>9}  {'bound (s)':>9}  {'ratio':>6}  {'assembly (s)':>12}")
    for concurrency in args.concurrency:
        wall, assembly, sheets = asyncio.run(run_book(args.pages, concurrency, args.text_delay, args.image_delay))
        bound = lower_bound(args.pages, sheets, concurrency, args.text_delay, args.image_delay)
        print(f"{concurrency:>11}  {wall:>9.1f}  {bound:>9.1f}  {wall / bound:>6.3f}  {assembly:>12.1f}", flush=True)


if __name__ == "__main__":
    main()
