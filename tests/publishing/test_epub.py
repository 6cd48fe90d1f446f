"""The read-along EPUB: fixed layout, cover, page list, alt text, media overlays; EPUBCheck-clean."""

from __future__ import annotations

import io
import math
import re
import struct
import zipfile

from PIL import Image

from bookbug.providers.voice.audio import Pcm, mp3
from bookbug.publishing.epub import EpubBook, EpubPage, PageNarration, build_epub
from bookbug.story.sentences import SentenceTiming, sentences
from tests.epubcheck import epubcheck

TEXTS = [
    'Mia packed her red boots. "Today we find the moon!" she said.',
    "The owl blinked twice. Then he flew up, up, up!",
    "They floated home on a cloud shaped like a boat.",
]


def _picture(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 900), colour).save(out, format="PNG")
    return out.getvalue()


def _tone(seconds: float, rate: int = 22050) -> bytes:
    samples = (int(8000 * math.sin(2 * math.pi * 220 * i / rate)) for i in range(round(seconds * rate)))
    return b"".join(struct.pack("<h", s) for s in samples)


def _narration(text: str) -> PageNarration:
    timings, at = [], 0.0
    for sentence in sentences(text):
        length = 0.05 * len(sentence)
        timings.append(SentenceTiming(text=sentence, begin=round(at, 3), end=round(at + length, 3)))
        at += length
    return PageNarration(audio=mp3(Pcm(_tone(at), 22050)), duration=at, sentences=timings)


def _book(narrated: bool) -> EpubBook:
    return EpubBook(
        book_id="b0a1", title="Mia & the Moon", format_name="square-large",
        pages=[EpubPage(number=i, text=text, image=_picture((60 * i, 120, 200)),
                        alt=f"Mia, happy, running, in the meadow (page {i}).",
                        narration=_narration(text) if narrated else None)
               for i, text in enumerate(TEXTS, start=1)])


def _files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as epub:
        first = epub.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        return {name: epub.read(name) for name in epub.namelist()}


def test_a_book_without_narration_is_a_valid_fixed_layout_epub_with_cover_page_list_and_alt_text(tmp_path) -> None:
    data = build_epub(_book(narrated=False))
    files = _files(data)
    opf = files["OEBPS/package.opf"].decode()
    assert '<meta property="rendition:layout">pre-paginated</meta>' in opf
    assert 'properties="cover-image"' in opf and "<dc:title>Mia &amp; the Moon</dc:title>" in opf
    assert "schema:accessibilityFeature\">alternativeText" in opf
    assert "media-overlay" not in opf and not any(name.endswith(".smil") for name in files)
    nav = files["OEBPS/nav.xhtml"].decode()
    assert re.findall(r'href="page-00(\d)\.xhtml#page\d">', nav) == ["1", "2", "3"]  # the page list
    page = files["OEBPS/page-002.xhtml"].decode()
    assert 'alt="Mia, happy, running, in the meadow (page 2)."' in page
    assert '<span id="s2-1">The owl blinked twice.</span> <span id="s2-2">Then he flew up, up, up!</span>' in page
    assert 'name="viewport" content="width=1200, height=' in page
    assert epubcheck(data, tmp_path) == []


def test_a_narrated_book_reads_along_sentence_by_sentence_and_is_valid(tmp_path) -> None:
    book = _book(narrated=True)
    data = build_epub(book)
    files = _files(data)
    opf = files["OEBPS/package.opf"].decode()
    assert 'media-overlay="mo-001"' in opf and "synchronizedAudioText" in opf
    assert '<meta property="media:active-class">-epub-media-overlay-active</meta>' in opf
    smil = files["OEBPS/page-001.smil"].decode()
    pars = re.findall(r'<text src="page-001\.xhtml#(s1-\d)"/><audio src="audio/page-001\.mp3" '
                      r'clipBegin="([\d.]+)s" clipEnd="([\d.]+)s"/>', smil)
    assert [p[0] for p in pars] == ["s1-1", "s1-2"]  # one highlight per sentence, in order
    assert float(pars[0][2]) == float(pars[1][1])  # the second sentence starts where the first ends
    assert files["OEBPS/audio/page-001.mp3"] == book.pages[0].narration.audio
    assert epubcheck(data, tmp_path) == []


def test_a_book_with_a_page_not_narrated_has_no_overlays_at_all() -> None:
    book = _book(narrated=True)
    book.pages[1].narration = None
    files = _files(build_epub(book))
    assert not any(name.endswith((".smil", ".mp3")) for name in files)
    assert "media-overlay" not in files["OEBPS/package.opf"].decode()
