"""Browser sessions: opaque tokens stored hashed, sliding expiry, sign-out and revocation."""

from __future__ import annotations

import hashlib

import pytest

from sqlmodel import select

from bookbug.db.accounts import UserSession
from bookbug.db.session import session_scope
from bookbug.errors import AccountError
from bookbug.providers.auth.sessions import user_for_session
from bookbug.services.accounts.sessions import list_sessions, revoke_all_sessions, revoke_session, sign_out
from bookbug.services.accounts.sign_in import sign_in
from tests.accounts.conftest import PASSWORD


def test_sign_in_returns_a_token_that_finds_the_user(db: str, make_user) -> None:
    user = make_user("ada@example.com")

    signed = sign_in("ada@example.com", PASSWORD, user_agent="Firefox", db_url=db)

    assert signed.user.id == user.id
    assert user_for_session(signed.token, db_url=db).id == user.id


def test_only_the_hash_of_a_session_token_is_stored(db: str, make_user) -> None:
    make_user("ada@example.com")

    signed = sign_in("ada@example.com", PASSWORD, user_agent="Firefox", db_url=db)

    with session_scope(db) as session:
        record = session.exec(select(UserSession)).one()
    assert record.token_hash == hashlib.sha256(signed.token.encode()).hexdigest()
    assert signed.token not in (record.token_hash, record.id, record.user_agent)


def test_session_survives_for_weeks_of_use_and_expires_after_30_idle_days(db: str, make_user, clock) -> None:
    make_user("ada@example.com")
    token = sign_in("ada@example.com", PASSWORD, db_url=db).token

    for _ in range(3):  # a visit every 29 days keeps it alive, well past the first 30 days
        clock.advance(days=29)
        assert user_for_session(token, db_url=db) is not None

    clock.advance(days=30, seconds=1)
    assert user_for_session(token, db_url=db) is None


def test_sign_out_revokes_only_that_session(db: str, make_user) -> None:
    make_user("ada@example.com")
    laptop = sign_in("ada@example.com", PASSWORD, db_url=db).token
    phone = sign_in("ada@example.com", PASSWORD, db_url=db).token

    sign_out(laptop, db_url=db)

    assert user_for_session(laptop, db_url=db) is None
    assert user_for_session(phone, db_url=db) is not None


def test_revoke_all_sessions_signs_the_user_out_everywhere(db: str, make_user) -> None:
    ada, grace = make_user("ada@example.com"), make_user("grace@example.com")
    tokens = [sign_in("ada@example.com", PASSWORD, db_url=db).token for _ in range(2)]
    other = sign_in("grace@example.com", PASSWORD, db_url=db).token

    assert revoke_all_sessions(ada.id, db_url=db) == 2

    assert [user_for_session(t, db_url=db) for t in tokens] == [None, None]
    assert user_for_session(other, db_url=db).id == grace.id


def test_unknown_and_malformed_session_tokens_find_nobody(db: str, make_user) -> None:
    make_user("ada@example.com")
    token = sign_in("ada@example.com", PASSWORD, db_url=db).token

    for guess in ["", "bbs_", token[:-1], token + "x", "not-a-token", token.replace("bbs_", "bb_")]:
        assert user_for_session(guess, db_url=db) is None


def test_list_sessions_shows_open_sessions_newest_use_first(db: str, make_user, clock) -> None:
    ada = make_user("ada@example.com")
    sign_in("ada@example.com", PASSWORD, user_agent="Old laptop", db_url=db)
    clock.advance(hours=1)
    current = sign_in("ada@example.com", PASSWORD, user_agent="Phone", db_url=db).token
    clock.advance(hours=1)
    gone = sign_in("ada@example.com", PASSWORD, user_agent="Library PC", db_url=db).token
    sign_out(gone, db_url=db)
    clock.advance(hours=1)
    user_for_session(current, db_url=db)  # the phone was used last

    sessions = list_sessions(ada.id, db_url=db)

    assert [s.user_agent for s in sessions] == ["Phone", "Old laptop"]


def test_a_user_can_revoke_one_own_session_but_not_someone_elses(db: str, make_user) -> None:
    ada, grace = make_user("ada@example.com"), make_user("grace@example.com")
    token = sign_in("ada@example.com", PASSWORD, db_url=db).token
    session_id = list_sessions(ada.id, db_url=db)[0].id

    with pytest.raises(AccountError, match="That session does not exist."):
        revoke_session(grace.id, session_id, db_url=db)
    assert user_for_session(token, db_url=db) is not None

    revoke_session(ada.id, session_id, db_url=db)
    assert user_for_session(token, db_url=db) is None
