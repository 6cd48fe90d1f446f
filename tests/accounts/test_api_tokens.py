"""Personal API tokens: shown once, hashed at rest, listed without secrets, revocable only by their owner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from bookbug.db.session import get_engine
from bookbug.errors import AccountError
from bookbug.providers.auth.api_tokens import user_for_api_token
from bookbug.services.accounts.api_tokens import create_api_token, list_api_tokens, revoke_api_token
from bookbug.services.accounts.errors import TokenNotFound, UserNotFound
from bookbug.services.accounts.registration import register
from tests.accounts.conftest import PASSWORD


def test_token_is_shown_once_with_a_recognisable_prefix_and_finds_its_owner(db: str, make_user) -> None:
    ada = make_user()

    made = create_api_token(ada.id, "  my   laptop ", db_url=db)

    assert made.token.startswith("bb_") and len(made.token) > 40
    assert made.name == "my laptop"
    assert made.token.startswith(made.prefix) and len(made.prefix) == 9
    assert user_for_api_token(made.token, db_url=db).id == ada.id


def test_token_plaintext_is_nowhere_in_the_database(db: str, make_user) -> None:
    ada = make_user()
    made = create_api_token(ada.id, "cli", db_url=db)
    secret_part = made.token[len(made.prefix):]

    dump = _every_value_in_every_table(db)

    assert made.token not in dump
    assert secret_part not in dump
    assert made.prefix in dump  # the display prefix is stored, and it is all that is


def test_listing_shows_names_and_prefixes_but_no_secret(db: str, make_user, clock) -> None:
    ada = make_user()
    older = create_api_token(ada.id, "older", db_url=db)
    clock.advance(minutes=1)
    newer = create_api_token(ada.id, "newer", expires_in=timedelta(days=7), db_url=db)

    listed = list_api_tokens(ada.id, db_url=db)

    assert [(t.id, t.name, t.prefix) for t in listed] == [
        (newer.id, "newer", newer.prefix), (older.id, "older", older.prefix)]
    assert all(not hasattr(t, "token") and not hasattr(t, "token_hash") for t in listed)
    assert listed[0].expires_at == clock.now + timedelta(days=7)


def test_using_a_token_records_when_it_was_last_used(db: str, make_user, clock) -> None:
    ada = make_user()
    made = create_api_token(ada.id, "cli", db_url=db)
    assert list_api_tokens(ada.id, db_url=db)[0].last_used_at is None

    clock.advance(hours=2)
    user_for_api_token(made.token, db_url=db)

    assert list_api_tokens(ada.id, db_url=db)[0].last_used_at == clock.now


def test_revoked_token_is_rejected_and_unlisted(db: str, make_user) -> None:
    ada = make_user()
    made = create_api_token(ada.id, "cli", db_url=db)

    revoke_api_token(ada.id, made.id, db_url=db)

    assert user_for_api_token(made.token, db_url=db) is None
    assert list_api_tokens(ada.id, db_url=db) == []


def test_expired_token_is_rejected_but_listed_as_expired(db: str, make_user, clock) -> None:
    ada = make_user()
    made = create_api_token(ada.id, "short-lived", expires_in=timedelta(hours=1), db_url=db)
    clock.advance(minutes=59)
    assert user_for_api_token(made.token, db_url=db) is not None

    clock.advance(minutes=1)

    assert user_for_api_token(made.token, db_url=db) is None
    assert [t.expired for t in list_api_tokens(ada.id, db_url=db)] == [True]


def test_another_user_cannot_revoke_your_token(db: str, make_user) -> None:
    ada, mallory = make_user(), make_user()
    made = create_api_token(ada.id, "cli", db_url=db)

    with pytest.raises(TokenNotFound) as caught:
        revoke_api_token(mallory.id, made.id, db_url=db)

    assert caught.value.message == "That token does not exist."
    assert user_for_api_token(made.token, db_url=db).id == ada.id


def test_unknown_and_malformed_tokens_find_nobody(db: str, make_user) -> None:
    made = create_api_token(make_user().id, "cli", db_url=db)

    for guess in ["", "bb_", made.token[:-1], made.token + "x", made.prefix, made.token.replace("bb_", "bbs_")]:
        assert user_for_api_token(guess, db_url=db) is None


@pytest.mark.parametrize(("name", "expires_in", "field"), [
    ("   ", None, "name"),
    ("n" * 201, None, "name"),
    ("cli", timedelta(seconds=30), "expires_in"),
    ("cli", timedelta(days=-1), "expires_in"),
])
def test_bad_token_requests_are_refused_and_create_nothing(sqlite_db: str, name, expires_in, field) -> None:
    ada = register("ada@example.com", PASSWORD, db_url=sqlite_db)

    with pytest.raises(AccountError) as caught:
        create_api_token(ada.id, name, expires_in=expires_in, db_url=sqlite_db)

    assert caught.value.field == field
    assert list_api_tokens(ada.id, db_url=sqlite_db) == []


def test_token_for_an_unknown_user_is_refused(db: str) -> None:
    with pytest.raises(UserNotFound):
        create_api_token("0" * 32, "cli", db_url=db)


def _every_value_in_every_table(db: str) -> str:
    from sqlmodel import SQLModel

    values: list[str] = []
    with get_engine(db).connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for row in conn.execute(text(f'SELECT * FROM "{table.name}"')):
                values.extend(str(value) for value in row)
    return "\n".join(values)
