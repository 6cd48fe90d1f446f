"""How many story pages a book gets.

Picture books are printed on folded sheets, and every format Bookbug offers binds in
signatures of 4 pages, so a requested count is padded up to the next multiple of the
format's signature (12 stays 12, 13 becomes 16) and kept within 8-32. Padding never
shortens a book: the writer fills the extra pages, it never drops requested ones.
"""

from __future__ import annotations

from bookbug.story.formats import DEFAULT_FORMAT, get_format

MIN_PAGES = 8
MAX_PAGES = 32
DEFAULT_PAGES = 24

# Pages per printed signature, by format. All current formats fold in fours; a format that
# prints differently (e.g. lay-flat in 2s) only needs an entry here.
SIGNATURE_PAGES: dict[str, int] = {
    "square-small": 4,
    "square-large": 4,
    "landscape": 4,
    "portrait-small": 4,
    "portrait-large": 4,
}


def padded_page_count(requested: int, format_name: str = DEFAULT_FORMAT) -> int:
    """`requested` padded to what `format_name` prints well, within 8-32."""
    if not MIN_PAGES <= requested <= MAX_PAGES:
        raise ValueError(f"a book has {MIN_PAGES}-{MAX_PAGES} pages, not {requested}")
    signature = SIGNATURE_PAGES.get(get_format(format_name).name, 4)
    padded = -(-requested // signature) * signature
    return min(padded, MAX_PAGES - MAX_PAGES % signature)
