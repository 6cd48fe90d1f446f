"""Invisible control characters (NUL above all, which PostgreSQL cannot store) are refused in
every free text a person types, with a message that says so, and nothing is stored."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from sqlmodel import select

from bookbug.db.accounts import User
from bookbug.db.session import session_scope
from bookbug.services import books, redos
from bookbug.services.accounts.api_tokens import create_api_token, list_api_tokens
from bookbug.services.accounts.errors import InvalidEmail, InvalidName, WeakPassword, WrongCredentials
from bookbug.services.accounts.registration import register
from bookbug.services.accounts.sign_in import sign_in
from bookbug.config import app_config
from bookbug.errors import InvalidInput
from bookbug.safety.text_rules import unusable_character
from tests.accounts.conftest import PASSWORD

CONTROL = st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800"])
PLAIN = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(before=PLAIN, bad=CONTROL, after=PLAIN)
def test_any_text_with_a_control_character_in_it_is_caught(before: str, bad: str, after: str) -> None:
    assert unusable_character(before + bad + after) == bad
    assert unusable_character(before + after) is None


@settings(max_examples=100, deadline=None)
@given(lines=st.lists(PLAIN, min_size=1, max_size=4))
def test_line_breaks_and_tabs_are_fine_where_text_has_lines(lines: list[str]) -> None:
    text = "\r\n".join(lines) + "\tend"
    assert unusable_character(text, multiline=True) is None
    assert unusable_character(text) in (None, "\r", "\n", "\t")


@pytest.mark.parametrize("text", ["Mia\x00", "hello\x1b[31m", "a\ud800b"])
def test_a_chat_message_or_page_note_with_one_is_refused_clearly(text: str) -> None:
    with pytest.raises(InvalidInput, match="control character|NUL") as caught:
        books.clean_message(text)
    assert caught.value.field == "content"
    with pytest.raises(InvalidInput, match="control character|NUL"):
        redos.clean_note(text)
    assert books.clean_message("Mia, age 5\nand her dragon") == "Mia, age 5\nand her dragon"


def test_registration_refuses_them_in_every_field_and_stores_nothing(db: str) -> None:
    with pytest.raises(InvalidEmail):
        register("mia\x00@example.com", PASSWORD, db_url=db)
    with pytest.raises(InvalidName, match="NUL"):
        register("mia@example.com", PASSWORD, "Mia\x00", db_url=db)
    with pytest.raises(WeakPassword, match="control character"):
        register("mia@example.com", PASSWORD + "\x1b", db_url=db)
    with session_scope(db) as session:
        assert session.exec(select(User)).all() == []


def test_signing_in_with_one_is_just_a_wrong_e_mail_or_password(db: str, make_user) -> None:
    make_user("mia@example.com")
    for email, password in (("mia\x00@example.com", PASSWORD), ("mia@example.com", "pass\x00word\ud800")):
        with pytest.raises(WrongCredentials):
            sign_in(email, password, db_url=db)


def test_a_token_name_with_one_is_refused(db: str, make_user) -> None:
    user = make_user("mia@example.com")
    with pytest.raises(InvalidName, match="NUL") as caught:
        create_api_token(user.id, "laptop\x00", db_url=db)
    assert caught.value.field == "name" and list_api_tokens(user.id, db_url=db) == []


def test_an_operator_setting_with_one_is_refused(db: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        app_config.update({"anthropic_model": "claude\x00"}, db_url=db)
    assert caught.value.field == "anthropic_model"
