"""Colours for the offline illustrator: parsing words and hex, preset palettes, seeded choice."""

from __future__ import annotations

import colorsys
import hashlib
import random

from PIL import ImageColor

RGB = tuple[int, int, int]

# Each preset's own palette: used for houses, flowers, clothes with no stated colour, and
# the paper the character sheet sits on (the first entry).
PRESET_PALETTES: dict[str, list[str]] = {
    "watercolor": ["#fbf6ec", "#7fb8d8", "#f2a7a0", "#9cc98f", "#f6d58e", "#b79ed8"],
    "gouache": ["#f4ede0", "#2f6f8f", "#e07a3f", "#6a9a4b", "#f2c14e", "#a34a5a"],
    "cut-paper": ["#f7f1e3", "#e85d4a", "#2e86ab", "#f6ae2d", "#5aa469", "#8e5fa8"],
    "claymation": ["#efe6da", "#d9653b", "#4f8fc0", "#e8b94a", "#6bab5e", "#c46b9e"],
    "chibi": ["#fff7fb", "#ff8fb1", "#7ad3f0", "#ffd36e", "#8be08f", "#b79bff"],
    "crayon": ["#fffdf5", "#e8463b", "#3b7dd8", "#f5c518", "#4caf50", "#9c4dcc"],
    "miniature-diorama": ["#eee8dc", "#c75b39", "#3f7cac", "#d9a441", "#5d8f4e", "#8c6bb1"],
    "3d-animated": ["#f3f6fb", "#ff7a45", "#3c8dde", "#ffc53d", "#52c41a", "#9254de"],
}

SKIN_TONES: list[RGB] = [(255, 224, 196), (241, 194, 160), (224, 172, 128), (198, 134, 94), (141, 85, 54), (96, 60, 40)]
HAIR_COLOURS: dict[str, RGB] = {
    "blonde": (240, 204, 110), "golden": (236, 190, 90), "red": (196, 78, 38), "ginger": (214, 110, 48),
    "brown": (112, 70, 40), "black": (40, 32, 30), "dark": (52, 40, 34), "grey": (170, 170, 170),
    "white": (236, 236, 236), "silver": (200, 204, 210), "pink": (240, 140, 180), "blue": (90, 130, 220),
}


def seeded(*parts: object) -> random.Random:
    """A random source fixed by `parts`: same words, same drawing, in every process."""
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def parse_colour(word: str) -> RGB | None:
    """'#ff8800', 'ff8800', 'red', 'sky blue' → RGB; None for words that are not colours."""
    value = word.strip().lower()
    if not value:
        return None
    candidates = [value, value.replace(" ", ""), value.split()[-1]]
    if all(c in "0123456789abcdef" for c in value) and len(value) in (3, 6):
        candidates.insert(0, "#" + value)
    for candidate in candidates:
        try:
            rgb = ImageColor.getrgb(candidate)
        except ValueError:
            continue
        return rgb[0], rgb[1], rgb[2]
    return None


def palette_for(style: str, requested: list[str]) -> list[RGB]:
    """The request's own palette first (the style guide's), then the preset's."""
    colours = [rgb for rgb in (parse_colour(word) for word in requested) if rgb]
    colours += [parse_colour(word) or (128, 128, 128) for word in PRESET_PALETTES[style]]
    return colours


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def shade(colour: RGB, factor: float) -> RGB:
    """Darker (<1) or lighter (>1) version of `colour`."""
    if factor < 1:
        return mix(colour, (0, 0, 0), 1 - factor)
    return mix(colour, (255, 255, 255), factor - 1)


def hue_colour(rng: random.Random, saturation: float = 0.55, value: float = 0.85) -> RGB:
    r, g, b = colorsys.hsv_to_rgb(rng.random(), saturation, value)
    return round(r * 255), round(g * 255), round(b * 255)
