"""The landing page's sample book: made once by the real workflow on the offline providers.

`python -m bookbug.pages.sample_book` makes a book exactly as a user would (conversation,
plot, pages, illustrations) in a throw-away data folder, then keeps its title, a few pages'
text and small copies of their pictures in `assets/sample/`, which Reflex serves as
`/sample/...`. The landing page shows whatever that folder holds, and nothing if it is empty.

The conversation opens the way many parents do, with the whole idea in one message
(`FIRST_MESSAGE`: the child, her grandpa, the dog, the place, what they do, the style, the
length and the size); the few questions left are answered with their first chip.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bookbug.settings import ROOT

SAMPLE_DIR = ROOT / "assets" / "sample"
FIRST_MESSAGE = ("My daughter Mia is 5 and loves boats. She and her grandpa Joe build a little wooden boat and sail "
                 "it across the lake, with our dog Biscuit on board. Watercolor please, 12 pages, landscape book.")
MANIFEST = "sample.json"
SAMPLE_PAGES = 4
THUMBNAIL_PX = 480


@dataclass(frozen=True)
class SamplePage:
    number: int
    text: str
    image: str  # a URL path under /sample/


@dataclass(frozen=True)
class SampleBook:
    title: str
    pages: list[SamplePage]


def load_sample(folder: Path = SAMPLE_DIR) -> SampleBook | None:
    """The sample kept in `folder`, or None when there is none (or it is unreadable)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        pages = [SamplePage(int(p["number"]), str(p["text"]), f"/sample/{p['image']}") for p in data["pages"]
                 if (folder / p["image"]).is_file()]
        return SampleBook(str(data["title"]), pages) if pages else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def thumbnail(image: bytes) -> bytes:
    from PIL import Image

    with Image.open(io.BytesIO(image)) as opened:
        picture = opened.convert("RGB")
        picture.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=82, optimize=True)
        return out.getvalue()


async def _make_book(timeout: float = 600.0) -> tuple[str, list[tuple[int, str, bytes]]]:
    """Run the real workflow on the offline providers; returns the title and the first pages."""
    from sqlmodel import SQLModel

    import bookbug.workflows.registered  # noqa: F401 - registers the book workflow
    from bookbug.db.session import get_engine
    from bookbug.providers.storage import get_storage
    from bookbug.services import book_files, books
    from bookbug.services.accounts.registration import register
    from bookbug.services.runtime import get_engine as app_engine
    from bookbug.services.runtime import use_engine
    from bookbug.settings import get_settings

    SQLModel.metadata.create_all(get_engine(get_settings().db_url))
    engine = app_engine()
    async with engine, engine.worker():
        user = register("reader@example.com", "purple otter lantern 42")
        book = await books.create_book(user.id)
        deadline = time.monotonic() + timeout
        answered = 0
        while (detail := books.get_book(user.id, book.id)).status not in ("complete", "failed", "cancelled"):
            if time.monotonic() > deadline:
                raise TimeoutError("the sample book took too long")
            asked = [m for m in books.history(user.id, book.id) if m.role == "assistant" and m.turn > answered]
            if asked and detail.status in ("draft", "intake", "plot"):
                question = asked[-1]
                if question.phase == "plot_review":
                    await books.approve(user.id, book.id)
                elif answered == 0:
                    await books.send_message(user.id, book.id, FIRST_MESSAGE)
                else:
                    await books.send_message(user.id, book.id, question.chips[0] if question.chips else "Surprise me!")
                answered = question.turn
            await asyncio.sleep(0.2)
        use_engine(None)
    if detail.status != "complete":
        raise RuntimeError(f"the sample book ended {detail.status}: {detail.error}")
    storage = get_storage()
    first = sorted(detail.pages, key=lambda p: p.number)[:SAMPLE_PAGES]
    pages = [(p.number, p.text, storage.get(book_files.page_file(user.id, book.id, p.number).key)) for p in first]
    return detail.title, pages


def build_sample(folder: Path = SAMPLE_DIR) -> SampleBook:
    with tempfile.TemporaryDirectory(prefix="bookbug-sample-") as data_dir:
        for name in list(os.environ):
            if name.startswith(("ANTHROPIC_", "REPLICATE_", "S3_", "CLERK_")) or name in ("DATABASE_URL", "REDIS_URL"):
                del os.environ[name]
        os.environ["DATA_DIR"] = data_dir
        from bookbug.settings import reset_settings

        reset_settings()
        title, pages = asyncio.run(_make_book())
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {"title": title, "pages": []}
    for number, text, image in pages:
        name = f"page-{number}.jpg"
        (folder / name).write_bytes(thumbnail(image))
        manifest["pages"].append({"number": number, "text": text, "image": name})  # type: ignore[attr-defined]  # manifest's value type is inferred as object
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    sample = load_sample(folder)
    assert sample is not None
    return sample


if __name__ == "__main__":
    made = build_sample(Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE_DIR)
    print(f"sample book {made.title!r}: {len(made.pages)} pages")
