"""Clerk session tokens verified networklessly, and Clerk users mapped to our users table."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import select

from bookbug.db.accounts import User
from bookbug.db.session import session_scope
from bookbug.providers.auth.clerk import ClerkAuth, ClerkConfigError
from bookbug.services.accounts.api_tokens import create_api_token
from bookbug.services.accounts.errors import WrongCredentials
from bookbug.services.accounts.sign_in import sign_in
from bookbug.settings import Settings
from tests.accounts.conftest import PASSWORD
from tests.standins.clerk import SECRET_KEY, ClerkApiStandIn, ClerkKeys

APP = "http://localhost:3000"


@pytest.fixture(scope="module")
def keys() -> ClerkKeys:
    return ClerkKeys()


@pytest.fixture
def api() -> Iterator[ClerkApiStandIn]:
    with ClerkApiStandIn() as standin:
        yield standin


def clerk_settings(keys: ClerkKeys, api: ClerkApiStandIn, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "clerk_secret_key": SECRET_KEY, "clerk_jwt_key": keys.public_pem,
        "clerk_authorized_parties": APP, "clerk_api_url": api.api_url,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def auth(db: str, keys: ClerkKeys, api: ClerkApiStandIn) -> ClerkAuth:
    return ClerkAuth(clerk_settings(keys, api), db_url=db)


def all_users(db: str) -> list[User]:
    with session_scope(db) as session:
        return list(session.exec(select(User)).all())


def test_valid_token_creates_the_user_once_and_maps_it_by_clerk_id(db, auth, keys, api) -> None:
    token = keys.mint("user_2abc", azp=APP, email="Ada@Example.com", name="Ada Lovelace")

    first = auth.authenticate(token)
    again = auth.authenticate(keys.mint("user_2abc", azp=APP, email="ada@example.com"))

    assert first is not None and again is not None and again.id == first.id
    assert (first.clerk_id, first.email, first.display_name) == ("user_2abc", "ada@example.com", "Ada Lovelace")
    assert first.password_hash is None
    assert len(all_users(db)) == 1
    assert api.requests == []  # the e-mail came with the token: no Backend API call


def test_email_is_fetched_from_the_backend_api_when_the_token_has_none(db, auth, keys, api) -> None:
    api.add_user("user_2def", email="grace@example.com", first_name="Grace", last_name="Hopper")

    user = auth.authenticate(keys.mint("user_2def", azp=APP))
    auth.authenticate(keys.mint("user_2def", azp=APP))

    assert (user.email, user.display_name) == ("grace@example.com", "Grace Hopper")
    assert api.requests == ["user_2def"]  # fetched on first sight only


def test_unreachable_profile_gives_a_placeholder_that_a_later_email_claim_replaces(db, auth, keys, api) -> None:
    user = auth.authenticate(keys.mint("user_2ghi", azp=APP))  # the stand-in answers 404
    assert user.email == "user_2ghi@users.clerk.invalid"

    later = auth.authenticate(keys.mint("user_2ghi", azp=APP, email="kay@example.com"))

    assert (later.id, later.email) == (user.id, "kay@example.com")


@pytest.mark.parametrize("case", ["expired", "wrong key", "wrong azp", "no azp", "not yet valid"])
def test_bad_session_tokens_are_rejected_and_create_no_user(sqlite_db, keys, api, case) -> None:
    auth = ClerkAuth(clerk_settings(keys, api), db_url=sqlite_db)
    token = {
        "expired": lambda: keys.mint("user_x", azp=APP, email="x@example.com", expires_in=60, issued_ago=120),
        "wrong key": lambda: ClerkKeys().mint("user_x", azp=APP, email="x@example.com"),
        "wrong azp": lambda: keys.mint("user_x", azp="https://evil.example", email="x@example.com"),
        "no azp": lambda: keys.mint("user_x", azp=None, email="x@example.com"),
        "not yet valid": lambda: keys.mint("user_x", azp=APP, email="x@example.com", nbf=2**31 - 1),
    }[case]()

    assert auth.authenticate(token) is None
    assert all_users(sqlite_db) == []


def test_garbage_and_machine_tokens_are_rejected_without_any_network_call(db, auth, monkeypatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("a network call was made")

    monkeypatch.setattr(httpx.Client, "send", no_network)
    for token in ["", "garbage", "a.b.c", "ak_machine_key", "m2m_token", "oat_token", "mt_token"]:
        assert auth.authenticate(token) is None


def test_authorized_parties_default_to_the_app_url(db, keys, api) -> None:
    auth = ClerkAuth(clerk_settings(keys, api, clerk_authorized_parties="", app_url="https://books.example/"),
                     db_url=db)

    assert auth.authenticate(keys.mint("user_1", azp="https://books.example", email="a@example.com")) is not None
    assert auth.authenticate(keys.mint("user_2", azp=APP, email="b@example.com")) is None


def test_api_tokens_still_work_with_clerk_on(db, auth, keys) -> None:
    user = auth.authenticate(keys.mint("user_2abc", azp=APP, email="ada@example.com"))
    made = create_api_token(user.id, "cli", db_url=db)

    assert auth.authenticate(made.token).id == user.id


def test_first_clerk_user_is_operator_and_the_operator_list_is_respected(db, keys, api) -> None:
    auth = ClerkAuth(clerk_settings(keys, api), db_url=db)
    first = auth.authenticate(keys.mint("user_1", azp=APP, email="first@example.com"))
    second = auth.authenticate(keys.mint("user_2", azp=APP, email="second@example.com"))
    assert (first.role, second.role) == ("operator", "user")

    listed = ClerkAuth(clerk_settings(keys, api, operator_emails="second@example.com"), db_url=db)

    assert listed.authenticate(keys.mint("user_2", azp=APP)).role == "operator"
    assert listed.authenticate(keys.mint("user_1", azp=APP)).role == "user"


def test_an_email_already_in_use_is_never_merged_into_another_account(db, auth, keys, make_user) -> None:
    local = make_user("ada@example.com")

    clerk_user = auth.authenticate(keys.mint("user_2abc", azp=APP, email="ada@example.com"))

    assert clerk_user.id != local.id
    assert clerk_user.email == "user_2abc@users.clerk.invalid"
    assert sign_in("ada@example.com", PASSWORD, db_url=db).user.id == local.id


def test_clerk_users_cannot_sign_in_with_a_password(db, auth, keys) -> None:
    auth.authenticate(keys.mint("user_2abc", azp=APP, email="ada@example.com"))

    with pytest.raises(WrongCredentials):
        sign_in("ada@example.com", "", db_url=db)


def test_missing_jwt_key_is_a_clear_configuration_error(keys, api) -> None:
    with pytest.raises(ClerkConfigError, match="CLERK_JWT_KEY is not set"):
        ClerkAuth(clerk_settings(keys, api, clerk_jwt_key=""))
