"""Fit a picture to the page's bleed box at print (or screen) resolution.

Image models return 1-2 k pixels; a full-bleed page at 300 dpi needs 2.2-3.4 k. We crop to
the page's shape (centre crop, so nothing is squashed) and upscale with LANCZOS, the
sharpest of Pillow's filters for enlarging, and record what was done so the page's
metadata can tell an operator how much a picture was enlarged.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass

from PIL import Image, ImageOps

from bookbug.publishing.editions import JPEG_QUALITY, pixels_for

RESAMPLE = Image.Resampling.LANCZOS


@dataclass(frozen=True)
class PreparedImage:
    jpeg: bytes
    width: int
    height: int
    source_width: int
    source_height: int
    scale: float  # > 1 means the picture was enlarged
    resample: str = "LANCZOS"

    @property
    def upscaled(self) -> bool:
        return self.scale > 1.0

    def metadata(self) -> dict[str, object]:
        data = asdict(self)
        del data["jpeg"]
        data["upscaled"] = self.upscaled
        return data


def open_image(data: bytes) -> Image.Image:
    try:
        image: Image.Image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as exc:  # noqa: BLE001 - Pillow has many error types for bad files
        raise ValueError(f"a page picture could not be read as an image: {exc}") from exc
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        # paper is white: flatten transparency onto white rather than black
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def fit_to_box(data: bytes, size: tuple[int, int], *, quality: int = 90) -> PreparedImage:
    """Centre-crop `data` to the shape of `size`, resample to exactly `size`, encode as JPEG.

    A JPEG that already has exactly `size` (prepared when its page was drawn, see
    `prepare_page_image`) is passed through untouched: no second decode, resample or loss.
    """
    ready = _already_prepared(data, size)
    if ready is not None:
        return ready
    image = open_image(data)
    source = image.size
    cropped = image.crop(_centre_crop(source, size))
    scale = size[0] / cropped.width
    fitted = cropped.resize(size, RESAMPLE, reducing_gap=None if scale > 1 else 3.0)
    buffer = io.BytesIO()
    fitted.save(buffer, format="JPEG", quality=quality)
    return PreparedImage(buffer.getvalue(), size[0], size[1], source[0], source[1], round(scale, 4), "LANCZOS")


def _centre_crop(source: tuple[int, int], target: tuple[int, int]) -> tuple[int, int, int, int]:
    """The largest box of the target's shape in the middle of the source."""
    width, height = source
    wanted = target[0] / target[1]
    if width / height > wanted:  # too wide: trim the sides
        new_width = round(height * wanted)
        left = (width - new_width) // 2
        return left, 0, left + new_width, height
    new_height = round(width / wanted)
    top = (height - new_height) // 2
    return 0, top, width, top + new_height


def _already_prepared(data: bytes, size: tuple[int, int]) -> PreparedImage | None:
    try:
        header = Image.open(io.BytesIO(data))  # reads the header only, not the pixels
    except Exception:  # noqa: BLE001 - open_image reports unreadable files properly
        return None
    if header.format == "JPEG" and header.mode == "RGB" and header.size == size:
        return PreparedImage(data, size[0], size[1], size[0], size[1], 1.0, "none (already print-ready)")
    return None


def prepare_page_image(data: bytes, format_name: str, edition: str = "print") -> PreparedImage:
    """A page's picture made print-ready once, when the page is drawn.

    Run it in the page step (pages are drawn in parallel) and store the JPEG: assembling
    the book then only embeds files, and `metadata()` goes into the page's record.
    """
    return fit_to_box(data, pixels_for(format_name, edition), quality=JPEG_QUALITY[edition])
