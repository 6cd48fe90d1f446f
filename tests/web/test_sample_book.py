"""The landing page's sample book is read from its folder, and a missing or broken one is skipped."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image

from bookbug.pages.sample_book import MANIFEST, load_sample, thumbnail


def picture(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "tomato").save(out, "PNG")
    return out.getvalue()


def test_a_kept_sample_is_listed_with_urls_under_sample(tmp_path: Path) -> None:
    (tmp_path / "page-1.jpg").write_bytes(thumbnail(picture((2000, 1500))))
    (tmp_path / MANIFEST).write_text(json.dumps({"title": "Mia's Moon", "pages": [
        {"number": 1, "text": "Mia looked up.", "image": "page-1.jpg"},
        {"number": 2, "text": "Its picture is missing.", "image": "page-2.jpg"}]}))
    sample = load_sample(tmp_path)
    assert sample is not None and sample.title == "Mia's Moon"
    assert [(p.number, p.image) for p in sample.pages] == [(1, "/sample/page-1.jpg")]


def test_no_sample_or_a_broken_one_shows_nothing(tmp_path: Path) -> None:
    assert load_sample(tmp_path) is None
    (tmp_path / MANIFEST).write_text("{not json")
    assert load_sample(tmp_path) is None


def test_thumbnails_are_small_jpegs() -> None:
    with Image.open(io.BytesIO(thumbnail(picture((3000, 3000))))) as small:
        assert small.format == "JPEG" and max(small.size) == 480
