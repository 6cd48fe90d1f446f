"""Limits on password guessing: per (e-mail, client address) pair with a growing wait, a
ceiling per address across e-mails, shared through the database, and saying when to try again.
A stranger guessing at an account slows only themselves: the owner is never locked out."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings, strategies as st
from sqlmodel import select

from bookbug.db.accounts import SignInAttempt
from bookbug.db.session import session_scope
from bookbug.services.accounts.errors import TooManyAttempts, WrongCredentials
from bookbug.services.accounts.sign_in import sign_in
from bookbug.services.sign_in_limits import PER_CLIENT, PER_PAIR
from tests.accounts.conftest import PASSWORD

WRONG = "not the password at all"
OWNER, STRANGER = "198.51.100.7", "203.0.113.9"


def fail(email: str, db: str, client: str = "") -> None:
    with pytest.raises(WrongCredentials):
        sign_in(email, WRONG, client=client, db_url=db)


def refused(email: str, db: str, password: str = PASSWORD, client: str = "") -> TooManyAttempts:
    with pytest.raises(TooManyAttempts) as caught:
        sign_in(email, password, client=client, db_url=db)
    return caught.value


def test_a_stranger_guessing_cannot_lock_the_owner_out(db: str, make_user) -> None:
    make_user("ada@example.com")
    for _ in range(PER_PAIR.free):
        fail("ada@example.com", db, client=STRANGER)
    for _ in range(20):  # whatever the stranger keeps sending is refused, not counted
        refused("ada@example.com", db, password=WRONG, client=STRANGER)

    signed = sign_in("ada@example.com", PASSWORD, client=OWNER, db_url=db)
    assert signed.user.email == "ada@example.com"


def test_after_a_few_failures_each_attempt_from_that_address_waits_twice_as_long(db: str, make_user,
                                                                                 clock) -> None:
    make_user("ada@example.com")
    for _ in range(PER_PAIR.free):
        fail("ada@example.com", db, client=STRANGER)
    waits = []
    for _ in range(4):
        error = refused("Ada@Example.com ", db, client=STRANGER)  # the same address however it is typed
        waits.append(error.retry_after)
        clock.advance(seconds=error.retry_after)
        fail("ada@example.com", db, client=STRANGER)
    first = PER_PAIR.first.total_seconds()
    assert waits == pytest.approx([first, 2 * first, 4 * first, 8 * first])
    assert refused("ada@example.com", db, client=STRANGER).message == (  # 80 seconds, in minutes
        "Too many sign-in attempts for this e-mail address. Please try again in 2 minutes.")


@settings(max_examples=40, deadline=None)
@given(failures=st.integers(min_value=0, max_value=40))
def test_the_wait_grows_with_the_failures_and_never_passes_its_ceiling(failures: int) -> None:
    waits = [PER_PAIR.wait_after(n) for n in range(failures + 1)]
    assert all(wait.total_seconds() == 0 for wait in waits[:PER_PAIR.free])
    assert waits == sorted(waits)
    assert max(waits) <= PER_PAIR.longest


def test_the_wait_reads_the_same_for_an_email_with_no_account(db: str, make_user) -> None:
    make_user("ada@example.com")
    for email in ("ada@example.com", "nobody@example.com"):
        for _ in range(PER_PAIR.free):
            fail(email, db, client=STRANGER)

    assert (refused("ada@example.com", db, client=STRANGER).message
            == refused("nobody@example.com", db, client=STRANGER).message)


def test_refused_attempts_do_not_push_the_wait_further(db: str, make_user, clock) -> None:
    make_user("ada@example.com")
    for _ in range(PER_PAIR.free):
        fail("ada@example.com", db, client=OWNER)
    for _ in range(3):
        clock.advance(seconds=1)
        refused("ada@example.com", db, password=WRONG, client=OWNER)

    clock.advance(seconds=PER_PAIR.first.total_seconds() - 3)  # the wait counts from the last failure
    assert sign_in("ada@example.com", PASSWORD, client=OWNER, db_url=db).user.email == "ada@example.com"


def test_failures_older_than_the_window_are_forgotten(db: str, make_user, clock) -> None:
    make_user("ada@example.com")
    for _ in range(PER_PAIR.free + 3):
        fail("ada@example.com", db, client=OWNER)
        clock.advance(seconds=PER_PAIR.longest.total_seconds())
    clock.advance(seconds=PER_PAIR.window.total_seconds())
    for _ in range(PER_PAIR.free):  # a full set of free attempts again
        fail("ada@example.com", db, client=OWNER)


def test_other_emails_are_not_affected(db: str, make_user) -> None:
    make_user("ada@example.com")
    make_user("leo@example.com")
    for _ in range(PER_PAIR.free):
        fail("ada@example.com", db, client=OWNER)
    refused("ada@example.com", db, client=OWNER)

    assert sign_in("leo@example.com", PASSWORD, client=OWNER, db_url=db).user.email == "leo@example.com"


def test_signing_in_clears_the_pairs_failures_but_not_a_strangers(db: str, make_user) -> None:
    make_user("ada@example.com")
    for _ in range(PER_PAIR.free):
        fail("ada@example.com", db, client=STRANGER)
    for _ in range(PER_PAIR.free - 1):
        fail("ada@example.com", db, client=OWNER)
    sign_in("ada@example.com", PASSWORD, client=OWNER, db_url=db)

    for _ in range(PER_PAIR.free):  # the owner has every free attempt again
        fail("ada@example.com", db, client=OWNER)
    refused("ada@example.com", db, password=WRONG, client=STRANGER)  # the stranger still waits


def test_one_client_address_gets_a_ceiling_across_emails(db: str, make_user) -> None:
    make_user("ada@example.com")
    for number in range(PER_CLIENT.attempts):  # a few guesses at many addresses, each pair under its own wait
        fail(f"person{number // PER_PAIR.free}@example.com", db, client=STRANGER)

    error = refused("ada@example.com", db, client=STRANGER)
    assert error.message.startswith("Too many sign-in attempts from your network.")
    assert sign_in("ada@example.com", PASSWORD, client=OWNER, db_url=db).user.email == "ada@example.com"


def test_signing_in_to_ones_own_account_does_not_refill_the_client_budget(db: str, make_user) -> None:
    make_user("mallory@example.com")
    for number in range(PER_CLIENT.attempts - 2):
        fail(f"victim{number // PER_PAIR.free}@example.com", db, client=STRANGER)
    fail("mallory@example.com", db, client=STRANGER)

    # clears mallory's failure for her e-mail, but it still counts for the address it came from
    sign_in("mallory@example.com", PASSWORD, client=STRANGER, db_url=db)

    fail("victim-next@example.com", db, client=STRANGER)  # the last attempt the address had left
    refused("victim-last@example.com", db, password=WRONG, client=STRANGER)
    refused("mallory@example.com", db, client=STRANGER)


def test_guesses_sent_at_the_same_moment_cannot_pass_the_limit_together(db: str, make_user) -> None:
    make_user("ada@example.com")

    def guess(_: int) -> str:
        try:
            sign_in("ada@example.com", WRONG, client=STRANGER, db_url=db)
        except TooManyAttempts:
            return "refused"
        except WrongCredentials:
            return "checked"
        return "signed in"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(guess, range(16)))

    assert outcomes.count("checked") <= PER_PAIR.free
    assert outcomes.count("refused") >= 16 - PER_PAIR.free


def test_only_a_hash_of_the_typed_email_is_stored(db: str, make_user) -> None:
    fail("Someone.Typo@Example.com", db, client=STRANGER)

    with session_scope(db) as session:
        rows = session.exec(select(SignInAttempt)).all()
    assert [(r.email_key, r.client) for r in rows] == [
        (hashlib.sha256(b"someone.typo@example.com").hexdigest(), STRANGER)]


def test_a_malformed_email_counts_only_against_the_client(db: str, make_user) -> None:
    for _ in range(PER_PAIR.free + 2):
        fail("not an e-mail", db)  # never "too many attempts for this e-mail": there is no such e-mail
    for _ in range(PER_PAIR.free + 2):
        fail("", db)
