"""Each art-style preset's finish: paper grain, washes, crayon strokes, paper shadows, tilt-shift.

Noise comes from a seeded `random.Random`, never Pillow's `effect_noise` (which draws from the
C library's global state), so the same page always encodes to the same bytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageOps

from bookbug.providers.images.offline.colours import RGB


@dataclass(frozen=True)
class Finish:
    outline: RGB | None  # ink around shapes, None for none
    outline_weight: float  # as a fraction of the image width
    shadow: float  # drop-shadow opacity under layers (cut paper, clay, diorama)
    saturation: float
    big_heads: bool  # chibi proportions


FINISHES: dict[str, Finish] = {
    "watercolor": Finish((96, 84, 92), 0.0016, 0.0, 0.85, False),
    "gouache": Finish((70, 56, 60), 0.0018, 0.0, 1.05, False),
    "cut-paper": Finish(None, 0.0, 0.45, 1.1, False),
    "claymation": Finish(None, 0.0, 0.35, 1.1, False),
    "chibi": Finish((60, 44, 56), 0.0042, 0.0, 1.15, True),
    "crayon": Finish((64, 52, 60), 0.0028, 0.0, 1.1, False),
    "miniature-diorama": Finish(None, 0.0, 0.3, 1.2, False),
    "3d-animated": Finish(None, 0.0, 0.25, 1.12, False),
}


def grain(size: tuple[int, int], rng: random.Random, scale: int = 2) -> Image.Image:
    """Grey noise around 128, at 1/scale resolution and smoothed: paper, not TV static."""
    small = (max(1, size[0] // scale), max(1, size[1] // scale))
    noise = Image.frombytes("L", small, rng.randbytes(small[0] * small[1]))
    noise = noise.filter(ImageFilter.BoxBlur(1)).resize(size, Image.Resampling.BILINEAR)
    return ImageOps.autocontrast(noise, cutoff=2)


def _overlay(image: Image.Image, texture: Image.Image, strength: float) -> Image.Image:
    """Lighten and darken `image` by a grey texture (128 = no change)."""
    texture_rgb = Image.merge("RGB", (texture, texture, texture))
    return Image.blend(image, ImageChops.overlay(image, texture_rgb), strength)


def _crayon_strokes(size: tuple[int, int], rng: random.Random) -> Image.Image:
    layer = Image.new("L", size, 128)
    draw = ImageDraw.Draw(layer)
    w, h = size
    length = w * 0.05
    for _ in range(int(w * h / 900)):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        tone = rng.choice((70, 100, 170, 200))
        draw.line((x, y, x + length * 0.7, y - length * 0.4), fill=tone, width=max(1, w // 500))
    return layer


def _vignette(size: tuple[int, int], strength: float) -> Image.Image:
    mask = Image.new("L", (64, 64), 0)
    ImageDraw.Draw(mask).ellipse((-8, -8, 72, 72), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(10)).resize(size, Image.Resampling.BILINEAR)
    return ImageOps.invert(mask).point(lambda v: int(v * strength))


def finish(image: Image.Image, style: str, rng: random.Random) -> Image.Image:
    size = image.size
    image = ImageEnhance.Color(image).enhance(FINISHES[style].saturation)
    if style == "watercolor":
        washed = image.filter(ImageFilter.GaussianBlur(size[0] / 400))
        image = Image.blend(image, washed, 0.55)
        image = _overlay(image, grain(size, rng, 6), 0.18)
        image = Image.blend(image, Image.new("RGB", size, (252, 246, 232)), 0.08)
    elif style == "gouache":
        image = ImageOps.posterize(image, 5)
        image = _overlay(image, grain(size, rng, 2), 0.25)
    elif style == "crayon":
        image = _overlay(image, _crayon_strokes(size, rng), 0.55)
        image = _overlay(image, grain(size, rng, 1), 0.2)
    elif style == "cut-paper":
        image = _overlay(image, grain(size, rng, 4), 0.08)
    elif style == "claymation":
        image = image.filter(ImageFilter.SMOOTH_MORE)
        image = _overlay(image, grain(size, rng, 6), 0.1)
    elif style == "miniature-diorama":
        # tilt-shift: sharp in the middle band, blurred at top and bottom
        blurred = image.filter(ImageFilter.GaussianBlur(size[0] / 180))
        band = Image.new("L", (1, 256))
        band.putdata([min(255, int(abs(i - 150) * 2.6)) for i in range(256)])
        image = Image.composite(blurred, image, band.resize(size, Image.Resampling.BILINEAR))
    elif style == "3d-animated":
        light = Image.new("L", (1, 256))
        light.putdata([int(150 - i * 0.25) for i in range(256)])
        image = _overlay(image, light.resize(size, Image.Resampling.BILINEAR), 0.5)
    if style in ("watercolor", "claymation", "miniature-diorama", "3d-animated", "gouache"):
        dark = Image.new("RGB", size, (40, 30, 40))
        image = Image.composite(dark, image, _vignette(size, 0.35))
    return image


def drop_shadow(layer: Image.Image, strength: float, offset: int, blur: float) -> Image.Image:
    """A soft shadow of `layer`'s shapes, offset down and right (paper, clay and dioramas)."""
    alpha = layer.getchannel("A").point(lambda v: int(v * strength))
    alpha = ImageChops.offset(alpha, offset, offset).filter(ImageFilter.GaussianBlur(blur))
    shadow = Image.new("RGBA", layer.size, (30, 20, 30, 0))
    shadow.putalpha(alpha)
    return shadow
