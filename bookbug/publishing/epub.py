"""The read-along e-book: a fixed-layout EPUB 3, one story page to a screen (its picture above
its words), with a cover, a page list, alt text for every picture and, where the book is
narrated, SMIL media overlays so reading systems highlight each sentence as it is read.

Publishing never reads the database: the workflow fills an `EpubBook` and stores the bytes.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import datetime, UTC
from xml.sax.saxutils import escape, quoteattr

from PIL import Image
from pydantic import BaseModel, Field

from bookbug.story.formats import DEFAULT_FORMAT, get_format
from bookbug.story.sentences import SentenceTiming, sentences

WIDTH = 1200  # CSS pixels of every screen's viewport; the height follows the book's format
PICTURE_MAX_SIDE = 1600  # pictures are screen-sized JPEGs, not the 300 dpi print files
JPEG_QUALITY = 85
ACTIVE_CLASS = "-epub-media-overlay-active"
EPUB_MEDIA_TYPE = "application/epub+zip"


class PageNarration(BaseModel):
    audio: bytes  # MP3 (a core media type of EPUB 3)
    duration: float = Field(gt=0)
    sentences: list[SentenceTiming] = Field(min_length=1)


class EpubPage(BaseModel):
    number: int = Field(ge=1)
    text: str = Field(min_length=1)
    image: bytes  # PNG or JPEG, any size
    alt: str = Field(min_length=1, max_length=1000)  # what the picture shows, for readers who cannot see it
    narration: PageNarration | None = None


class EpubBook(BaseModel):
    book_id: str
    title: str = Field(min_length=1, max_length=300)
    author_line: str = "written and illustrated with Bookbug"
    description: str = ""
    language: str = "en"
    format_name: str = DEFAULT_FORMAT
    modified: datetime = Field(default_factory=lambda: datetime.now(UTC))
    cover_image: bytes | None = None  # the first page's picture when missing
    pages: list[EpubPage] = Field(min_length=1, max_length=64)

    @property
    def narrated(self) -> bool:
        return all(page.narration is not None for page in self.pages)


def _jpeg(image: bytes) -> tuple[bytes, int, int]:
    picture = Image.open(io.BytesIO(image)).convert("RGB")
    picture.thumbnail((PICTURE_MAX_SIDE, PICTURE_MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), picture.width, picture.height


def _clock(seconds: float) -> str:
    """A SMIL clock value for media:duration, h:mm:ss.fff."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _page_sentences(page: EpubPage) -> list[str]:
    if page.narration is not None:
        return [s.text for s in page.narration.sentences]
    return sentences(page.text) or [page.text]


class _Geometry:
    def __init__(self, book: EpubBook) -> None:
        shape = get_format(book.format_name)
        self.picture_height = round(WIDTH * shape.trim_height_in / shape.trim_width_in)
        longest = max(len(page.text) for page in book.pages)
        self.font = 44 if longest <= 140 else 38 if longest <= 260 else 32
        # lines the longest page needs at ~0.5 em a character, with room to spare
        lines = max(2, -(-int(longest * self.font * 0.52) // (WIDTH - 160)) + 1)
        self.band = 80 + int(lines * self.font * 1.45)
        self.height = self.picture_height + self.band


def _css(shape: _Geometry) -> str:
    return f"""@charset "UTF-8";
html, body {{ margin: 0; padding: 0; width: {WIDTH}px; height: {shape.height}px; overflow: hidden; }}
body {{ background: #fbf6ec; color: #2b2129; font-family: Georgia, "Times New Roman", serif; }}
.picture {{ position: absolute; top: 0; left: 0; width: {WIDTH}px; height: {shape.picture_height}px;
  object-fit: cover; display: block; }}
.words {{ position: absolute; top: {shape.picture_height}px; left: 80px; width: {WIDTH - 160}px;
  margin: 40px 0 0 0; font-size: {shape.font}px; line-height: 1.45; }}
.cover-title {{ position: absolute; top: {shape.picture_height}px; left: 80px; width: {WIDTH - 160}px;
  margin: 30px 0 0 0; font-size: 64px; line-height: 1.2; text-align: center; }}
.cover-byline {{ position: absolute; top: {shape.picture_height + 130}px; left: 80px; width: {WIDTH - 160}px;
  margin: 0; font-size: 34px; text-align: center; font-style: italic; }}
.{ACTIVE_CLASS} {{ background-color: #ffe58a; }}
"""


def _document(book: EpubBook, shape: _Geometry, title: str, body: str) -> str:
    lang = quoteattr(book.language)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang={lang} lang={lang}>
<head>
<meta charset="utf-8"/>
<title>{escape(title)}</title>
<meta name="viewport" content="width={WIDTH}, height={shape.height}"/>
<link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body>
{body}
</body>
</html>
"""


def _cover_xhtml(book: EpubBook, shape: _Geometry) -> str:
    body = f"""<section epub:type="cover">
<img class="picture" src="images/cover.jpg" alt={quoteattr(f"Cover of {book.title}: {book.pages[0].alt}")}/>
<h1 class="cover-title">{escape(book.title)}</h1>
<p class="cover-byline">{escape(book.author_line)}</p>
</section>"""
    return _document(book, shape, book.title, body)


def _page_xhtml(book: EpubBook, shape: _Geometry, page: EpubPage) -> str:
    spans = " ".join(f'<span id="s{page.number}-{i}">{escape(text)}</span>'
                     for i, text in enumerate(_page_sentences(page), start=1))
    body = f"""<section epub:type="bodymatter chapter" aria-label={quoteattr(f"Page {page.number}")}>
<span epub:type="pagebreak" role="doc-pagebreak" id="page{page.number}" title="{page.number}"></span>
<img class="picture" src="images/page-{page.number:03d}.jpg" alt={quoteattr(page.alt)}/>
<p class="words" id="words{page.number}">{spans}</p>
</section>"""
    return _document(book, shape, f"{book.title}, page {page.number}", body)


def _smil(page: EpubPage) -> str:
    assert page.narration is not None
    pars = "\n".join(
        f'<par id="p{page.number}-{i}"><text src="page-{page.number:03d}.xhtml#s{page.number}-{i}"/>'
        f'<audio src="audio/page-{page.number:03d}.mp3" clipBegin="{s.begin:.3f}s" clipEnd="{s.end:.3f}s"/></par>'
        for i, s in enumerate(page.narration.sentences, start=1))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">
<body>
<seq id="seq{page.number}" epub:textref="page-{page.number:03d}.xhtml#words{page.number}" epub:type="bodymatter">
{pars}
</seq>
</body>
</smil>
"""


def _nav(book: EpubBook, shape: _Geometry) -> str:
    pages = "\n".join(f'<li><a href="page-{p.number:03d}.xhtml#page{p.number}">{p.number}</a></li>' for p in book.pages)
    first = f"page-{book.pages[0].number:03d}.xhtml"
    body = f"""<nav epub:type="toc" id="toc" role="doc-toc">
<h1>Contents</h1>
<ol>
<li><a href="cover.xhtml">Cover</a></li>
<li><a href="{first}">{escape(book.title)}</a></li>
</ol>
</nav>
<nav epub:type="page-list" id="page-list" role="doc-pagelist" hidden="hidden">
<h2>Pages</h2>
<ol>
{pages}
</ol>
</nav>
<nav epub:type="landmarks" id="landmarks" hidden="hidden">
<h2>Landmarks</h2>
<ol>
<li><a epub:type="cover" href="cover.xhtml">Cover</a></li>
<li><a epub:type="bodymatter" href="{first}">Start of the story</a></li>
</ol>
</nav>"""
    lang = quoteattr(book.language)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang={lang} lang={lang}>
<head>
<meta charset="utf-8"/>
<title>{escape(book.title)}</title>
</head>
<body>
{body}
</body>
</html>
"""


def _opf(book: EpubBook) -> str:
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, f"https://bookbug/books/{book.book_id}")
    narrated = book.narrated
    modified = book.modified.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    features = ["alternativeText", "readingOrder", "pageNavigation", "tableOfContents"]
    if narrated:
        features.append("synchronizedAudioText")
    summary = ("A fixed-layout picture book: every page has a description of its picture and its words as text"
               + ("; a recorded voice reads every page, each sentence highlighted as it is read." if narrated else "."))
    meta = [
        f'<dc:identifier id="bookid">urn:uuid:{identifier}</dc:identifier>',
        f"<dc:title>{escape(book.title)}</dc:title>",
        f"<dc:language>{escape(book.language)}</dc:language>",
        f"<dc:creator>{escape(book.author_line)}</dc:creator>",
        "<dc:publisher>Bookbug</dc:publisher>",
        *([f"<dc:description>{escape(book.description)}</dc:description>"] if book.description else []),
        f'<meta property="dcterms:modified">{modified}</meta>',
        '<meta property="rendition:layout">pre-paginated</meta>',
        '<meta property="rendition:orientation">auto</meta>',
        '<meta property="rendition:spread">none</meta>',
        '<meta name="cover" content="cover-image"/>',
        '<meta property="schema:accessMode">textual</meta>',
        '<meta property="schema:accessMode">visual</meta>',
        *(['<meta property="schema:accessMode">auditory</meta>'] if narrated else []),
        '<meta property="schema:accessModeSufficient">textual</meta>',
        '<meta property="schema:accessModeSufficient">textual,visual</meta>',
        *[f'<meta property="schema:accessibilityFeature">{feature}</meta>' for feature in features],
        '<meta property="schema:accessibilityHazard">none</meta>',
        f'<meta property="schema:accessibilitySummary">{escape(summary)}</meta>',
    ]
    items = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="style" href="style.css" media-type="text/css"/>',
        '<item id="cover-image" href="images/cover.jpg" media-type="image/jpeg" properties="cover-image"/>',
        '<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>',
    ]
    spine = ['<itemref idref="cover"/>']
    total = 0.0
    for page in book.pages:
        n = page.number
        overlay = f' media-overlay="mo-{n:03d}"' if narrated else ""
        items.append(f'<item id="page-{n:03d}" href="page-{n:03d}.xhtml" media-type="application/xhtml+xml"{overlay}/>')
        items.append(f'<item id="image-{n:03d}" href="images/page-{n:03d}.jpg" media-type="image/jpeg"/>')
        if narrated:
            assert page.narration is not None
            items.append(f'<item id="mo-{n:03d}" href="page-{n:03d}.smil" media-type="application/smil+xml"/>')
            items.append(f'<item id="audio-{n:03d}" href="audio/page-{n:03d}.mp3" media-type="audio/mpeg"/>')
            duration = round(page.narration.duration, 3)
            total += duration
            meta.append(f'<meta property="media:duration" refines="#mo-{n:03d}">{_clock(duration)}</meta>')
        spine.append(f'<itemref idref="page-{n:03d}"/>')
    if narrated:
        meta.append(f'<meta property="media:duration">{_clock(total)}</meta>')
        meta.append(f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>')
    newline = "\n"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" xml:lang={quoteattr(book.language)}>
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
{newline.join(meta)}
</metadata>
<manifest>
{newline.join(items)}
</manifest>
<spine>
{newline.join(spine)}
</spine>
</package>
"""


CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
"""


def build_epub(book: EpubBook) -> bytes:
    """The book as EPUB bytes; with narration on every page, read along with media overlays."""
    shape = _Geometry(book)
    narrated = book.narrated
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as epub:
        # the mimetype comes first and uncompressed, so the file announces what it is
        epub.writestr(zipfile.ZipInfo("mimetype"), EPUB_MEDIA_TYPE, compress_type=zipfile.ZIP_STORED)
        epub.writestr("META-INF/container.xml", CONTAINER)
        epub.writestr("OEBPS/package.opf", _opf(book))
        epub.writestr("OEBPS/nav.xhtml", _nav(book, shape))
        epub.writestr("OEBPS/style.css", _css(shape))
        cover, _, _ = _jpeg(book.cover_image or book.pages[0].image)
        epub.writestr("OEBPS/images/cover.jpg", cover, compress_type=zipfile.ZIP_STORED)
        epub.writestr("OEBPS/cover.xhtml", _cover_xhtml(book, shape))
        for page in book.pages:
            picture, _, _ = _jpeg(page.image)
            epub.writestr(f"OEBPS/images/page-{page.number:03d}.jpg", picture, compress_type=zipfile.ZIP_STORED)
            epub.writestr(f"OEBPS/page-{page.number:03d}.xhtml", _page_xhtml(book, shape, page))
            if narrated and page.narration is not None:
                epub.writestr(f"OEBPS/audio/page-{page.number:03d}.mp3", page.narration.audio,
                              compress_type=zipfile.ZIP_STORED)
                epub.writestr(f"OEBPS/page-{page.number:03d}.smil", _smil(page))
    return out.getvalue()
