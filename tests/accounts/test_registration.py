"""Local registration and sign-in: e-mail rules, password rules, operators, one message for bad credentials."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlmodel import select

from bookbug.db.accounts import User
from bookbug.db.session import session_scope
from bookbug.services.accounts import passwords
from bookbug.services.accounts.errors import EmailTaken, InvalidEmail, InvalidName, WeakPassword, WrongCredentials
from bookbug.services.accounts.registration import register
from bookbug.services.accounts.sign_in import sign_in
from bookbug.services.accounts.users import get_user
from bookbug.settings import Settings
from tests.accounts.conftest import PASSWORD


def test_register_stores_normalised_email_and_an_argon2_hash(db: str) -> None:
    user = register("  Ada.Lovelace@Example.COM ", PASSWORD, "  Ada   Lovelace ", db_url=db)

    assert user.email == "ada.lovelace@example.com"
    assert user.display_name == "Ada Lovelace"
    with session_scope(db) as session:
        stored = session.exec(select(User).where(User.id == user.id)).one()
    assert stored.password_hash is not None and stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash


def test_display_name_defaults_to_the_email_local_part(db: str) -> None:
    assert register("grace@example.com", PASSWORD, db_url=db).display_name == "grace"


def test_taken_email_is_refused_whatever_its_case(db: str) -> None:
    register("ada@example.com", PASSWORD, db_url=db)

    with pytest.raises(EmailTaken) as caught:
        register(" ADA@example.com", "another long passphrase", db_url=db)
    assert caught.value.message == "An account with this e-mail already exists."
    assert caught.value.field == "email"


@pytest.mark.parametrize("email", ["", "   ", "ada", "ada@", "@example.com", "ada@example", "a b@example.com",
                                   "ada@@example.com", "x" * 320 + "@example.com"])
def test_malformed_email_is_refused_with_an_example(sqlite_db: str, email: str) -> None:
    with pytest.raises(InvalidEmail) as caught:
        register(email, PASSWORD, db_url=sqlite_db)
    assert "name@example.com" in caught.value.message


@pytest.mark.parametrize(("password", "rule"), [
    ("short", "at least 10 characters"),
    ("password123", "too easy to guess"),
    ("QWERTYUIOP", "too easy to guess"),
    ("aaaaaaaaaaaaaa", "too easy to guess"),
    ("ada@example.com", "must not contain your e-mail"),
    ("my-adalovelace-secret", "must not contain your e-mail"),
    ("x" * 1001, "at most 1,000 characters"),
])
def test_weak_password_is_refused_with_the_rule_it_broke(sqlite_db: str, password: str, rule: str) -> None:
    email = "adalovelace@example.com" if "adalovelace" in password else "ada@example.com"

    with pytest.raises(WeakPassword) as caught:
        register(email, password, db_url=sqlite_db)
    assert rule in caught.value.message
    assert caught.value.field == "password"
    with session_scope(sqlite_db) as session:
        assert session.exec(select(User)).all() == []


def test_over_long_display_name_is_refused(db: str) -> None:
    with pytest.raises(InvalidName) as caught:
        register("ada@example.com", PASSWORD, "n" * 201, db_url=db)
    assert caught.value.field == "display_name"


def test_first_user_becomes_operator_when_no_operators_are_listed(make_user) -> None:
    first, second = make_user(), make_user()

    assert (first.role, second.role) == ("operator", "user")


def test_operator_list_decides_roles_when_set(db: str) -> None:
    settings = Settings(operator_emails="Boss@Example.com, other@example.com")

    first = register("someone@example.com", PASSWORD, db_url=db, settings=settings)
    boss = register("boss@example.com", PASSWORD, db_url=db, settings=settings)

    assert (first.role, boss.role) == ("user", "operator")


def test_operator_list_applies_to_existing_accounts_at_next_sign_in(db: str) -> None:
    first = register("first@example.com", PASSWORD, db_url=db)
    later = register("later@example.com", PASSWORD, db_url=db)
    assert (first.role, later.role) == ("operator", "user")

    settings = Settings(operator_emails="later@example.com")
    signed_first = sign_in("first@example.com", PASSWORD, db_url=db, settings=settings)
    signed_later = sign_in("later@example.com", PASSWORD, db_url=db, settings=settings)

    assert (signed_first.user.role, signed_later.user.role) == ("user", "operator")
    assert get_user(later.id, db_url=db).role == "operator"


def test_sign_in_accepts_the_email_in_any_case(db: str, make_user) -> None:
    user = make_user("ada@example.com")

    signed = sign_in("  ADA@example.com", PASSWORD, db_url=db)

    assert signed.user.id == user.id


def test_wrong_password_and_unknown_email_get_the_same_message(db: str) -> None:
    register("ada@example.com", PASSWORD, db_url=db)

    messages = set()
    for email in ["ada@example.com", "nobody@example.com", "not an e-mail"]:
        with pytest.raises(WrongCredentials) as caught:
            sign_in(email, "a wrong passphrase", db_url=db)
        messages.add(caught.value.message)
    assert messages == {"The e-mail or password is not right."}


class CountingHasher(PasswordHasher):
    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verified: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002 - argon2's name
        self.verified.append(str(hash))
        return super().verify(hash, password)


def test_unknown_email_still_costs_a_password_verification(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    hasher = CountingHasher()
    monkeypatch.setattr(passwords, "_hasher", hasher)

    with pytest.raises(WrongCredentials):
        sign_in("nobody@example.com", PASSWORD, db_url=db)
    assert len(hasher.verified) == 1 and hasher.verified[0].startswith("$argon2id$")


def test_password_is_rehashed_when_the_argon2_parameters_change(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    user = register("ada@example.com", PASSWORD, db_url=db)
    old_hash = _stored_hash(db, user.id)

    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", stronger)
    sign_in("ada@example.com", PASSWORD, db_url=db)

    new_hash = _stored_hash(db, user.id)
    assert new_hash != old_hash
    assert not stronger.check_needs_rehash(new_hash)
    assert stronger.verify(new_hash, PASSWORD)


def _stored_hash(db: str, user_id: str) -> str:
    with session_scope(db) as session:
        return session.get(User, user_id).password_hash
