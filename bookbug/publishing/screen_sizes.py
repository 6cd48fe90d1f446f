"""Smaller copies of a page's picture for the screens that show it.

The gallery and the pages landing during a book show thumbnails; the reader shows a copy
sized for a screen; only the PDF uses the print file. Copies are JPEGs, made once from the
stored picture and kept beside it (`<key>.<size>.jpg`), so deleting a book's folder deletes
them too.
"""

from __future__ import annotations

import io
from enum import Enum

from PIL import Image

from bookbug.publishing.images import RESAMPLE, open_image


class ScreenSize(str, Enum):
    thumb = "thumb"  # gallery covers and the pages landing while a book is made
    screen = "screen"  # the reader, on a phone, a tablet or a desktop


# the longest side in pixels: cards are up to ~320 CSS px wide (sharp at 2x); a reader page
# fills at most ~1280 CSS px
LONGEST_SIDE = {ScreenSize.thumb: 640, ScreenSize.screen: 1600}
QUALITY = {ScreenSize.thumb: 78, ScreenSize.screen: 82}


def sized_key(key: str, size: ScreenSize) -> str:
    return f"{key}.{size.value}.jpg"


def sized_copy(data: bytes | Image.Image, size: ScreenSize) -> bytes:
    """`data` no larger than the size's longest side (never enlarged), as a progressive JPEG; an
    image already opened is not decoded again."""
    picture = data if isinstance(data, Image.Image) else open_image(data)
    longest = LONGEST_SIDE[size]
    if max(picture.size) > longest:
        scale = longest / max(picture.size)
        picture = picture.resize((max(1, round(picture.width * scale)), max(1, round(picture.height * scale))),
                                 RESAMPLE)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=QUALITY[size], optimize=True, progressive=True)
    return out.getvalue()
