"""Characters as simple shapes: one drawer per body kind, four views, a face per expression.

Everything is measured in `u`, a tenth of the figure's height, so a character keeps its
proportions at any size. `facing` is +1 (looking right) or -1 (looking left).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import ImageDraw

from bookbug.providers.images.offline.colours import RGB, mix, shade
from bookbug.providers.images.offline.looks import Look

View = str  # "front", "three_quarter", "side", "back"
INK: RGB = (52, 40, 44)


@dataclass
class Pen:
    draw: ImageDraw.ImageDraw
    outline: RGB | None
    width: int

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, fill: RGB) -> None:
        self.draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=fill, outline=self.outline, width=self.width)

    def poly(self, points: list[tuple[float, float]], fill: RGB) -> None:
        self.draw.polygon(points, fill=fill, outline=self.outline, width=self.width)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: RGB, radius: float = 0) -> None:
        x0, x1 = min(x0, x1), max(x0, x1)
        y0, y1 = min(y0, y1), max(y0, y1)
        self.draw.rounded_rectangle((x0, y0, x1, y1), radius=min(radius, (x1 - x0) / 2, (y1 - y0) / 2), fill=fill, outline=self.outline, width=self.width)

    def line(self, points: list[tuple[float, float]], fill: RGB, width: float) -> None:
        self.draw.line(points, fill=fill, width=max(1, round(width)), joint="curve")


def _eyes(pen: Pen, cx: float, cy: float, u: float, view: View, facing: int, expression: str, glow: RGB | None = None) -> None:
    if view == "back":
        return
    if view == "front":
        xs = [cx - 0.8 * u, cx + 0.8 * u]
    elif view == "three_quarter":
        xs = [cx - 0.35 * u + 0.6 * u * facing, cx + 0.95 * u * facing + 0.6 * u * facing]
    else:
        xs = [cx + 1.1 * u * facing]
    r = 0.32 * u
    for x in xs:
        if "sleep" in expression or "tired" in expression:
            pen.draw.arc((x - r, cy - r, x + r, cy + r), 20, 160, fill=INK, width=max(2, round(0.15 * u)))
            continue
        if glow:
            pen.draw.ellipse((x - r * 1.2, cy - r * 1.2, x + r * 1.2, cy + r * 1.2), fill=glow)
            continue
        pen.draw.ellipse((x - r, cy - r * 1.15, x + r, cy + r * 1.15), fill=INK)
        pen.draw.ellipse((x - r * 0.2 + r * 0.3, cy - r * 0.7, x + r * 0.35, cy - r * 0.15), fill=(255, 255, 255))
        if any(word in expression for word in ("angry", "cross", "grumpy", "worried", "scared")):
            tilt = 1 if ("angry" in expression or "cross" in expression or "grumpy" in expression) else -1
            inner = 1 if x > cx else -1
            pen.draw.line(
                [(x - r * 1.3, cy - r * 2.0 - tilt * inner * r * 0.6), (x + r * 1.3, cy - r * 2.0 + tilt * inner * r * 0.6)],
                fill=INK, width=max(2, round(0.14 * u)),
            )
    mouth_x = cx + (0.0 if view == "front" else (0.55 * u * facing if view == "three_quarter" else 1.25 * u * facing))
    _mouth(pen, mouth_x, cy + 1.0 * u, u, expression)


def _mouth(pen: Pen, x: float, y: float, u: float, expression: str) -> None:
    w = 0.55 * u
    width = max(2, round(0.14 * u))
    if any(word in expression for word in ("surprise", "amazed", "wonder", "scared", "shock", "awe")):
        pen.draw.ellipse((x - w * 0.35, y - w * 0.3, x + w * 0.35, y + w * 0.5), fill=INK)
    elif any(word in expression for word in ("sad", "worried", "upset", "lonely", "cry")):
        pen.draw.arc((x - w, y, x + w, y + w * 1.2), 200, 340, fill=INK, width=width)
    elif any(word in expression for word in ("laugh", "excited", "joy", "delight", "thrill")):
        pen.draw.chord((x - w, y - w * 0.6, x + w, y + w * 0.9), 0, 180, fill=INK)
    else:
        pen.draw.arc((x - w, y - w * 0.8, x + w, y + w * 0.6), 20, 160, fill=INK, width=width)


def _cheeks(pen: Pen, cx: float, cy: float, u: float, view: View, facing: int) -> None:
    if view != "front":
        return
    blush = (246, 160, 160)
    for x in (cx - 1.35 * u, cx + 1.35 * u):
        pen.draw.ellipse((x - 0.35 * u, cy + 0.45 * u, x + 0.35 * u, cy + 0.8 * u), fill=blush)


def _prop(pen: Pen, look: Look, hand: tuple[float, float], u: float) -> None:
    if not look.props:
        return
    prop = look.props[0]
    x, y = hand
    if "balloon" in prop:
        pen.line([(x, y), (x + 0.4 * u, y - 4.5 * u)], INK, 0.08 * u)
        pen.ellipse(x + 0.4 * u, y - 5.8 * u, 1.1 * u, 1.35 * u, look.accent)
    elif "umbrella" in prop:
        pen.line([(x, y), (x, y - 4 * u)], INK, 0.15 * u)
        pen.draw.chord((x - 2.4 * u, y - 5.6 * u, x + 2.4 * u, y - 2.6 * u), 180, 360, fill=look.accent, outline=pen.outline, width=pen.width)
    elif any(word in prop for word in ("wand", "stick", "sword", "staff")):
        pen.line([(x, y), (x + 1.2 * u, y - 2.4 * u)], (120, 84, 50), 0.2 * u)
        _star(pen, x + 1.3 * u, y - 2.7 * u, 0.6 * u, (255, 214, 80))
    elif any(word in prop for word in ("lantern", "lamp", "torch", "light")):
        pen.line([(x, y), (x, y + 0.6 * u)], INK, 0.1 * u)
        pen.draw.ellipse((x - 1.2 * u, y - 0.4 * u, x + 1.2 * u, y + 2.2 * u), fill=(255, 236, 160))
        pen.rect(x - 0.5 * u, y + 0.5 * u, x + 0.5 * u, y + 1.6 * u, (255, 200, 90), 0.2 * u)
    elif any(word in prop for word in ("book", "map", "letter")):
        pen.rect(x - 0.8 * u, y - 0.5 * u, x + 0.8 * u, y + 0.6 * u, look.accent, 0.1 * u)
    elif "flower" in prop:
        pen.line([(x, y), (x, y - 1.6 * u)], (70, 140, 60), 0.12 * u)
        _flower(pen, x, y - 1.8 * u, 0.5 * u, look.accent)
    else:
        pen.ellipse(x, y, 0.55 * u, 0.55 * u, look.accent)


def _star(pen: Pen, cx: float, cy: float, r: float, fill: RGB) -> None:
    points = []
    for i in range(10):
        angle = -math.pi / 2 + i * math.pi / 5
        radius = r if i % 2 == 0 else r * 0.45
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    pen.draw.polygon(points, fill=fill)


def _flower(pen: Pen, cx: float, cy: float, r: float, petal: RGB) -> None:
    for i in range(5):
        angle = i * 2 * math.pi / 5
        pen.draw.ellipse((cx + r * math.cos(angle) - r * 0.6, cy + r * math.sin(angle) - r * 0.6,
                          cx + r * math.cos(angle) + r * 0.6, cy + r * math.sin(angle) + r * 0.6), fill=petal)
    pen.draw.ellipse((cx - r * 0.45, cy - r * 0.45, cx + r * 0.45, cy + r * 0.45), fill=(255, 220, 90))


# -- body kinds -------------------------------------------------------------------------
def _child(pen: Pen, look: Look, cx: float, base: float, u: float, view: View, facing: int, expression: str, big_head: bool) -> None:
    head_r = 2.1 * u * (1.3 if big_head else 1.0)
    head_y = base - 7.6 * u - (head_r - 2.1 * u) * 0.6
    body_top, body_bottom = base - 5.8 * u, base - 2.7 * u
    side = view == "side"
    half = 1.2 * u if side else 1.6 * u
    # legs
    for dx in ((-0.2 * u, 0.3 * u) if side else (-0.7 * u, 0.7 * u)):
        pen.rect(cx + dx - 0.45 * u, body_bottom - 0.3 * u, cx + dx + 0.45 * u, base - 0.35 * u, look.second, 0.3 * u)
        pen.ellipse(cx + dx + (0.3 * u * facing if side else 0), base - 0.35 * u, 0.65 * u, 0.38 * u, shade(look.second, 0.55))
    if look.hair_style == "long" and view == "back":
        pen.rect(cx - head_r * 0.95, head_y, cx + head_r * 0.95, body_top + 1.8 * u, look.hair, head_r * 0.5)
    cape = [(cx - half * 0.8, body_top), (cx + half * 0.8, body_top), (cx + half * 1.5, body_bottom + 0.3 * u),
            (cx - half * 1.5, body_bottom + 0.3 * u)]
    if look.wears == "cape" and view != "back":
        pen.poly(cape, shade(look.accent, 0.8))
    # body: a dress flares, everything else is a rounded tunic
    if look.wears == "dress":
        pen.poly([(cx - half * 0.7, body_top), (cx + half * 0.7, body_top), (cx + half * 1.5, body_bottom + 0.4 * u),
                  (cx - half * 1.5, body_bottom + 0.4 * u)], look.main)
    else:
        pen.rect(cx - half, body_top, cx + half, body_bottom + 0.2 * u, look.main, 0.8 * u)
        if look.wears == "overalls":
            pen.rect(cx - half * 0.7, body_top + 1.3 * u, cx + half * 0.7, body_bottom + 0.2 * u, look.second, 0.3 * u)
    if look.wears == "cape" and view == "back":
        pen.poly(cape, shade(look.accent, 0.8))
    if look.wears == "scarf":
        pen.rect(cx - half * 1.05, body_top - 0.2 * u, cx + half * 1.05, body_top + 0.6 * u, look.accent, 0.3 * u)
    # arms: one waves when happy or excited
    hand_front = (cx + (half + 0.9 * u) * facing, body_top + 2.6 * u)
    raised = any(word in expression for word in ("excited", "joy", "wave", "laugh", "delight", "proud"))
    arm_end = (hand_front[0] + 0.3 * u * facing, body_top - 1.2 * u) if raised else hand_front
    pen.line([(cx + half * 0.8 * facing, body_top + 0.6 * u), arm_end], shade(look.main, 0.85), 0.8 * u)
    pen.ellipse(arm_end[0], arm_end[1], 0.45 * u, 0.45 * u, look.skin)
    if not side:
        other = (cx - (half + 0.8 * u) * facing, body_top + 2.7 * u)
        pen.line([(cx - half * 0.8 * facing, body_top + 0.6 * u), other], shade(look.main, 0.85), 0.8 * u)
        pen.ellipse(other[0], other[1], 0.45 * u, 0.45 * u, look.skin)
    # head and hair
    pen.ellipse(cx, head_y, head_r, head_r, look.hair if view == "back" and look.hair_style != "bald" else look.skin)
    if view != "back":
        if look.hair_style != "bald":
            pen.draw.chord((cx - head_r * 1.05, head_y - head_r * 1.08, cx + head_r * 1.05, head_y + head_r * 0.5),
                           180 + (20 if view != "front" and facing < 0 else 0), 360 - (20 if view != "front" and facing > 0 else 0),
                           fill=look.hair)
        if look.hair_style == "long":
            for sx in ((-1, 1) if view == "front" else (-facing,)):
                pen.rect(cx + sx * head_r * 0.75 - 0.5 * u, head_y - 0.3 * u, cx + sx * head_r * 0.75 + 0.5 * u, head_y + head_r * 1.2, look.hair, 0.4 * u)
        if look.hair_style == "curly":
            for i in range(7):
                angle = math.pi + i * math.pi / 6
                pen.draw.ellipse((cx + head_r * math.cos(angle) - 0.55 * u, head_y + head_r * math.sin(angle) - 0.55 * u,
                                  cx + head_r * math.cos(angle) + 0.55 * u, head_y + head_r * math.sin(angle) + 0.55 * u), fill=look.hair)
        _cheeks(pen, cx, head_y, u, view, facing)
        _eyes(pen, cx, head_y + 0.2 * u, u, view, facing, expression)
        if look.glasses:
            for x in ((cx - 0.8 * u, cx + 0.8 * u) if view == "front" else (cx + 1.0 * u * facing,)):
                pen.draw.ellipse((x - 0.6 * u, head_y - 0.4 * u, x + 0.6 * u, head_y + 0.8 * u), outline=INK, width=max(2, round(0.12 * u)))
    if look.hair_style == "bun":
        pen.ellipse(cx - (0.4 * u * facing if view != "front" else 0), head_y - head_r - 0.4 * u, 0.9 * u, 0.8 * u, look.hair)
    _hat(pen, look, cx, head_y, head_r, u)
    if not side or facing:
        _prop(pen, look, arm_end, u)


def _hat(pen: Pen, look: Look, cx: float, head_y: float, head_r: float, u: float) -> None:
    top = head_y - head_r
    if look.hat == "crown":
        pen.poly([(cx - 1.3 * u, top + 0.5 * u), (cx - 1.3 * u, top - 1.0 * u), (cx - 0.65 * u, top - 0.2 * u),
                  (cx, top - 1.3 * u), (cx + 0.65 * u, top - 0.2 * u), (cx + 1.3 * u, top - 1.0 * u), (cx + 1.3 * u, top + 0.5 * u)],
                 (246, 196, 60))
    elif look.hat == "cap":
        pen.draw.chord((cx - head_r, top - 0.3 * u, cx + head_r, top + head_r * 1.2), 180, 360, fill=look.accent)
    elif look.hat == "witch":
        pen.poly([(cx - head_r * 1.4, top + 0.6 * u), (cx + head_r * 1.4, top + 0.6 * u), (cx + 0.3 * u, top - 3.5 * u)], look.accent)
    elif look.hat == "bow":
        pen.poly([(cx + 0.6 * u, top + 0.2 * u), (cx + 1.8 * u, top - 0.6 * u), (cx + 1.8 * u, top + 1.0 * u)], look.accent)
        pen.poly([(cx + 0.6 * u, top + 0.2 * u), (cx - 0.6 * u, top - 0.6 * u), (cx - 0.6 * u, top + 1.0 * u)], look.accent)


def _animal(pen: Pen, look: Look, cx: float, base: float, u: float, view: View, facing: int, expression: str, big_head: bool) -> None:
    kind = look.body
    belly = mix(look.main, (255, 250, 240), 0.6)
    side = view in ("side", "three_quarter")
    head_r = 2.2 * u * (1.25 if big_head else 1.0)
    head_x = cx + (1.4 * u * facing if view == "side" else 0.6 * u * facing if view == "three_quarter" else 0)
    head_y = base - 6.4 * u
    # tail behind the body
    tail_dir = -facing if side else 1
    if kind in ("cat", "fox", "dog", "mouse"):
        thick = {"fox": 1.1, "cat": 0.5, "dog": 0.55, "mouse": 0.2}[kind] * u
        tip = (cx + 4.2 * u * tail_dir, base - (5.4 if view == "back" else 4.2) * u)
        pen.line([(cx + 1.5 * u * tail_dir, base - 1.2 * u), (cx + 3.6 * u * tail_dir, base - 2.0 * u), tip], look.main, thick * 2)
        if kind == "fox":
            pen.ellipse(tip[0], tip[1], thick * 1.1, thick * 1.1, (250, 246, 240))
    elif kind in ("bear", "rabbit"):
        pen.ellipse(cx + 2.2 * u * tail_dir, base - 1.6 * u, 0.8 * u, 0.8 * u, belly if kind == "rabbit" else look.main)
    # body
    pen.ellipse(cx, base - 2.7 * u, 2.6 * u if not side else 2.9 * u, 2.7 * u, look.main)
    if view != "back":
        pen.ellipse(cx + 0.5 * u * facing * (1 if side else 0), base - 2.4 * u, 1.5 * u, 1.9 * u, belly)
    for dx in (-1.2 * u, 1.2 * u):
        pen.ellipse(cx + dx + (0.6 * u * facing if side else 0), base - 0.5 * u, 0.9 * u, 0.55 * u, shade(look.main, 0.9))
    # ears
    if kind == "rabbit":
        for dx in (-0.9 * u, 0.9 * u):
            pen.ellipse(head_x + dx, head_y - head_r - 1.6 * u, 0.6 * u, 2.1 * u, look.main)
            if view != "back":
                pen.ellipse(head_x + dx, head_y - head_r - 1.5 * u, 0.3 * u, 1.5 * u, (246, 186, 196))
    elif kind in ("bear", "mouse"):
        ear = 0.8 * u if kind == "bear" else 1.3 * u
        for dx in (-1.5 * u, 1.5 * u):
            pen.ellipse(head_x + dx, head_y - head_r * 0.85, ear, ear, look.main)
            if view != "back":
                pen.ellipse(head_x + dx, head_y - head_r * 0.85, ear * 0.55, ear * 0.55, (240, 190, 190))
    elif kind == "dog":
        for sx in (-1, 1):
            pen.ellipse(head_x + sx * 2.0 * u, head_y + 0.2 * u, 0.8 * u, 1.6 * u, shade(look.main, 0.75))
    else:  # cat, fox: pointed ears
        for sx in (-1, 1):
            ex = head_x + sx * 1.2 * u
            pen.poly([(ex - 0.9 * u, head_y - head_r * 0.6), (ex + 0.9 * u, head_y - head_r * 0.6), (ex + sx * 0.3 * u, head_y - head_r - 1.4 * u)], look.main)
    pen.ellipse(head_x, head_y, head_r, head_r * 0.95, look.main)
    if view == "back":
        return
    # muzzle
    if kind in ("dog", "fox", "bear"):
        mx = head_x + (0.9 * u * facing if side else 0)
        pen.ellipse(mx, head_y + 0.9 * u, 1.1 * u, 0.8 * u, belly)
        pen.ellipse(mx + (0.5 * u * facing if side else 0), head_y + 0.5 * u, 0.38 * u, 0.3 * u, INK)
    else:
        pen.draw.polygon([(head_x - 0.25 * u + (0.9 * u * facing if side else 0), head_y + 0.45 * u),
                          (head_x + 0.25 * u + (0.9 * u * facing if side else 0), head_y + 0.45 * u),
                          (head_x + (0.9 * u * facing if side else 0), head_y + 0.75 * u)], fill=(236, 120, 140))
    if kind in ("cat", "mouse"):
        for sx in (-1, 1):
            for dy in (-0.1, 0.3):
                x0 = head_x + sx * 0.8 * u + (0.9 * u * facing if side else 0)
                pen.line([(x0, head_y + 0.6 * u), (x0 + sx * 1.8 * u, head_y + (0.4 + dy) * u)], INK, 0.07 * u)
    _eyes(pen, head_x - (0.5 * u * facing if view == "side" else 0), head_y - 0.5 * u, u, view, facing, expression)
    _hat(pen, look, head_x, head_y, head_r, u)
    _prop(pen, look, (cx + 2.6 * u * facing, base - 3.0 * u), u)


def _bird(pen: Pen, look: Look, cx: float, base: float, u: float, view: View, facing: int, expression: str, big_head: bool) -> None:
    for dx in (-0.7 * u, 0.7 * u):
        pen.line([(cx + dx, base - 1.0 * u), (cx + dx, base)], (232, 150, 50), 0.3 * u)
    pen.ellipse(cx, base - 4.3 * u, 2.8 * u, 3.5 * u, look.main)
    if view != "back":
        pen.ellipse(cx + (0.6 * u * facing if view != "front" else 0), base - 3.4 * u, 1.8 * u, 2.2 * u, mix(look.main, (255, 255, 255), 0.55))
    wing_x = cx - 1.6 * u * facing if view != "front" else cx - 2.6 * u
    pen.ellipse(wing_x, base - 4.0 * u, 1.1 * u, 2.0 * u, look.second)
    if view == "front":
        pen.ellipse(cx + 2.6 * u, base - 4.0 * u, 1.1 * u, 2.0 * u, look.second)
    if view == "back":
        return
    bx = cx + (0 if view == "front" else 2.0 * u * facing)
    tip = bx + (0 if view == "front" else 1.4 * u * facing)
    pen.poly([(bx - 0.6 * u, base - 5.6 * u), (bx + 0.6 * u, base - 5.6 * u), (tip, base - 4.8 * u)], (246, 170, 40))
    _eyes(pen, cx, base - 6.4 * u, u * 0.9, view, facing, expression.replace("happy", "calm"))
    _hat(pen, look, cx, base - 6.3 * u, 2.4 * u, u)


def _dragon(pen: Pen, look: Look, cx: float, base: float, u: float, view: View, facing: int, expression: str, big_head: bool) -> None:
    f = facing if view != "front" else 1
    # wings and tail behind
    for sx in ((-1, 1) if view in ("front", "back") else (-f,)):
        pen.poly([(cx + sx * 0.8 * u, base - 5.2 * u), (cx + sx * 4.6 * u, base - 8.2 * u), (cx + sx * 4.0 * u, base - 4.4 * u)], look.second)
    pen.poly([(cx - 1.6 * u * f, base - 1.6 * u), (cx - 4.8 * u * f, base - 0.2 * u), (cx - 1.0 * u * f, base - 0.6 * u)], look.main)
    pen.poly([(cx - 4.8 * u * f, base - 0.2 * u), (cx - 5.6 * u * f, base - 1.0 * u), (cx - 5.4 * u * f, base + 0.3 * u)], look.accent)
    pen.ellipse(cx, base - 3.0 * u, 2.8 * u, 3.0 * u, look.main)
    for i in range(4):  # back spikes
        sy = base - 5.6 * u + i * 1.1 * u
        sxp = cx - (1.9 + i * 0.25) * u * f
        pen.poly([(sxp, sy - 0.5 * u), (sxp, sy + 0.5 * u), (sxp - 0.9 * u * f, sy)], look.accent)
    if view != "back":
        pen.ellipse(cx + 0.6 * u * (f if view != "front" else 0), base - 2.6 * u, 1.6 * u, 2.2 * u, mix(look.main, (255, 240, 180), 0.55))
    head_x = cx + (1.6 * u * f if view in ("side", "three_quarter") else 0)
    head_y = base - 7.0 * u
    pen.ellipse(head_x, head_y, 2.1 * u, 1.9 * u, look.main)
    for sx in (-1, 1):
        pen.poly([(head_x + sx * 0.9 * u, head_y - 1.5 * u), (head_x + sx * 1.5 * u, head_y - 1.3 * u), (head_x + sx * 1.5 * u, head_y - 3.0 * u)], look.accent)
    if view == "back":
        return
    if view != "front":
        pen.ellipse(head_x + 1.5 * u * f, head_y + 0.5 * u, 1.3 * u, 0.9 * u, look.main)
    _eyes(pen, head_x, head_y - 0.3 * u, u, view, facing, expression)


def _robot(pen: Pen, look: Look, cx: float, base: float, u: float, view: View, facing: int, expression: str, big_head: bool) -> None:
    metal = look.main
    for dx in (-0.9 * u, 0.9 * u):
        pen.rect(cx + dx - 0.4 * u, base - 2.6 * u, cx + dx + 0.4 * u, base - 0.3 * u, shade(metal, 0.75), 0.1 * u)
        pen.rect(cx + dx - 0.7 * u, base - 0.6 * u, cx + dx + 0.7 * u, base, shade(metal, 0.55), 0.2 * u)
    half = 1.5 * u if view == "side" else 2.1 * u
    pen.rect(cx - half, base - 6.0 * u, cx + half, base - 2.4 * u, metal, 0.5 * u)
    if view != "back":
        pen.rect(cx - 1.0 * u, base - 5.0 * u, cx + 1.0 * u, base - 3.4 * u, look.second, 0.2 * u)
        pen.ellipse(cx - 0.4 * u, base - 4.2 * u, 0.25 * u, 0.25 * u, look.accent)
    for sx in ((-1, 1) if view != "side" else (facing,)):
        pen.rect(cx + sx * half, base - 5.6 * u, cx + sx * (half + 0.7 * u), base - 3.2 * u, shade(metal, 0.85), 0.3 * u)
    hx = cx + (0.4 * u * facing if view == "three_quarter" else 0.7 * u * facing if view == "side" else 0)
    pen.line([(hx, base - 8.6 * u), (hx, base - 9.6 * u)], INK, 0.15 * u)
    pen.ellipse(hx, base - 9.7 * u, 0.35 * u, 0.35 * u, look.accent)
    pen.rect(hx - 1.9 * u, base - 8.8 * u, hx + 1.9 * u, base - 6.0 * u, metal, 0.6 * u)
    if view != "back":
        _eyes(pen, hx, base - 7.7 * u, u, view, facing, expression, glow=look.accent)
        _mouth(pen, hx + (0.6 * u * facing if view != "front" else 0), base - 6.8 * u, u * 0.8, expression)


def _monster(pen: Pen, look: Look, cx: float, base: float, u: float, view: View, facing: int, expression: str, big_head: bool) -> None:
    for sx in (-1, 1):
        pen.poly([(cx + sx * 1.0 * u, base - 7.2 * u), (cx + sx * 1.9 * u, base - 9.3 * u), (cx + sx * 2.2 * u, base - 6.8 * u)], look.accent)
    pen.ellipse(cx, base - 3.8 * u, 3.0 * u, 3.9 * u, look.main)
    rng_spots = [(-1.4, -4.5, 0.5), (1.5, -2.6, 0.6), (0.6, -5.8, 0.35), (-0.9, -1.7, 0.4)]
    for dx, dy, r in rng_spots:
        pen.draw.ellipse((cx + (dx - r) * u, base + (dy - r) * u, cx + (dx + r) * u, base + (dy + r) * u), fill=look.second)
    for dx in (-1.2 * u, 1.2 * u):
        pen.ellipse(cx + dx, base - 0.3 * u, 0.9 * u, 0.45 * u, shade(look.main, 0.7))
    if view != "back":
        pen.ellipse(cx + (0.8 * u * facing if view != "front" else 0), base - 5.2 * u, 1.1 * u, 1.1 * u, (255, 255, 255))
        _eyes(pen, cx + (0.2 * u * facing if view != "front" else 0), base - 5.2 * u, u * 1.1, "side" if view == "side" else "front", facing, expression)


DRAWERS = {
    "child": _child, "cat": _animal, "dog": _animal, "fox": _animal, "bear": _animal, "rabbit": _animal,
    "mouse": _animal, "bird": _bird, "dragon": _dragon, "robot": _robot, "monster": _monster,
}


def draw_figure(
    pen: Pen, look: Look, cx: float, base: float, height: float, *, view: View = "three_quarter", facing: int = 1,
    expression: str = "happy", big_head: bool = False,
) -> None:
    """Draw `look` standing on `base` (y of its feet), `height` tall, centred on `cx`."""
    u = height / 10
    DRAWERS[look.body](pen, look, cx, base, u, view, 1 if facing >= 0 else -1, expression.lower(), big_head)
