"""/settings: operators only; changes stored through app_config; secrets never shown; jobs."""

from __future__ import annotations

import asyncio

from collections.abc import Callable

import pytest
from sqlmodel import select

from bookbug.db import AppSetting, session_scope
from bookbug.engine import Engine
from bookbug.services import books
from bookbug.config import app_config
from bookbug.errors import InvalidInput
from bookbug.settings import get_settings, reset_settings
from bookbug.state.operator_settings import OperatorSettingsState, parse_changes, secret_rows
from tests.web.conftest import Viewer, build_state, call, redirect_target


@pytest.fixture
def operator_and_user(make_viewer: Callable[[str], Viewer]) -> tuple[Viewer, Viewer]:
    return make_viewer("operator"), make_viewer("member")  # the first account is the operator


async def test_a_non_operator_is_sent_away(operator_and_user: tuple[Viewer, Viewer]) -> None:
    _, member = operator_and_user
    state = build_state(OperatorSettingsState, token=member.token, path="/settings")
    assert redirect_target(await call(state, "load_settings")) == "/books"
    assert state.config == {} and state.runs == []
    assert redirect_target(await call(state, "save_settings", {"books_per_minute": "99"})) == "/books"
    assert app_config.current().books_per_minute != 99
    signed_out = build_state(OperatorSettingsState, path="/settings")
    assert redirect_target(await call(signed_out, "load_settings")) == "/login?next=%2Fsettings"


async def test_an_operator_change_is_stored_and_used_by_the_next_book(
        engine: Engine, operator_and_user: tuple[Viewer, Viewer]) -> None:
    operator, member = operator_and_user
    state = build_state(OperatorSettingsState, token=operator.token, path="/settings")
    assert await call(state, "load_settings") is None
    assert state.config["default_format"] == get_settings().default_format
    await call(state, "set_field", "default_format", "landscape")
    await call(state, "save_settings", {**state.config, "default_page_count": "16"})
    assert state.notice == "" and state.saved.startswith("Saved")
    assert state.config["default_format"] == "landscape" and state.config["default_page_count"] == "16"
    book = await books.create_book(member.user_id)
    assert book.format == "landscape"


def stored_settings() -> dict[str, object]:
    with session_scope() as session:
        return {row.key: row.value for row in session.exec(select(AppSetting)).all()}


CONCURRENCY = "Pages at a time per book must be a whole number from 1 to 16."
BAD_VALUES = [
    ({"page_concurrency": "-3"}, CONCURRENCY),
    ({"page_concurrency": "lots"}, CONCURRENCY),
    ({"page_concurrency": "2.5"}, CONCURRENCY),
    ({"page_concurrency": "17"}, CONCURRENCY),
    ({"anthropic_rpm": "0"}, "Anthropic requests a minute must be a whole number from 1 to 10000."),
    ({"books_per_minute": "--5"}, "New books a minute per user must be a whole number from 1 to 1000."),
    ({"text_provider": "gpt-4"}, "Story text must be auto, claude or offline."),
    ({"image_provider": "midjourney"}, "Illustrations must be auto, replicate or offline."),
    ({"default_format": "A4"},
     "Default format must be one of square-small, square-large, landscape, portrait-small or portrait-large."),
    ({"default_page_count": "7"}, "Default page count must be a whole number from 8 to 32."),
    ({"anthropic_model": "c" * 101}, "Claude model must be a name of 1 to 100 characters."),
    # a good value beside a bad one is not stored either
    ({"books_per_minute": "7", "replicate_rpm": "0"},
     "Replicate requests a minute must be a whole number from 1 to 10000."),
]


@pytest.mark.parametrize(("form", "message"), BAD_VALUES,
                         ids=[" ".join(f"{k}={v[:12]}" for k, v in form.items()) for form, _ in BAD_VALUES])
async def test_a_bad_value_says_in_one_sentence_what_is_allowed_and_stores_nothing(
        operator_and_user: tuple[Viewer, Viewer], form: dict[str, str], message: str) -> None:
    operator, _ = operator_and_user
    state = build_state(OperatorSettingsState, token=operator.token, path="/settings")
    await call(state, "load_settings")
    app_config.update({"page_concurrency": 3}, updated_by="tests")  # something stored that must survive
    before, stored = app_config.current(), stored_settings()
    await call(state, "save_settings", {**state.config, **form})
    assert state.notice == message
    assert state.saved == ""
    assert stored_settings() == stored
    app_config._cache = None  # read the rows again, not the cached copy
    assert app_config.current() == before


def test_every_field_on_the_page_is_named_by_its_label() -> None:
    for key in app_config.AppConfig.model_fields:
        sentence = app_config.rule(key)
        assert sentence.startswith(app_config.label(key) + " must be ") and sentence.endswith(".") and ". " not in sentence, sentence
        assert "_" not in app_config.label(key)


def test_the_service_refuses_bad_values_with_the_same_sentences(web_db: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        app_config.update({"page_concurrency": -1})
    assert (refused.value.message, refused.value.field) == (CONCURRENCY, "page_concurrency")
    with pytest.raises(InvalidInput) as refused:
        app_config.update({"replicate_prompt_model": "   "})
    assert refused.value.message == "Replicate prompt model must be a name of 1 to 100 characters."
    with pytest.raises(InvalidInput) as refused:
        app_config.update({"secret_sauce": 1})
    assert refused.value.field == "secret_sauce"
    assert stored_settings() == {}


def test_a_stored_value_no_longer_valid_falls_back_alone(web_db: str) -> None:
    from bookbug.db import AppSetting, session_scope

    app_config.update({"page_concurrency": 3, "default_page_count": 16})
    with session_scope(web_db) as session:  # as if the rules had tightened since it was stored
        row = session.get(AppSetting, "page_concurrency")
        row.value = 999
        session.add(row)
    app_config._cache = None
    config = app_config.current()
    assert config.page_concurrency == app_config.defaults().page_concurrency
    assert config.default_page_count == 16  # the operator's other choice stands


def test_secrets_show_only_whether_they_are_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-very-secret")
    reset_settings()
    rows = {row.label: row.value for row in secret_rows(get_settings())}
    assert rows["Anthropic API key"] == "set" and rows["Replicate API token"] == "not set"
    assert "sk-ant" not in repr(rows)


def test_blank_fields_are_left_unchanged_and_numbers_are_typed() -> None:
    assert parse_changes({"books_per_minute": " 7 ", "anthropic_model": "", "unknown": "x"}) == {"books_per_minute": 7}
    with pytest.raises(InvalidInput):
        parse_changes({"replicate_rpm": "1.5"})


async def test_the_jobs_dashboard_lists_runs_and_cancels_a_running_one(
        engine: Engine, operator_and_user: tuple[Viewer, Viewer]) -> None:
    operator, member = operator_and_user
    book = await books.create_book(member.user_id)
    state = build_state(OperatorSettingsState, token=operator.token, path="/settings")
    await call(state, "load_settings")
    run = next(r for r in state.runs if r.book_id == book.id)
    assert run.can_cancel and not run.can_rerun
    assert {c.label for c in state.counts} >= {"queued", "running", "waiting", "failed"}
    await call(state, "show_steps", run.id)
    assert state.steps_for == run.id
    await call(state, "cancel", run.id)
    assert state.saved == f"Run {run.id} was cancelled."

    async def shown_cancelled() -> bool:  # a run in the middle of a step ends at its next one
        await call(state, "load_settings")
        return next(r for r in state.runs if r.id == run.id).status == "cancelled"

    deadline = asyncio.get_running_loop().time() + 10
    while not await shown_cancelled():
        assert asyncio.get_running_loop().time() < deadline, "the cancelled run never ended"
        await asyncio.sleep(0.05)
    await call(state, "rerun", run.id)
    assert state.saved == "Only a failed run can be rerun; this one is cancelled."
