"""The book workflows hand each other typed values: each round-trips through the step codec, a
run checkpointed by code from before (plain dicts) replays, the book still overlaps as far as its
inputs allow, and no workflow body reads the database or the operators' config outside a step."""

from __future__ import annotations

import asyncio
import traceback
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlmodel import select

from bookbug.agents import PageReview
from bookbug.config import app_config
from bookbug.db import session_scope
from bookbug.engine import RunStatus, current_step, latest_run, run_steps
from bookbug.engine.codec import decode, encode
from bookbug.engine.results import as_declared
from bookbug.engine.tables import Step
from bookbug.providers.images import IllustrationRequest, ReferenceImage
from bookbug.providers.images.models import PredictionOutcome
from bookbug.services import books, page_edits
from bookbug.settings import get_settings
from bookbug.workflows import assembly, drawing, erasing, narration, packing, pages, providers, records, writing
from bookbug.workflows import values
from tests.conftest import make_user
from tests.workflows.conversation import answer_intake, wait_for_status, wait_until

_STEP_MODULES = (writing, drawing, narration, assembly, records, pages)


def _old_shape(value: Any) -> Any:
    """A stored result as the code before typed steps stored it: plain data, no model tags, and
    no key for an empty optional field."""
    if isinstance(value, list):
        return [_old_shape(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {"__pydantic_model__", "data"}:
            return _old_shape(value["data"])
        return {k: _old_shape(v) for k, v in value.items() if v is not None}
    return value


def _step_functions() -> dict[str, Any]:
    """Step functions by the name a step row records (names two modules share are left out)."""
    found: dict[str, list[Any]] = {}
    for module in _STEP_MODULES:
        for name, fn in vars(module).items():
            if callable(fn) and getattr(fn, "__module__", None) == module.__name__:
                found.setdefault(name, []).append(fn)
    return {name: fns[0] for name, fns in found.items() if len(fns) == 1}


async def _book(user_id: str, pages: int = 8) -> str:
    summary = await books.create_book(user_id, page_count=pages)
    await answer_intake(user_id, summary.id)
    await books.approve(user_id, summary.id)
    book = await wait_for_status(user_id, summary.id)
    assert book.status == "complete", book.error
    # the book is complete inside the run's last step: wait for the run to record that step too
    await wait_until(lambda: (run := latest_run(get_settings().db_url, summary.id, "create-book")) is not None
                     and run.status == RunStatus.completed, what="the run to finish")
    return summary.id


def test_every_value_the_book_steps_hand_each_other_round_trips_through_the_step_codec() -> None:
    quality = values.Quality(score=0.9, passed=True, problems=["dim"], vision={"overall": 90}, attempt=2)
    picture = values.Picture(key="k.png", width=8, height=8, model="m", prediction_id="p", quality=quality, attempts=2)
    for value in [
        values.BookLimits(page_concurrency=2, pages_per_book=24, characters_per_book=3),
        values.DrawingBudget(quality_tries=3, redraws=2, vision=False),
        values.Started(prediction_id="p", provider="offline"),
        values.Candidate(key="c.png", width=8, height=8, model="m", prediction_id="p", quality=quality, attempt=1),
        values.Scoring(), values.Scoring(score=0.5, passed=False, problems=["blurry"]), picture,
        values.Sheet(name="Mia", **dict(picture)), values.PrintCopy(print_key="p.jpg"),
        values.RedonePicture(**dict(picture), print_key="p.jpg", print={"dpi": 300}, alt="Mia.", version=2),
        values.Settled(version=2, discard=["a"]), values.EditApplied(page=1, edit=1, text="Hi."),
        values.NarrationPlan(provider=None, why="off"), values.NarrationPlan(provider="espeak", redraws=3),
        values.Narration(key="a.mp3", text="Hi.", duration=1.5, provider="espeak", voice="en", timing="measured"),
        values.BookFiles(pdf_key="b.pdf", screen_pdf_key="s.pdf", pdf_pages=12, pdf_bytes=100),
        values.Epub(epub_key="b.epub", epub_bytes=100, narrated=True),
        PredictionOutcome(status="failed", error="nsfw", refused=True),
        PageReview(suitable=True),
        IllustrationRequest(kind="page", book_id="b", page=2, references=[ReferenceImage(label="hero page", key="k")]),
        ReferenceImage(label="hero page", key="k"),
    ]:
        assert decode(encode(value)) == value, type(value).__name__
        assert type(decode(encode(value))) is type(value)


async def test_a_book_checkpointed_before_steps_returned_models_replays_to_the_end(book_backend) -> None:
    """Stop a book at its plot review, turn every stored result into the dict the old code stored,
    and approve: the replay reads the old results as the new values and the book completes."""
    user = make_user()
    summary = await books.create_book(user.id, page_count=8)
    await answer_intake(user.id, summary.id)
    db_url = get_settings().db_url
    run = latest_run(db_url, summary.id, "create-book")
    assert run is not None
    with session_scope() as session:
        rows = session.exec(select(Step).where(Step.run_id == run.id, Step.status == "completed",
                                               Step.kind == "run")).all()
        assert {r.step_key for r in rows} >= {"start-intake", "intake-turn-0", "propose-plot"}
        for row in rows:
            row.output = _old_shape(row.output)
            assert "__pydantic_model__" not in str(row.output)
            session.add(row)
    await books.approve(user.id, summary.id)
    book = await wait_for_status(user.id, summary.id)
    assert book.status == "complete", book.error
    assert len(book.pages) == 8


async def test_every_result_a_book_stores_replays_the_same_from_the_shape_old_code_stored(book_backend) -> None:
    user = make_user()
    book_id = await _book(user.id)
    run = latest_run(get_settings().db_url, book_id, "create-book")
    assert run is not None
    functions = _step_functions()
    with session_scope() as session:
        rows = session.exec(select(Step).where(Step.run_id == run.id, Step.status == "completed",
                                               Step.kind == "run")).all()
        stored = [(r.step_key, r.fn, r.output) for r in rows]
    checked = set()
    for key, fn_name, output in stored:
        fn = functions.get(fn_name or "")
        if fn is None:
            continue
        now = as_declared(fn, decode(output), key)
        before = as_declared(fn, _old_shape(output), key)
        assert before == now, key
        if isinstance(now, BaseModel):
            checked.add(type(now).__name__)
    assert {"Brief", "IntakeReply", "PlotOffer", "BookLimits", "ProseSetup", "ProsePage", "PageReview", "StyleGuide",
            "IllustrationBeat", "DrawingBudget", "Started", "PredictionOutcome", "Candidate", "Picture", "Sheet",
            "PrintCopy", "NarrationPlan", "BookFiles", "Epub"} <= checked


async def test_pages_are_drawn_while_later_pages_are_still_being_written(book_backend, monkeypatch) -> None:
    """What the book's dataflow is for: sheets are drawn from the brief alone, and a page's picture
    as soon as its words and the style guide exist, while the writer is still on later pages."""
    offline = providers.text_provider

    class SlowWriter:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        async def generate(self, agent: Any, input: Any) -> Any:
            await asyncio.sleep(0.3)
            return await self.inner.generate(agent, input)

    user = make_user()
    summary = await books.create_book(user.id, page_count=8)
    await answer_intake(user.id, summary.id)
    monkeypatch.setattr(providers, "text_provider", lambda book_id: SlowWriter(offline(book_id)))
    await books.approve(user.id, summary.id)
    book = await wait_for_status(user.id, summary.id)
    assert book.status == "complete", book.error
    db_url = get_settings().db_url
    run = latest_run(db_url, summary.id, "create-book")
    assert run is not None
    steps = {s.step_id: s for s in run_steps(db_url, run.id)}
    last_words = steps["book[prose]/prose-8"]
    assert steps["book[page-1]/picture-keep"].finished_at <= last_words.started_at, "page 1 drawn before page 8 written"
    assert steps["book[sheet-0]/record-sheet"].finished_at <= steps["book[prose]/prose-4"].started_at
    assert steps["book[page-2]/picture-keep"].finished_at <= last_words.started_at


async def test_workflow_bodies_read_the_database_and_the_config_only_inside_steps(book_backend, monkeypatch) -> None:
    """A replay runs the body again: whatever it read outside a step could differ the second time."""
    outside: list[str] = []
    workflows = str(Path(writing.__file__).parent)
    bookbug_root = str(Path(writing.__file__).parent.parent)

    def check(what: str) -> None:
        if current_step() is not None:
            return
        stack = traceback.extract_stack()[:-2]
        if not any(f.filename.endswith("/bookbug/engine/execution.py") for f in stack):
            return  # not a workflow's execution (a service, the test itself)
        for frame in reversed(stack):  # the caller nearest the read decides: the engine's own, or a body's
            if not frame.filename.startswith(bookbug_root) or "/bookbug/db/" in frame.filename \
                    or "/bookbug/config/" in frame.filename:
                continue
            if frame.filename.startswith(workflows):
                outside.append(f"{what} from {Path(frame.filename).name}:{frame.lineno} {frame.name}")
            return

    current = app_config.current

    def watched_config(*args: Any, **kwargs: Any) -> Any:
        check("app_config.current()")
        return current(*args, **kwargs)

    monkeypatch.setattr(app_config, "current", watched_config)
    from sqlalchemy import event

    from bookbug.db.session import get_engine

    engine = get_engine(get_settings().db_url)

    def on_query(*_: Any) -> None:
        check("a query")

    event.listen(engine, "before_cursor_execute", on_query)
    try:
        user = make_user()
        book_id = await _book(user.id)
        await page_edits.edit_page_text(user.id, book_id, 2, "Mia laughed at the moon.")
        await wait_until(lambda: (run := latest_run(get_settings().db_url, book_id, "edit-page")) is not None
                         and run.status.value == "completed", what="the edit")
    finally:
        event.remove(engine, "before_cursor_execute", on_query)
    assert outside == []


# What the export's and the account deletion's steps stored before they returned models.
OLD_DATA_STEPS = [
    (packing.plan, {"books": 3}, values.ExportPlan(books=3)),
    (packing.pack_book, {"files": 12}, values.PackedBook(files=12)),
    (packing.seal, {"bytes": 2048}, values.SealedExport(bytes=2048)),
    (erasing.close, {"credentials": 2, "books": 1, "exports": 0},
     values.ClosedAccount(credentials=2, books=1, exports=0)),
    (erasing.stop_runs, {"forgotten": 4}, values.ForgottenRuns(forgotten=4)),
    (erasing.delete_files, {"files": 9}, values.DeletedFiles(files=9)),
    (erasing.delete_rows, {"rows": 30}, values.DeletedRows(rows=30)),
    (erasing.final_pass, {"forgotten": 0, "files": 1}, values.FinalPass(forgotten=0, files=1)),
    (erasing.finish, {"deleted": True}, values.Erased(deleted=True)),
]


def test_the_data_steps_stored_dicts_replay_as_their_models_and_round_trip() -> None:
    for step, stored, model in OLD_DATA_STEPS:
        assert as_declared(step, decode(encode(stored)), step.__name__) == model, step.__name__
        assert decode(encode(model)) == model, step.__name__
