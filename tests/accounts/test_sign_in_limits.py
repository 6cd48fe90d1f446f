"""Limits on password guessing: per e-mail for every door, per client address where the door
knows it, shared through the database, and saying when to try again."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import select

from bookbug.db.accounts import SignInAttempt
from bookbug.db.session import session_scope
from bookbug.services import accounts
from bookbug.services.sign_in_limits import PER_CLIENT, PER_EMAIL
from tests.accounts.conftest import PASSWORD

WRONG = "not the password at all"


def fail(email: str, db: str, client: str = "") -> None:
    with pytest.raises(accounts.WrongCredentials):
        accounts.sign_in(email, WRONG, client=client, db_url=db)


def refused(email: str, db: str, password: str = PASSWORD, client: str = "") -> accounts.TooManyAttempts:
    with pytest.raises(accounts.TooManyAttempts) as caught:
        accounts.sign_in(email, password, client=client, db_url=db)
    return caught.value


def test_after_five_failures_even_the_right_password_is_refused_with_when_to_retry(db: str, make_user,
                                                                                     clock) -> None:
    make_user("ada@example.com")
    for _ in range(PER_EMAIL.attempts):
        fail("ada@example.com", db)
        clock.advance(seconds=10)

    error = refused("Ada@Example.com ", db)  # the same address however it is typed

    # the oldest failure leaves the window 15 minutes after it was made, 50 s ago
    assert error.retry_after == pytest.approx(PER_EMAIL.window.total_seconds() - 50)
    assert error.message == "Too many sign-in attempts for this e-mail address. Please try again in 15 minutes."
    assert error.field is None


def test_the_limit_reads_the_same_for_an_email_with_no_account(db: str, make_user) -> None:
    make_user("ada@example.com")
    for email in ("ada@example.com", "nobody@example.com"):
        for _ in range(PER_EMAIL.attempts):
            fail(email, db)

    assert refused("ada@example.com", db).message == refused("nobody@example.com", db).message


def test_once_the_oldest_failure_leaves_the_window_one_more_attempt_is_allowed(db: str, make_user, clock) -> None:
    make_user("ada@example.com")
    fail("ada@example.com", db)
    clock.advance(minutes=5)
    for _ in range(PER_EMAIL.attempts - 1):
        fail("ada@example.com", db)
    refused("ada@example.com", db)

    clock.advance(minutes=10, seconds=1)  # the first failure is now older than 15 minutes
    fail("ada@example.com", db)  # one attempt freed up, and spent
    error = refused("ada@example.com", db)
    assert error.retry_after == pytest.approx(5 * 60 - 1, abs=1)  # the four made 5 minutes in

    clock.advance(minutes=5)
    assert accounts.sign_in("ada@example.com", PASSWORD, db_url=db).user.email == "ada@example.com"


def test_refused_attempts_do_not_push_the_wait_further(db: str, make_user, clock) -> None:
    make_user("ada@example.com")
    for _ in range(PER_EMAIL.attempts):
        fail("ada@example.com", db)
    for _ in range(20):
        clock.advance(seconds=30)
        refused("ada@example.com", db, password=WRONG)

    clock.advance(minutes=5, seconds=1)  # 15 minutes after the five failures, whatever came since
    assert accounts.sign_in("ada@example.com", PASSWORD, db_url=db).user.email == "ada@example.com"


def test_other_emails_are_not_affected(db: str, make_user) -> None:
    make_user("ada@example.com")
    make_user("leo@example.com")
    for _ in range(PER_EMAIL.attempts):
        fail("ada@example.com", db)
    refused("ada@example.com", db)

    assert accounts.sign_in("leo@example.com", PASSWORD, db_url=db).user.email == "leo@example.com"


def test_signing_in_clears_the_emails_failures(db: str, make_user) -> None:
    make_user("ada@example.com")
    for _ in range(PER_EMAIL.attempts - 1):
        fail("ada@example.com", db)
    accounts.sign_in("ada@example.com", PASSWORD, db_url=db)

    for _ in range(PER_EMAIL.attempts):  # a full budget again
        fail("ada@example.com", db)
    refused("ada@example.com", db)


def test_one_client_address_gets_a_wider_budget_across_emails(db: str, make_user) -> None:
    make_user("ada@example.com")
    guesser, neighbour = "203.0.113.9", "198.51.100.7"
    for number in range(PER_CLIENT.attempts):  # a few guesses at many addresses, each under its own limit
        fail(f"person{number // 4}@example.com", db, client=guesser)

    error = refused("ada@example.com", db, client=guesser)
    assert error.message.startswith("Too many sign-in attempts from your network.")
    assert accounts.sign_in("ada@example.com", PASSWORD, client=neighbour, db_url=db).user.email == "ada@example.com"


def test_signing_in_to_ones_own_account_does_not_refill_the_client_budget(db: str, make_user) -> None:
    make_user("mallory@example.com")
    guesser = "203.0.113.9"
    for number in range(PER_CLIENT.attempts - 2):
        fail(f"victim{number // 4}@example.com", db, client=guesser)
    fail("mallory@example.com", db, client=guesser)

    # clears mallory's failure for her e-mail, but it still counts for the address it came from
    accounts.sign_in("mallory@example.com", PASSWORD, client=guesser, db_url=db)

    fail("victim-next@example.com", db, client=guesser)  # the last attempt the address had left
    refused("victim-last@example.com", db, password=WRONG, client=guesser)
    refused("mallory@example.com", db, client=guesser)


def test_guesses_sent_at_the_same_moment_cannot_pass_the_limit_together(db: str, make_user) -> None:
    make_user("ada@example.com")

    def guess(_: int) -> str:
        try:
            accounts.sign_in("ada@example.com", WRONG, db_url=db)
        except accounts.TooManyAttempts:
            return "refused"
        except accounts.WrongCredentials:
            return "checked"
        return "signed in"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(guess, range(16)))

    assert outcomes.count("checked") <= PER_EMAIL.attempts
    assert outcomes.count("refused") >= 16 - PER_EMAIL.attempts


def test_only_a_hash_of_the_typed_email_is_stored(db: str, make_user) -> None:
    fail("Someone.Typo@Example.com", db, client="203.0.113.9")

    with session_scope(db) as session:
        rows = session.exec(select(SignInAttempt)).all()
    assert [(r.email_key, r.client) for r in rows] == [
        (hashlib.sha256(b"someone.typo@example.com").hexdigest(), "203.0.113.9")]


def test_a_malformed_email_counts_only_against_the_client(db: str, make_user) -> None:
    for _ in range(PER_EMAIL.attempts + 2):
        fail("not an e-mail", db)  # never "too many attempts for this e-mail": there is no such e-mail
    for _ in range(PER_EMAIL.attempts + 2):
        fail("", db)
