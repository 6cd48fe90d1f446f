"""The world behind the characters: sky by time of day, weather, ground, and things in view.

Setting words pick shapes from a small vocabulary (trees, houses, a castle, waves...), placed
by a seeded random source so the same page always looks the same.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw

from bookbug.providers.images.offline.colours import RGB, mix, shade
from bookbug.providers.images.offline.figures import Pen, _flower, _star

# top colour, horizon colour, light (sun/moon) colour
SKIES: dict[str, tuple[RGB, RGB, RGB]] = {
    "dawn": ((112, 128, 200), (250, 200, 160), (255, 236, 190)),
    "morning": ((120, 196, 240), (222, 242, 255), (255, 236, 140)),
    "midday": ((70, 166, 232), (190, 228, 255), (255, 244, 170)),
    "afternoon": ((104, 176, 226), (244, 228, 190), (255, 220, 120)),
    "sunset": ((76, 62, 142), (246, 140, 84), (255, 170, 80)),
    "dusk": ((44, 46, 102), (180, 106, 138), (250, 230, 200)),
    "night": ((13, 20, 64), (43, 58, 120), (246, 244, 220)),
}
TIME_WORDS = [
    ("night", ("night", "midnight", "bedtime", "moon", "starry", "dark")),
    ("dusk", ("dusk", "twilight", "evening")),
    ("sunset", ("sunset", "sundown", "golden hour")),
    ("dawn", ("dawn", "sunrise", "daybreak", "early")),
    ("midday", ("noon", "midday", "lunch")),
    ("afternoon", ("afternoon",)),
    ("morning", ("morning", "day")),
]
INDOOR_WORDS = ("kitchen", "bedroom", "room", "house inside", "indoors", "inside", "classroom", "library", "hall", "bathroom", "attic")


def mentions(text: str, word: str) -> bool:
    """`word` (or its plural) as a whole word in `text`: 'room' is not in 'mushrooms'."""
    return re.search(rf"\b{re.escape(word)}(?:s|es)?\b", text) is not None


def time_of_day(words: str) -> str:
    for key, options in TIME_WORDS:
        if any(mentions(words, option) for option in options):
            return key
    return "morning"


@dataclass
class Stage:
    """Geometry shared by the scene painters: canvas size and the horizon line."""

    width: int
    height: int
    horizon: float  # y of the horizon in pixels
    rng: random.Random
    palette: list[RGB]
    indoor: bool


def vertical_gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    """A smooth top-to-bottom gradient, built as a 1-pixel column and stretched (fast)."""
    column = Image.new("RGB", (1, 256))
    column.putdata([mix(top, bottom, i / 255) for i in range(256)])
    return column.resize(size, Image.Resampling.BILINEAR)


def paint_sky(stage: Stage, when: str, weather: str) -> Image.Image:
    top, bottom, light = SKIES[when]
    if any(mentions(weather, word) for word in ("cloudy", "grey", "gray", "rain", "rainy", "storm", "stormy", "fog", "foggy", "mist")):
        top, bottom = mix(top, (150, 156, 170), 0.55), mix(bottom, (190, 194, 200), 0.5)
    if mentions(weather, "storm") or mentions(weather, "stormy"):
        top, bottom = shade(top, 0.6), shade(bottom, 0.7)
    sky = vertical_gradient((stage.width, max(1, round(stage.horizon) + 4)), top, bottom)
    canvas = Image.new("RGB", (stage.width, stage.height), bottom)
    canvas.paste(sky, (0, 0))
    draw = ImageDraw.Draw(canvas, "RGBA")
    w, h, rng = stage.width, stage.horizon, stage.rng
    clear = not any(mentions(weather, word) for word in ("rain", "rainy", "storm", "stormy", "fog", "cloudy", "snow", "snowy"))
    if when in ("night", "dusk"):
        for _ in range(70 if when == "night" else 25):
            x, y, r = rng.uniform(0, w), rng.uniform(0, h * 0.85), rng.uniform(0.0015, 0.004) * w
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 252, 220, rng.randrange(150, 255)))
        if clear or when == "night":
            mx, my, mr = w * rng.uniform(0.62, 0.85), h * rng.uniform(0.16, 0.3), w * 0.06
            for i in range(4, 0, -1):
                draw.ellipse((mx - mr * (1 + i * 0.35), my - mr * (1 + i * 0.35), mx + mr * (1 + i * 0.35), my + mr * (1 + i * 0.35)),
                             fill=(*light, 18))
            draw.ellipse((mx - mr, my - mr, mx + mr, my + mr), fill=light)
            draw.ellipse((mx - mr * 0.5, my - mr * 0.5, mx - mr * 0.1, my - mr * 0.1), fill=shade(light, 0.93))
    elif clear:
        low = when in ("dawn", "sunset")
        sx = w * rng.uniform(0.15, 0.3) if rng.random() < 0.5 else w * rng.uniform(0.7, 0.85)
        sy = h * (0.72 if low else rng.uniform(0.15, 0.28))
        sr = w * (0.09 if low else 0.065)
        for i in range(5, 0, -1):
            glow = sr * (1 + i * 0.4)
            draw.ellipse((sx - glow, sy - glow, sx + glow, sy + glow), fill=(*light, 22))
        draw.ellipse((sx - sr, sy - sr, sx + sr, sy + sr), fill=light)
    cloud_count = 2 + rng.randrange(3) + (5 if not clear else 0)
    cloud = (255, 255, 255) if when not in ("night", "dusk") else (120, 126, 170)
    if not clear and not mentions(weather, "snow") and not mentions(weather, "snowy"):
        cloud = (130, 134, 146)
    for _ in range(cloud_count):
        _cloud(draw, rng.uniform(-0.05, 1.05) * w, rng.uniform(0.08, 0.55) * h, rng.uniform(0.08, 0.16) * w, cloud, rng)
    if "rainbow" in weather:
        cx, cy, radius = w * 0.5, h * 1.05, w * 0.45
        for i, colour in enumerate([(238, 64, 64), (246, 146, 50), (250, 220, 60), (90, 190, 90), (70, 140, 230), (140, 90, 200)]):
            r = radius - i * w * 0.018
            draw.arc((cx - r, cy - r, cx + r, cy + r), 180, 360, fill=(*colour, 150), width=max(2, round(w * 0.018)))
    return canvas


def _cloud(draw: ImageDraw.ImageDraw, x: float, y: float, size: float, colour: RGB, rng: random.Random) -> None:
    for dx, dy, r in ((0, 0, 0.5), (-0.45, 0.12, 0.36), (0.45, 0.12, 0.38), (0.2, -0.2, 0.4), (-0.2, 0.15, 0.4)):
        rr = r * size * rng.uniform(0.9, 1.1)
        draw.ellipse((x + dx * size - rr, y + dy * size - rr * 0.8, x + dx * size + rr, y + dy * size + rr * 0.8), fill=(*colour, 235))


def paint_indoor(stage: Stage, when: str) -> Image.Image:
    wall = mix(stage.palette[0], stage.palette[2], 0.25)
    canvas = vertical_gradient((stage.width, stage.height), shade(wall, 1.05), shade(wall, 0.92))
    draw = ImageDraw.Draw(canvas)
    w, h = stage.width, stage.horizon
    # a window showing the time of day outside
    wx0, wy0, wx1, wy1 = w * 0.62, h * 0.18, w * 0.88, h * 0.62
    top, bottom, light = SKIES[when]
    canvas.paste(vertical_gradient((round(wx1 - wx0), round(wy1 - wy0)), top, bottom), (round(wx0), round(wy0)))
    if when in ("night", "dusk"):
        draw.ellipse((wx0 + (wx1 - wx0) * 0.55, wy0 + (wy1 - wy0) * 0.15, wx0 + (wx1 - wx0) * 0.8, wy0 + (wy1 - wy0) * 0.4), fill=light)
    frame = shade(stage.palette[1], 0.7)
    line = max(2, round(w * 0.012))
    draw.rectangle((wx0, wy0, wx1, wy1), outline=frame, width=line)
    draw.line(((wx0 + wx1) / 2, wy0, (wx0 + wx1) / 2, wy1), fill=frame, width=line)
    draw.line((wx0, (wy0 + wy1) / 2, wx1, (wy0 + wy1) / 2), fill=frame, width=line)
    # a framed picture with a tiny landscape, never text
    px0, py0 = w * 0.14, h * 0.22
    draw.rectangle((px0, py0, px0 + w * 0.18, py0 + h * 0.22), fill=(250, 246, 236), outline=shade(stage.palette[3], 0.6), width=line)
    draw.polygon([(px0 + w * 0.02, py0 + h * 0.19), (px0 + w * 0.08, py0 + h * 0.07), (px0 + w * 0.16, py0 + h * 0.19)], fill=stage.palette[3])
    return canvas


def paint_ground(stage: Stage, draw: ImageDraw.ImageDraw, ground: str, when: str) -> str:
    """Fill below the horizon; returns the ground kind that was painted."""
    w, h, top = stage.width, stage.height, stage.horizon
    night = when in ("night", "dusk")
    kind = "grass"
    for word, name in (("sand", "sand"), ("beach", "sand"), ("desert", "sand"), ("snow", "snow"), ("ice", "snow"),
                       ("sea", "water"), ("ocean", "water"), ("lake", "water"), ("water", "water"), ("moon", "moon"),
                       ("space", "moon"), ("floor", "floor"), ("wood", "floor"), ("carpet", "floor"), ("road", "path"),
                       ("path", "path"), ("street", "path"), ("grass", "grass"), ("meadow", "grass"), ("garden", "grass")):
        if mentions(ground, word):
            kind = name
            break
    if stage.indoor and kind in ("grass", "path"):
        kind = "floor"
    colours = {"grass": (120, 186, 96), "sand": (238, 214, 160), "snow": (240, 246, 252), "water": (70, 150, 210),
               "moon": (180, 180, 190), "floor": (196, 150, 104), "path": (120, 186, 96)}
    base = colours[kind]
    if night:
        base = mix(base, (30, 40, 90), 0.45)
    # rolling hills: three bands, lighter far away
    for i, (depth, amp) in enumerate(((0.0, 0.035), (0.12, 0.025), (0.3, 0.02))):
        colour = shade(base, 1.12 - i * 0.1) if i == 0 else shade(base, 1.0 - i * 0.08)
        y0 = top + depth * (h - top)
        phase, waves = stage.rng.uniform(0, math.tau), stage.rng.uniform(1.0, 2.2)
        points = [(x, y0 - amp * h * (0 if stage.indoor or kind in ("floor", "water") else math.sin(x / w * math.tau * waves + phase)))
                  for x in range(0, w + 16, 16)]
        draw.polygon(points + [(w, h), (0, h)], fill=colour)
    if kind != "water" and any(mentions(ground, word) for word in ("sea", "ocean", "lake", "wave", "river", "beach", "harbour")):
        # the sea along the horizon, behind a beach or a meadow
        water = mix((70, 150, 210), (30, 40, 90), 0.45) if night else (86, 162, 214)
        draw.rectangle((0, top - 0.005 * h, w, top + 0.07 * (h - top)), fill=water)
        for _ in range(8):
            x, y = stage.rng.uniform(0, w), top + stage.rng.uniform(0.005, 0.06) * (h - top)
            draw.arc((x - w * 0.04, y - h * 0.006, x + w * 0.04, y + h * 0.01), 200, 340, fill=shade(water, 1.3), width=max(2, round(w * 0.004)))
    if kind == "floor":
        for i in range(1, 7):
            y = top + (h - top) * (i / 7) ** 1.3
            draw.line((0, y, w, y), fill=shade(base, 0.85), width=max(1, round(w * 0.004)))
        rug = stage.palette[1]
        draw.ellipse((w * 0.2, top + (h - top) * 0.45, w * 0.8, top + (h - top) * 0.85), fill=mix(rug, (255, 255, 255), 0.25))
    elif kind == "water":
        for _ in range(18):
            y = top + (h - top) * stage.rng.uniform(0.05, 0.95)
            x = stage.rng.uniform(0, w)
            draw.arc((x - w * 0.05, y - h * 0.01, x + w * 0.05, y + h * 0.015), 200, 340, fill=shade(base, 1.3), width=max(2, round(w * 0.005)))
    elif kind == "path":
        draw.polygon([(w * 0.46, top), (w * 0.54, top), (w * 0.78, h), (w * 0.22, h)], fill=mix((214, 190, 150), base, 0.2 if night else 0))
    elif kind == "moon":
        for _ in range(10):
            x, y, r = stage.rng.uniform(0, w), stage.rng.uniform(top, h), stage.rng.uniform(0.02, 0.05) * w
            draw.ellipse((x - r, y - r * 0.4, x + r, y + r * 0.4), fill=shade(base, 0.85))
    return kind


# -- things in view -----------------------------------------------------------------------
def _tree(pen: Pen, stage: Stage, x: float, y: float, s: float, night: bool) -> None:
    trunk = (120, 84, 56)
    leaf = stage.rng.choice([(88, 160, 80), (70, 140, 90), (120, 176, 80)])
    if night:
        leaf, trunk = mix(leaf, (20, 30, 70), 0.45), mix(trunk, (20, 30, 70), 0.45)
    pen.rect(x - 0.06 * s, y - 0.45 * s, x + 0.06 * s, y, trunk, 0.02 * s)
    for dx, dy, r in ((0, -0.62, 0.28), (-0.18, -0.5, 0.2), (0.18, -0.5, 0.21), (0, -0.8, 0.2)):
        pen.ellipse(x + dx * s, y + dy * s, r * s, r * s, leaf)


def _pine(pen: Pen, stage: Stage, x: float, y: float, s: float, night: bool) -> None:
    leaf = (56, 120, 84) if not night else (30, 60, 70)
    pen.rect(x - 0.04 * s, y - 0.18 * s, x + 0.04 * s, y, (110, 76, 50))
    for i in range(3):
        width, top = (0.3 - i * 0.07) * s, y - (0.15 + i * 0.22) * s
        pen.poly([(x - width, top), (x + width, top), (x, top - 0.38 * s)], leaf)


def _house(pen: Pen, stage: Stage, x: float, y: float, s: float, night: bool) -> None:
    wall = stage.rng.choice(stage.palette[1:5])
    wall = mix(wall, (255, 250, 240), 0.45)
    roof = shade(stage.rng.choice(stage.palette[1:5]), 0.75)
    pen.rect(x - 0.3 * s, y - 0.45 * s, x + 0.3 * s, y, wall)
    pen.poly([(x - 0.38 * s, y - 0.43 * s), (x + 0.38 * s, y - 0.43 * s), (x, y - 0.78 * s)], roof)
    pen.rect(x - 0.07 * s, y - 0.22 * s, x + 0.07 * s, y, shade(roof, 0.8), 0.03 * s)
    glow = (255, 220, 120) if night else (200, 230, 250)
    for dx in (-0.2, 0.13):
        pen.rect(x + dx * s, y - 0.36 * s, x + (dx + 0.09) * s, y - 0.26 * s, glow)


def _castle(pen: Pen, stage: Stage, x: float, y: float, s: float, night: bool) -> None:
    stone = mix(stage.palette[2], (210, 206, 220), 0.6)
    if night:
        stone = mix(stone, (40, 50, 100), 0.4)
    roof = stage.palette[1]
    for dx, tw, th in ((-0.45, 0.16, 0.95), (0.45, 0.16, 0.95), (0, 0.2, 1.25)):
        pen.rect(x + (dx - tw / 2) * s, y - th * s, x + (dx + tw / 2) * s, y, stone)
        pen.poly([(x + (dx - tw / 2 - 0.03) * s, y - th * s), (x + (dx + tw / 2 + 0.03) * s, y - th * s), (x + dx * s, y - (th + 0.3) * s)], roof)
    pen.rect(x - 0.45 * s, y - 0.6 * s, x + 0.45 * s, y, stone)
    for i in range(5):
        bx = x - 0.4 * s + i * 0.2 * s
        pen.rect(bx - 0.04 * s, y - 0.68 * s, bx + 0.04 * s, y - 0.6 * s, stone)
    pen.draw.chord((x - 0.1 * s, y - 0.3 * s, x + 0.1 * s, y - 0.1 * s), 180, 360, fill=shade(stone, 0.55))
    pen.rect(x - 0.1 * s, y - 0.2 * s, x + 0.1 * s, y, shade(stone, 0.55))


def _mountain(pen: Pen, stage: Stage, x: float, y: float, s: float, night: bool) -> None:
    rock = mix((130, 140, 170), stage.palette[2], 0.2)
    if night:
        rock = mix(rock, (20, 30, 70), 0.5)
    peak = y - 1.0 * s
    pen.poly([(x - 0.9 * s, y), (x, peak), (x + 0.9 * s, y)], rock)
    pen.poly([(x - 0.25 * s, peak + 0.28 * s), (x, peak), (x + 0.25 * s, peak + 0.28 * s), (x + 0.08 * s, peak + 0.22 * s), (x - 0.1 * s, peak + 0.3 * s)], (250, 250, 255))


def _flowers(pen: Pen, stage: Stage, x: float, y: float, s: float, night: bool) -> None:
    for _ in range(5):
        fx, fy = x + stage.rng.uniform(-0.5, 0.5) * s, y + stage.rng.uniform(-0.1, 0.1) * s
        pen.draw.line((fx, fy, fx, fy - 0.25 * s), fill=(70, 130, 60), width=max(2, round(0.02 * s)))
        _flower(pen, fx, fy - 0.27 * s, 0.06 * s, stage.rng.choice(stage.palette[1:6]))


def _rock(pen: Pen, stage: Stage, x: float, y: float, s: float, night: bool) -> None:
    pen.draw.chord((x - 0.25 * s, y - 0.22 * s, x + 0.25 * s, y + 0.18 * s), 180, 360, fill=(150, 146, 150) if not night else (70, 74, 100))


def _bush(pen: Pen, stage: Stage, x: float, y: float, s: float, night: bool) -> None:
    leaf = (90, 160, 90) if not night else (40, 70, 80)
    for dx, r in ((-0.15, 0.14), (0.15, 0.15), (0, 0.2)):
        pen.ellipse(x + dx * s, y - 0.12 * s, r * s, r * s * 0.9, leaf)


def _mushroom(pen: Pen, stage: Stage, x: float, y: float, s: float, night: bool) -> None:
    pen.rect(x - 0.05 * s, y - 0.18 * s, x + 0.05 * s, y, (246, 236, 220), 0.02 * s)
    pen.draw.chord((x - 0.16 * s, y - 0.32 * s, x + 0.16 * s, y - 0.06 * s), 180, 360, fill=(220, 60, 60))
    for dx in (-0.08, 0.06):
        pen.draw.ellipse((x + dx * s - 0.02 * s, y - 0.26 * s, x + dx * s + 0.02 * s, y - 0.22 * s), fill=(255, 255, 255))


def _boat(pen: Pen, stage: Stage, x: float, y: float, s: float, night: bool) -> None:
    hull = shade(stage.palette[1], 0.8)
    pen.poly([(x - 0.35 * s, y - 0.12 * s), (x + 0.35 * s, y - 0.12 * s), (x + 0.25 * s, y), (x - 0.25 * s, y)], hull)
    pen.line([(x, y - 0.12 * s), (x, y - 0.6 * s)], (90, 70, 50), 0.02 * s)
    pen.poly([(x + 0.02 * s, y - 0.58 * s), (x + 0.02 * s, y - 0.16 * s), (x + 0.28 * s, y - 0.16 * s)], (250, 248, 240))


def _tent(pen: Pen, stage: Stage, x: float, y: float, s: float, night: bool) -> None:
    cloth = stage.palette[3]
    pen.poly([(x - 0.35 * s, y), (x + 0.35 * s, y), (x, y - 0.45 * s)], cloth)
    pen.poly([(x - 0.08 * s, y), (x + 0.08 * s, y), (x, y - 0.3 * s)], shade(cloth, 0.5))


def _fence(pen: Pen, stage: Stage, x: float, y: float, s: float, night: bool) -> None:
    wood = (214, 186, 146) if not night else (90, 90, 120)
    for i in range(6):
        px = x - 0.5 * s + i * 0.2 * s
        pen.poly([(px - 0.04 * s, y), (px + 0.04 * s, y), (px + 0.04 * s, y - 0.22 * s), (px, y - 0.27 * s), (px - 0.04 * s, y - 0.22 * s)], wood)
    pen.rect(x - 0.55 * s, y - 0.17 * s, x + 0.55 * s, y - 0.13 * s, wood)


def _balloon(pen: Pen, stage: Stage, x: float, y: float, s: float, night: bool) -> None:
    top = y - 1.6 * s
    pen.line([(x, y - 0.5 * s), (x, top)], (80, 80, 80), 0.01 * s)
    pen.ellipse(x, top - 0.12 * s, 0.1 * s, 0.13 * s, stage.rng.choice(stage.palette[1:6]))


def _stars(pen: Pen, stage: Stage, x: float, y: float, s: float, night: bool) -> None:
    for _ in range(4):
        _star(pen, stage.rng.uniform(0, stage.width), stage.rng.uniform(0, stage.horizon * 0.6), 0.05 * s, (255, 230, 120))


def _table(pen: Pen, stage: Stage, x: float, y: float, s: float, night: bool) -> None:
    wood = shade(stage.palette[4], 0.7)
    pen.rect(x - 0.4 * s, y - 0.42 * s, x + 0.4 * s, y - 0.36 * s, wood)
    for dx in (-0.33, 0.33):
        pen.rect(x + (dx - 0.03) * s, y - 0.36 * s, x + (dx + 0.03) * s, y, wood)
    pen.ellipse(x - 0.1 * s, y - 0.47 * s, 0.08 * s, 0.05 * s, stage.palette[1])


def _bed(pen: Pen, stage: Stage, x: float, y: float, s: float, night: bool) -> None:
    frame = shade(stage.palette[4], 0.7)
    pen.rect(x - 0.5 * s, y - 0.5 * s, x - 0.44 * s, y, frame)
    pen.rect(x - 0.5 * s, y - 0.25 * s, x + 0.5 * s, y - 0.1 * s, frame)
    pen.rect(x - 0.44 * s, y - 0.36 * s, x + 0.5 * s, y - 0.25 * s, mix(stage.palette[2], (255, 255, 255), 0.3), 0.05 * s)
    pen.ellipse(x - 0.3 * s, y - 0.38 * s, 0.12 * s, 0.06 * s, (255, 255, 255))


Painter = Callable[[Pen, Stage, float, float, float, bool], None]
# word → (painter, layer: "far" behind the horizon or "near" on the ground, scale, count)
VOCABULARY: list[tuple[tuple[str, ...], Painter, str, float, int]] = [
    (("mountain", "hill", "peak", "volcano"), _mountain, "far", 0.5, 3),
    (("castle", "palace", "kingdom", "tower", "fort"), _castle, "far", 0.42, 1),
    (("pine", "fir", "christmas tree", "snowy forest"), _pine, "near", 0.34, 5),
    (("forest", "wood", "jungle", "tree", "park", "orchard"), _tree, "near", 0.36, 5),
    (("house", "cottage", "village", "home", "town", "farm", "street", "cabin"), _house, "near", 0.3, 3),
    (("flower", "garden", "meadow", "blossom", "tulip", "rose", "daisy", "spring"), _flowers, "front", 0.22, 4),
    (("rock", "stone", "boulder", "cave", "cliff"), _rock, "near", 0.25, 3),
    (("bush", "hedge", "shrub"), _bush, "near", 0.3, 3),
    (("mushroom", "toadstool", "fairy", "enchanted"), _mushroom, "front", 0.28, 4),
    (("boat", "ship", "harbour", "harbor", "sail", "pirate"), _boat, "far", 0.3, 1),
    (("tent", "camp", "circus"), _tent, "near", 0.35, 1),
    (("fence", "farm", "yard"), _fence, "near", 0.3, 1),
    (("balloon", "party", "birthday", "fair"), _balloon, "near", 0.3, 3),
    (("star", "space", "sky"), _stars, "far", 0.5, 1),
    (("table", "kitchen", "dinner", "breakfast", "tea"), _table, "near", 0.5, 1),
    (("bed", "bedroom", "bedtime", "sleep"), _bed, "near", 0.6, 1),
]
OUTDOOR_DEFAULT = (("tree",), _tree, "near", 0.36, 3)


def things_in_view(words: str, indoor: bool) -> list[tuple[Painter, str, float, int]]:
    chosen: list[tuple[Painter, str, float, int]] = []
    for keys, painter, layer, scale, count in VOCABULARY:
        if any(mentions(words, key) for key in keys) and painter not in [c[0] for c in chosen]:
            if indoor and painter in (_mountain, _castle, _boat, _tree, _pine, _house, _tent):
                continue
            chosen.append((painter, layer, scale, count))
    if not chosen and not indoor:
        chosen.append(OUTDOOR_DEFAULT[1:])
    if not chosen and indoor:
        chosen.append((_table, "near", 0.5, 1))
    return chosen


def paint_weather(image: Image.Image, weather: str, rng: random.Random) -> None:
    """Rain streaks or snowflakes over the whole picture, characters included."""
    draw = ImageDraw.Draw(image, "RGBA")
    w, h = image.size
    if any(mentions(weather, word) for word in ("rain", "rainy", "storm", "drizzle", "shower")):
        for _ in range(int(w * h / 2500)):
            x, y = rng.uniform(0, w), rng.uniform(0, h)
            draw.line((x, y, x - w * 0.008, y + h * 0.03), fill=(220, 230, 250, 140), width=max(1, w // 600))
    if any(mentions(weather, word) for word in ("snow", "snowy", "snowing", "blizzard", "snowflake")):
        for _ in range(int(w * h / 3000)):
            x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.002, 0.006) * w
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, 220))
