"""The drawing steps: art direction mapped onto illustration requests, drawn, checked and stored.

A picture is paid for once: the provider's prediction id is written to image_predictions the
moment it exists, so a step re-run after a crash resumes that prediction (`finish`) instead
of starting a new one. The window left is the instant between the provider answering the
create call and that row being committed.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from sqlmodel import select

from bookbug.db import ImagePrediction, session_scope
from bookbug.providers.images import CharacterLook, IllustrationRequest, ReferenceImage, Scene, check_image
from bookbug.providers.images.models import MAX_REFERENCES, STYLE_IDS
from bookbug.providers.storage import book_key
from bookbug.publishing.images import prepare_page_image
from bookbug.story import Brief, Character, IllustrationBeat, StyleGuide
from bookbug.workflows import records
from bookbug.workflows import providers
from bookbug.workflows.providers import book_seed

QUALITY_TRIES = 3  # the first picture and up to two regenerations, keeping the best

_TIMES = ("dawn", "sunrise", "morning", "midday", "noon", "afternoon", "sunset", "dusk", "evening", "night", "midnight")
_WEATHER = ("rain", "snow", "storm", "cloud", "rainbow", "stars", "fog", "mist", "wind", "sunny", "clear")
_NEGATION = re.compile(r"\b(no|not|without|less|never|instead|remove|stop)\b|n't\b")


def _first_word(text: str, words: tuple[str, ...]) -> str:
    lowered = text.lower()
    for word in words:
        if re.search(rf"\b{word}", lowered):
            return word
    return ""


def _style_id(brief: Brief) -> str:
    style = brief.art_style
    if style is not None and style.preset in STYLE_IDS:
        return style.preset
    medium = f"{style.medium} {style.technique} {style.label}".lower() if style else ""
    for style_id in STYLE_IDS:  # an invented style drawn offline: the nearest preset by its words
        if style_id.replace("-", " ").split()[0] in medium:
            return style_id
    return "watercolor"


def look(character: Character, expression: str = "happy", pose: str = "standing") -> CharacterLook:
    visual = character.visual
    return CharacterLook(name=character.name, body=visual.body or character.role, colours=visual.colours,
                         clothing=visual.clothing, props=visual.props, description=character.description,
                         expression=expression, pose=pose)


def main_characters(brief: Brief) -> list[Character]:
    """Characters who get a sheet: all of them, hero first (a picture book has only a few)."""
    hero = brief.hero
    others = [c for c in brief.characters if c is not hero]
    return ([hero] if hero else []) + others


def sheet_request(book_id: str, brief: dict[str, Any], index: int) -> dict[str, Any]:
    story = Brief.model_validate(brief)
    character = main_characters(story)[index]
    return IllustrationRequest(
        kind="character_sheet", book_id=book_id, page=0, seed=book_seed(book_id) + index,
        characters=[look(character)], style=_style_id(story), format_name=story.book_format,  # type: ignore[arg-type]
        scene=Scene(setting=story.setting or ""),
    ).model_dump(mode="json")


def _readable_wish(note: str) -> str:
    """The note's words the scene is read from (time of day, weather), or "" when the note says
    what not to draw: reading by keyword cannot tell "rain" from "no rain", so it does not try."""
    return "" if _NEGATION.search(note.lower()) else note


def page_request(book_id: str, brief: dict[str, Any], guide: dict[str, Any], beat: dict[str, Any],
                 page: dict[str, Any], references: list[dict[str, str]], note: str = "") -> dict[str, Any]:
    """What the illustrator is asked to draw for a page; `note` is the owner's wish when it is redone."""
    story = Brief.model_validate(brief)
    style = StyleGuide.model_validate(guide)
    frame = IllustrationBeat.model_validate(beat)
    by_name = {c.name.lower(): c for c in story.characters}
    cast = [look(by_name[c.name.lower()], c.expression, c.pose) for c in frame.characters if c.name.lower() in by_name]
    words = f"{frame.setting_details} {style.lighting} {page.get('image_concept', '')}"
    wish = _readable_wish(note)
    prompt = " ".join([
        str(page.get("image_concept", "")),
        *([f"The book's owner asks for this picture: {note.strip()}."] if note.strip() else []),
        f"Composition: {frame.composition}.",
        f"Shot: {frame.shot_size}, {frame.camera_angle}.",
        f"Lighting: {style.lighting}. Mood: {style.mood}. Colour: {style.colour_script}.",
        f"Style: {style.art_style.genre}; {style.art_style.medium}; {style.art_style.technique}.",
        "Avoid: " + "; ".join(style.avoid) + ".",
    ])
    return IllustrationRequest(
        kind="page", book_id=book_id, page=frame.page_number, seed=book_seed(book_id) + 100 + frame.page_number,
        prompt=prompt,
        # the owner's words about the time of day or the weather come before the art direction's
        scene=Scene(time_of_day=_first_word(wish, _TIMES) or _first_word(words, _TIMES) or "morning",
                    sky=_first_word(wish, _WEATHER) or _first_word(words, _WEATHER),
                    setting=story.setting or style.setting,
                    elements=[part.strip() for part in re.split(r",|;| and ", frame.setting_details) if part.strip()][:8]),
        characters=cast, style=_style_id(story),  # type: ignore[arg-type]
        shot=frame.shot_size, composition=frame.composition, format_name=story.book_format,
        references=[ReferenceImage(label=r["label"], key=r["key"]) for r in references[:MAX_REFERENCES]],
    ).model_dump(mode="json")


def _known_prediction(book_id: str, purpose: str, attempt: int) -> str | None:
    with session_scope() as session:
        row = session.exec(select(ImagePrediction).where(
            ImagePrediction.book_id == book_id, ImagePrediction.purpose == purpose,
            ImagePrediction.attempt == attempt)).first()
        return row.prediction_id if row else None


def _remember_prediction(book_id: str, purpose: str, attempt: int, provider: str, prediction_id: str) -> None:
    with session_scope() as session:
        session.add(ImagePrediction(book_id=book_id, purpose=purpose, attempt=attempt, provider=provider,
                                    prediction_id=prediction_id))


async def _judge(png: bytes, format_name: str, scorer: Any, beat: str, sheets: list[bytes]) -> dict[str, Any]:
    """The offline image check, and the vision model's scores where one is configured."""
    report = await asyncio.to_thread(check_image, png, format_name)  # Pillow: off the event loop
    quality: dict[str, Any] = {"score": report.score, "problems": list(report.problems), "passed": report.passed}
    if scorer is not None and report.passed:
        vision = await scorer.score(png, beat, sheets)
        quality.update(score=vision.overall, passed=vision.passed, vision=vision.model_dump(mode="json"))
        if vision.notes and not vision.passed:
            quality["problems"].append(vision.notes)
    return quality


def _beat_words(request: IllustrationRequest) -> str:
    cast = "; ".join(f"{c.name} ({c.expression}, {c.pose})" for c in request.characters)
    return f"{request.prompt} Characters: {cast or 'none'}. Setting: {request.scene.setting}."


async def draw(book_id: str, purpose: str, request: dict[str, Any], key_parts: tuple[str, ...],
               first_attempt: int = 1) -> dict[str, Any]:
    """Draw (or resume drawing) one picture, check it, store the best try; returns its record.

    Up to QUALITY_TRIES pictures are drawn while the check fails (Claude's vision scores
    where configured, 0-100, passing at 70; offline, the image check); the best is kept.
    """
    files = providers.storage()
    painter = providers.illustrator(files)
    wanted = IllustrationRequest.model_validate(request)
    scorer = providers.vision_scorer() if wanted.kind == "page" else None
    # storage calls block (boto3): off the event loop, which other steps and branches share
    sheets = [await asyncio.to_thread(files.get, r.key) for r in wanted.references
              if r.key and r.label.startswith("character sheet")]
    best: tuple[int, Any, dict[str, Any]] | None = None
    for attempt in range(first_attempt, first_attempt + QUALITY_TRIES):
        prediction_id = _known_prediction(book_id, purpose, attempt)
        if prediction_id is None:
            prediction_id = await painter.start(wanted.model_copy(update={"seed": wanted.seed + attempt - 1}))
            _remember_prediction(book_id, purpose, attempt, painter.name, prediction_id)
        result = await painter.finish(prediction_id)
        records.add_usage(book_id, {"provider": painter.name, "images": 1,
                                    "cost_usd": float(result.metadata.get("cost_usd", 0.0) or 0.0)})
        quality = {**await _judge(result.png, wanted.format_name, scorer, _beat_words(wanted), sheets),
                   "attempt": attempt}
        if best is None or quality["score"] > best[0]:
            best = (quality["score"], result, quality)
        if quality["passed"]:
            break
    assert best is not None
    _, result, quality = best
    key = book_key(book_id, *key_parts)
    await asyncio.to_thread(files.put, key, result.png, "image/png")
    return {"key": key, "width": result.width, "height": result.height, "model": result.model,
            "prediction_id": result.prediction_id[:200], "quality": quality, "attempts": quality["attempt"]}


async def draw_sheet(book_id: str, brief: dict[str, Any], index: int) -> dict[str, Any]:
    character = main_characters(Brief.model_validate(brief))[index]
    drawn = await draw(book_id, f"sheet-{index}", sheet_request(book_id, brief, index),
                       ("characters", f"{index:02d}.png"))
    book = records.load_book(book_id)
    sheets = list(book.characters or [])
    while len(sheets) <= index:
        sheets.append({})
    sheets[index] = {"name": character.name, "sheet_key": drawn["key"]}
    records.update_book(book_id, characters=sheets)
    return {"name": character.name, **drawn}


async def draw_page(book_id: str, request: dict[str, Any], text: str, redo: int = 0) -> dict[str, Any]:
    """Draw a page: the first time (`redo` 0, recorded as the page) or for redo number `redo`, whose
    attempts and file are its own (redo numbers never repeat for a page), so a redo never reuses
    an earlier redo's prediction or picture; the caller records a redone version."""
    number = int(request["page"])
    suffix = f"-v{redo + 1}" if redo else ""
    drawn = await draw(book_id, f"page-{number}", request, ("pages", f"{number:03d}{suffix}.png"),
                       first_attempt=1 + redo * QUALITY_TRIES)
    if not redo:
        records.save_page(book_id, number, key=drawn["key"], text=text, prompt=str(request.get("prompt", "")),
                          meta=drawn)
    return drawn


def print_copy(book_id: str, number: int, drawn: dict[str, Any], format_name: str, redo: int = 0) -> dict[str, Any]:
    """Store the picture made print-ready (a 300 dpi JPEG); returns its key and how it was made."""
    files = providers.storage()
    prepared = prepare_page_image(files.get(drawn["key"]), format_name)
    suffix = f"-v{redo + 1}" if redo else ""
    print_key = book_key(book_id, "pages", f"{number:03d}{suffix}.print.jpg")
    files.put(print_key, prepared.jpeg, "image/jpeg")
    return {"print_key": print_key, "print": prepared.metadata()}


def prepare_print(book_id: str, number: int, drawn: dict[str, Any], format_name: str) -> dict[str, Any]:
    """The page made print-ready now, while other pages are still drawn, so assembling the book
    only embeds files. A step of its own, outside the picture concurrency slot."""
    made = print_copy(book_id, number, drawn, format_name)
    records.merge_page_meta(book_id, number, made)
    return {"print_key": made["print_key"]}
