"""The drawing steps: art direction mapped onto illustration requests, then one step per bill.

`start_prediction` pays for one picture (its rate limit is the illustrator's own, none offline)
and records the prediction id the moment it exists; `wait_prediction` waits for it to end;
`fetch_prediction` downloads and checks it; `score_picture` is one vision scoring (Claude's
rate limit); `keep_picture` stores the best try. Each is its own memoized step (see
illustrating.py), so a retry never redraws or re-scores what was checkpointed, and a step
re-run after a crash finds its prediction in image_predictions instead of paying again. The
window left is the instant between the provider answering the create call and that row being
committed.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from sqlmodel import select

from bookbug.db import ImagePrediction, session_scope
from bookbug.providers.images import CharacterLook, IllustrationRequest, ReferenceImage, Scene, check_image
from bookbug.providers.images.models import PredictionOutcome
from bookbug.providers.images.models import MAX_REFERENCES, STYLE_IDS
from bookbug.providers.storage import book_key
from bookbug.publishing.images import open_image, prepare_page_image
from bookbug.publishing.screen_sizes import ScreenSize, sized_copy, sized_key
from bookbug.story import Brief, Character, IllustrationBeat, ProsePage, StyleGuide
from bookbug.story.art_direction import COMPOSITION_LEAD, OWNER_WISH_LEAD
from bookbug.resilience.errors import FatalError
from bookbug.safety import with_limits
from bookbug.config import app_config
from bookbug.workflows import providers, records
from bookbug.workflows.providers import book_seed
from bookbug.workflows.values import BookLimits, Candidate, DrawingBudget, Picture, PrintCopy, Quality, Scoring, Sheet, Started

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


def sheet_request(book_id: str, brief: Brief, index: int) -> IllustrationRequest:
    character = main_characters(brief)[index]
    return IllustrationRequest(
        kind="character_sheet", book_id=book_id, page=0, seed=book_seed(book_id) + index,
        characters=[look(character)], style=_style_id(brief), format_name=brief.book_format,  # type: ignore[arg-type]  # _style_id() returns one of STYLE_IDS, the Literal's values
        scene=Scene(setting=brief.setting or ""),
    )


def _readable_wish(note: str) -> str:
    """The note's words the scene is read from (time of day, weather), or "" when the note says
    what not to draw: reading by keyword cannot tell "rain" from "no rain", so it does not try."""
    return "" if _NEGATION.search(note.lower()) else note


def page_request(book_id: str, story: Brief, style: StyleGuide, frame: IllustrationBeat, page: ProsePage,
                 references: list[ReferenceImage], note: str = "") -> IllustrationRequest:
    """What the illustrator is asked to draw for a page; `note` is the owner's wish when it is redone."""
    by_name = {c.name.lower(): c for c in story.characters}
    cast = [look(by_name[c.name.lower()], c.expression, c.pose) for c in frame.characters if c.name.lower() in by_name]
    words = f"{frame.setting_details} {style.lighting} {page.image_concept}"
    wish = _readable_wish(note)
    prompt = " ".join([
        page.image_concept,
        *([f"{OWNER_WISH_LEAD} {note.strip()}."] if note.strip() else []),
        f"{COMPOSITION_LEAD} {frame.composition}.",
        f"Shot: {frame.shot_size}, {frame.camera_angle}.",
        f"Lighting: {style.lighting}. Mood: {style.mood}. Colour: {style.colour_script}.",
        f"Style: {style.art_style.genre}; {style.art_style.medium}; {style.art_style.technique}.",
        # the age band's limits, whatever the style guide (made before they existed, or by a model) says
        f"For children aged {story.age_range or 'under 4'}.",
        "Avoid: " + "; ".join(with_limits(style.avoid, story.age_range.min if story.age_range else None)) + ".",
    ])
    return IllustrationRequest(
        kind="page", book_id=book_id, page=frame.page_number, seed=book_seed(book_id) + 100 + frame.page_number,
        prompt=prompt,
        # the owner's words about the time of day or the weather come before the art direction's
        scene=Scene(time_of_day=_first_word(wish, _TIMES) or _first_word(words, _TIMES) or "morning",
                    sky=_first_word(wish, _WEATHER) or _first_word(words, _WEATHER),
                    setting=story.setting or style.setting,
                    elements=[part.strip() for part in re.split(r",|;| and ", frame.setting_details) if part.strip()][:8]),
        characters=cast, style=_style_id(story),  # type: ignore[arg-type]  # _style_id() returns one of STYLE_IDS, the Literal's values
        shot=frame.shot_size, composition=frame.composition, format_name=story.book_format,
        references=references[:MAX_REFERENCES],
    )


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


def softened(request: IllustrationRequest) -> IllustrationRequest:
    """The request asked again in gentler words (after the model's safety filter refused it)."""
    return request.model_copy(update={"gentle": True})


def book_limits() -> BookLimits:
    """The limits a book is made under, read once per book (operators change them at run time)."""
    config = app_config.current()
    return BookLimits(page_concurrency=config.page_concurrency, pages_per_book=config.pages_per_book,
                      characters_per_book=config.characters_per_book)


def drawing_budget() -> DrawingBudget:
    """How hard a picture is tried, read once per picture (operators change it at run time)."""
    return DrawingBudget(quality_tries=QUALITY_TRIES, redraws=app_config.current().picture_redraws,
                         vision=providers.vision_scorer_name() is not None)


async def start_prediction(book_id: str, purpose: str, request: IllustrationRequest, attempt: int,
                           gentle: bool = False) -> Started:
    """Pay for one picture: attempt `attempt` of `purpose`, with its own seed; returns its id."""
    known = _known_prediction(book_id, purpose, attempt)
    files = providers.storage()
    painter = providers.illustrator(files, book_id)
    if known is not None:  # started before a crash: the same prediction, not a second bill
        return Started(prediction_id=known, provider=painter.name)
    wanted = request.model_copy(update={"seed": request.seed + attempt - 1})
    if gentle:
        wanted = softened(wanted)
    prediction_id = await painter.start(wanted)  # it waits for the service's limits right before paying
    _remember_prediction(book_id, purpose, attempt, painter.name, prediction_id)
    records.add_usage(book_id, {"provider": painter.name, "images": 1})
    return Started(prediction_id=prediction_id, provider=painter.name)


async def wait_prediction(book_id: str, prediction_id: str) -> PredictionOutcome:
    """How the prediction ended (a failure is an answer here, not an error)."""
    painter = providers.illustrator(providers.storage())
    return await painter.wait(prediction_id)


async def fetch_prediction(book_id: str, prediction_id: str, outcome: PredictionOutcome, format_name: str,
                           key: str) -> Candidate:
    """Download a finished picture, store it as a candidate at `key`, and check it offline."""
    files = providers.storage()
    painter = providers.illustrator(files)
    result = await painter.fetch(prediction_id, outcome)
    await asyncio.to_thread(files.put, key, result.png, "image/png")
    report = await asyncio.to_thread(check_image, result.png, format_name)  # Pillow: off the event loop
    return Candidate(key=key, width=result.width, height=result.height, model=result.model,
                     prediction_id=result.prediction_id[:200],
                     quality=Quality(score=report.score, problems=list(report.problems), passed=report.passed))


async def score_picture(book_id: str, key: str, beat: str, sheet_keys: list[str]) -> Scoring:
    """One vision scoring of a candidate (Claude's eye): a bill of its own, on Claude's rate limit."""
    scorer = providers.vision_scorer(book_id)
    if scorer is None:
        return Scoring()
    files = providers.storage()
    png = await asyncio.to_thread(files.get, key)
    sheets = [await asyncio.to_thread(files.get, sheet) for sheet in sheet_keys]
    vision = await scorer.score(png, beat, sheets)  # waits for Claude's limits right before the request
    return Scoring(score=vision.overall, passed=vision.passed, vision=vision.model_dump(mode="json"),
                   problems=[vision.notes] if vision.notes and not vision.passed else [])


def give_up(purpose: str, outcome: PredictionOutcome, tries: int) -> None:
    """No prediction of this picture succeeded: the page fails, saying why in structure."""
    raise FatalError(f"{purpose}: {tries} drawings in a row {outcome.status} ({outcome.error or 'no reason given'})",
                     service=None, kind="content_refused" if outcome.refused else "internal")


def keep_picture(book_id: str, candidates: list[Candidate], key_parts: list[str]) -> Picture:
    """Keep the best candidate as the picture (stored under its final name); drop the others."""
    best = max(candidates, key=lambda c: (c.quality.passed, c.quality.score))
    files = providers.storage()
    key = book_key(book_id, *key_parts)
    if files.exists(best.key):  # a re-run after a crash finds the copy made already
        files.put(key, files.get(best.key), "image/png")
    for candidate in candidates:
        if candidate.key != key:
            files.delete(candidate.key)
    return Picture(key=key, width=best.width, height=best.height, model=best.model, prediction_id=best.prediction_id,
                   quality=best.quality.model_copy(update={"attempt": best.attempt}), attempts=len(candidates))


def candidate_key(book_id: str, key_parts: list[str], attempt: int) -> str:
    *folders, name = key_parts
    stem = name.rsplit(".", 1)[0]
    return book_key(book_id, *folders, f"{stem}.try-{attempt}.png")


def beat_words(request: IllustrationRequest) -> str:
    cast = "; ".join(f"{c.name} ({c.expression}, {c.pose})" for c in request.characters)
    return f"{request.prompt} Characters: {cast or 'none'}. Setting: {request.scene.setting}."


def sheet_keys(request: IllustrationRequest) -> list[str]:
    return [r.key for r in request.references if r.key and r.label.startswith("character sheet")]


def record_sheet(book_id: str, brief: Brief, index: int, drawn: Picture) -> Sheet:
    character = main_characters(brief)[index]
    records.set_character_sheet(book_id, index, {"name": character.name, "sheet_key": drawn.key})
    return Sheet(name=character.name, **dict(drawn))


def describe_picture(wanted: IllustrationRequest) -> str:
    """What a page's picture shows, in words, from its art direction (the e-book's alt text)."""
    who = [f"{c.name}, {c.expression}, {c.pose}" for c in wanted.characters if c.name]
    where = wanted.scene.setting.strip()
    details = ", ".join(wanted.scene.elements[:4])
    words = "; ".join(who) if who else "A scene"
    if where:
        words += f", in {where}" if who else f" in {where}"
    if details:
        words += f" ({details})"
    if wanted.scene.time_of_day:
        words += f", {wanted.scene.time_of_day}"
    return (words.strip() + ".")[:600]


def record_page(book_id: str, request: IllustrationRequest, text: str, drawn: Picture) -> Picture:
    records.save_page(book_id, request.page, key=drawn.key, text=text, prompt=request.prompt,
                      meta={**drawn.model_dump(mode="json", exclude_none=True), "alt": describe_picture(request)})
    return drawn


def print_copy(book_id: str, number: int, drawn: Picture, format_name: str, redo: int = 0) -> dict[str, Any]:
    """Store the picture made print-ready (a 300 dpi JPEG) and its screen copies; returns the print
    copy's key and how it was made."""
    files = providers.storage()
    original = files.get(drawn.key)
    prepared = prepare_page_image(original, format_name)
    # the gallery's and the reader's copies, made now rather than on the first view (the API
    # still makes one on request for a picture drawn before this)
    picture = open_image(original)  # decoded once for both copies
    for size in ScreenSize:
        files.put(sized_key(drawn.key, size), sized_copy(picture, size), "image/jpeg")
    suffix = f"-v{redo + 1}" if redo else ""
    print_key = book_key(book_id, "pages", f"{number:03d}{suffix}.print.jpg")
    files.put(print_key, prepared.jpeg, "image/jpeg")
    return {"print_key": print_key, "print": prepared.metadata()}


def prepare_print(book_id: str, number: int, drawn: Picture, format_name: str) -> PrintCopy:
    """The page made print-ready now, while other pages are still drawn, so assembling the book
    only embeds files. A step of its own, outside the picture concurrency slot."""
    made = print_copy(book_id, number, drawn, format_name)
    records.merge_page_meta(book_id, number, made)
    return PrintCopy(print_key=made["print_key"])
