"""The offline illustrator: a deterministic Pillow painter, no network, no token.

Size: it paints at 40 % of the print size (`bleed_px * OUTPUT_SCALE`, 1050 x 1050 px for
square-large), about what image models return, and publishing upscales to 300 dpi with
LANCZOS exactly as it does for Replicate's pictures. That keeps a page well under a second
and exercises the same upscaling path as production.

Shapes are drawn at twice the output size on transparent layers (far scenery, near
scenery, characters, foreground) and reduced 2:1, which anti-aliases every edge; layers
can cast drop shadows (cut paper, clay, diorama) before the preset's texture is applied.

Prediction ids: there is nothing to pay for, so the id simply carries the request
(compressed, references left out: the painter does not read them). `finish(id)` on any
worker, after any restart, draws the same picture.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import random
import zlib

from PIL import Image, ImageDraw

from bookbug.providers.images.models import PredictionOutcome, CharacterLook, IllustrationRequest, IllustrationResult
from bookbug.providers.images.offline.colours import PRESET_PALETTES, RGB, palette_for, parse_colour, seeded, shade
from bookbug.providers.images.offline.figures import Pen, View, draw_figure
from bookbug.providers.images.offline.looks import Look, look_for
from bookbug.providers.images.offline.scenery import (
    INDOOR_WORDS, Stage, mentions, paint_ground, paint_indoor, paint_sky, paint_weather, things_in_view, time_of_day,
)
from bookbug.providers.images.offline.textures import FINISHES, drop_shadow, finish
from bookbug.resilience.errors import FatalError
from bookbug.story.formats import get_format

OUTPUT_SCALE = 0.4
SUPERSAMPLE = 2
ID_PREFIX = "offline-v1-"
MODEL = "bookbug/offline-illustrator"

HORIZON = {"wide": 0.56, "medium": 0.6, "close": 0.66}
FIGURE_HEIGHT = {"wide": 0.26, "medium": 0.36, "close": 0.5}


def output_size(format_name: str) -> tuple[int, int]:
    width, height = get_format(format_name).bleed_px
    return round(width * OUTPUT_SCALE), round(height * OUTPUT_SCALE)


def _shot(words: str) -> str:
    if any(word in words for word in ("close", "portrait", "tight")):
        return "close"
    if any(word in words for word in ("wide", "establishing", "long shot", "panorama", "far")):
        return "wide"
    return "medium"


def _view_for(pose: str) -> View:
    pose = pose.lower()
    if any(word in pose for word in ("back", "away", "from behind")):
        return "back"
    if any(word in pose for word in ("side", "run", "walk", "profile", "fly", "jump")):
        return "side"
    if any(word in pose for word in ("front", "facing us", "toward", "towards", "wave")):
        return "front"
    return "three_quarter"


class OfflineIllustrator:
    name = "offline"
    service = None  # paints here: no outside service, no rate limit

    async def start(self, request: IllustrationRequest) -> str:
        payload = request.model_dump_json(exclude={"references"}).encode()
        return ID_PREFIX + base64.urlsafe_b64encode(zlib.compress(payload, 9)).decode("ascii")

    async def wait(self, prediction_id: str) -> PredictionOutcome:
        decode_prediction_id(prediction_id)  # a malformed id fails here, as a lost prediction would
        return PredictionOutcome(status="succeeded", output=[prediction_id], model=MODEL)

    async def fetch(self, prediction_id: str, outcome: PredictionOutcome) -> IllustrationResult:
        return await self.finish(prediction_id)

    async def finish(self, prediction_id: str) -> IllustrationResult:
        request = decode_prediction_id(prediction_id)
        # half a second of CPU: in a thread, so the worker's event loop keeps serving other runs
        png, width, height = await asyncio.to_thread(_paint_png, request)
        return IllustrationResult(
            png=png, width=width, height=height, model=MODEL,
            # the id itself is the whole request; a short digest is enough to name the picture
            prediction_id="offline-" + hashlib.sha256(prediction_id.encode()).hexdigest()[:20],
            metadata={"provider": self.name, "style": request.style, "kind": request.kind, "page": request.page},
        )


def _paint_png(request: IllustrationRequest) -> tuple[bytes, int, int]:
    image = paint(request)
    buffer = io.BytesIO()
    # level 1: textured paintings barely compress further, and level 4+ doubles the time
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue(), image.width, image.height


def decode_prediction_id(prediction_id: str) -> IllustrationRequest:
    if not prediction_id.startswith(ID_PREFIX):
        raise FatalError(f"{prediction_id[:40]!r} is not an offline illustrator id", service="offline")
    try:
        payload = zlib.decompress(base64.urlsafe_b64decode(prediction_id[len(ID_PREFIX):]))
        return IllustrationRequest.model_validate_json(payload)
    except Exception as exc:  # noqa: BLE001 - corrupt ids come in many shapes
        raise FatalError(f"the offline illustrator id is damaged: {exc}", service="offline") from exc


def paint(request: IllustrationRequest) -> Image.Image:
    if request.kind == "character_sheet":
        return _paint_sheet(request)
    return _paint_scene(request)


def _layer(size: tuple[int, int]) -> Image.Image:
    return Image.new("RGBA", (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE), (0, 0, 0, 0))


def _reduce(layer: Image.Image) -> Image.Image:
    """Shrink a supersampled layer to output size, converting only the part that holds shapes."""
    small = Image.new("RGBA", (layer.width // SUPERSAMPLE, layer.height // SUPERSAMPLE), (0, 0, 0, 0))
    box = layer.getbbox()
    if box is None:
        return small
    left, top = (box[0] // SUPERSAMPLE) * SUPERSAMPLE, (box[1] // SUPERSAMPLE) * SUPERSAMPLE
    right = min(layer.width, -(-box[2] // SUPERSAMPLE) * SUPERSAMPLE)
    bottom = min(layer.height, -(-box[3] // SUPERSAMPLE) * SUPERSAMPLE)
    # premultiplied alpha, so transparent pixels do not darken the anti-aliased edges
    part = layer.crop((left, top, right, bottom)).convert("RGBa").reduce(SUPERSAMPLE).convert("RGBA")
    small.paste(part, (left // SUPERSAMPLE, top // SUPERSAMPLE))
    return small


def _pen(layer: Image.Image, style: str) -> Pen:
    spec = FINISHES[style]
    width = max(1, round(spec.outline_weight * layer.width)) if spec.outline else 0
    return Pen(ImageDraw.Draw(layer), spec.outline, width)


def _stack(base: Image.Image, layers: list[Image.Image], style: str) -> Image.Image:
    spec = FINISHES[style]
    canvas = base.convert("RGBA")
    for layer in layers:
        small = _reduce(layer)
        if spec.shadow:
            canvas.alpha_composite(drop_shadow(small, spec.shadow, max(2, canvas.width // 180), canvas.width / 250))
        canvas.alpha_composite(small)
    return canvas.convert("RGB")


def _paint_scene(request: IllustrationRequest) -> Image.Image:
    size = output_size(request.format_name)
    rng = seeded("page", request.book_id, request.kind, request.page, request.seed)
    scene = request.scene
    place_words = " ".join([scene.setting, scene.ground, *scene.elements]).lower()
    when = time_of_day(f"{scene.time_of_day} {scene.sky}".lower())
    weather = scene.sky.lower()
    shot = "wide" if request.kind == "cover" else _shot(f"{request.shot} {request.composition}".lower())
    indoor = any(mentions(place_words, word) for word in INDOOR_WORDS)
    night = when in ("night", "dusk")
    palette = palette_for(request.style, request.palette)

    big = (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE)
    stage = Stage(size[0], size[1], size[1] * HORIZON[shot], rng, palette, indoor)
    background = paint_indoor(stage, when) if indoor else paint_sky(stage, when, weather)

    big_stage = Stage(big[0], big[1], big[1] * HORIZON[shot], rng, palette, indoor)
    far, ground, figures, front = _layer(size), _layer(size), _layer(size), _layer(size)
    things = things_in_view(place_words, indoor)
    far_pen, ground_pen, front_pen = _pen(far, request.style), _pen(ground, request.style), _pen(front, request.style)
    for painter, depth, scale, count in things:
        if depth == "far":
            for i in range(count):
                x = big[0] * ((i + 0.5) / count + rng.uniform(-0.12, 0.12))
                painter(far_pen, big_stage, x, big_stage.horizon + big[1] * 0.01, big[1] * scale * rng.uniform(0.8, 1.1), night)
    ground_kind = paint_ground(big_stage, ground_pen.draw, place_words, when)

    placements = _placements(request, rng)
    for painter, depth, scale, count in things:
        if depth == "near":
            for i in range(count):
                x = big[0] * ((i + 0.5) / count + rng.uniform(-0.1, 0.1))
                depth_t = rng.uniform(0.0, 0.12)
                y = big_stage.horizon + (big[1] - big_stage.horizon) * depth_t
                painter(ground_pen, big_stage, x, y, big[1] * scale * (0.75 + depth_t * 2), night)
        elif depth == "front":
            for _ in range(count):
                x = big[0] * rng.choice((rng.uniform(0.02, 0.2), rng.uniform(0.8, 0.98)))
                y = big[1] * rng.uniform(0.9, 0.99)
                painter(front_pen, big_stage, x, y, big[1] * scale, night)

    figure_pen = _pen(figures, request.style)
    # feet above the bottom fifth, where publishing lays the story text
    base_y = big_stage.horizon + (big[1] - big_stage.horizon) * (0.42 if shot != "close" else 0.6)
    if shot != "close":
        base_y = min(base_y, big[1] * 0.7)
    for look, character, x_frac, facing, scale in placements:
        height = big[1] * FIGURE_HEIGHT[shot] * look.size * scale
        cx = big[0] * x_frac
        shadow = (0, 0, 0, 60) if ground_kind != "water" else (20, 40, 90, 60)
        figure_pen.draw.ellipse((cx - height * 0.28, base_y - height * 0.03, cx + height * 0.28, base_y + height * 0.03), fill=shadow)
        draw_figure(figure_pen, look, cx, base_y, height, view=_view_for(character.pose), facing=facing,
                    expression=character.expression, big_head=FINISHES[request.style].big_heads)
    image = _stack(background, [far, ground, figures, front], request.style)
    paint_weather(image, weather, rng)
    return finish(image, request.style, rng)


def _placements(request: IllustrationRequest, rng: random.Random) -> list[tuple[Look, CharacterLook, float, int, float]]:
    characters = request.characters[:5]
    slots = {1: [0.5], 2: [0.38, 0.66], 3: [0.5, 0.24, 0.76], 4: [0.4, 0.64, 0.18, 0.84], 5: [0.5, 0.3, 0.7, 0.12, 0.88]}
    placements: list[tuple[Look, CharacterLook, float, int, float]] = []
    for rank, character in enumerate(characters):
        x = slots[len(characters)][rank] + rng.uniform(-0.03, 0.03)
        facing = 1 if x < 0.5 else -1
        if len(characters) == 1:
            facing = rng.choice((1, -1))
        scale = 1.0 if rank == 0 else 0.86
        if request.kind == "cover" and rank == 0:
            scale = 1.25
        placements.append((look_for(character), character, x, facing, scale))
    # the most important character is drawn last, so it is never hidden behind another
    return list(reversed(placements))


def _paint_sheet(request: IllustrationRequest) -> Image.Image:
    size = output_size(request.format_name)
    rng = seeded("sheet", request.book_id, request.characters[0].name, request.seed)
    paper: RGB = parse_colour(PRESET_PALETTES[request.style][0]) or (250, 248, 244)
    background = Image.new("RGB", size, paper)
    character = request.characters[0]
    look = look_for(character)
    layer = _layer(size)
    pen = _pen(layer, request.style)
    big_w, big_h = layer.size
    wide_body = look.body in ("dragon", "monster", "cat", "dog", "fox", "bear", "rabbit", "mouse", "bird")
    height = min(big_h * 0.62, big_w * 0.25 * (1.0 if wide_body else 1.45))
    base = big_h * 0.8
    for i, view in enumerate(("front", "three_quarter", "side", "back")):
        cx = big_w * (i + 0.5) / 4
        pen.draw.ellipse((cx - height * 0.3, base - height * 0.035, cx + height * 0.3, base + height * 0.035), fill=(*shade(paper, 0.85), 255))
        draw_figure(pen, look, cx, base, height, view=view, facing=1, expression="happy",
                    big_head=FINISHES[request.style].big_heads)
    image = _stack(background, [layer], request.style)
    return finish(image, request.style, rng)
