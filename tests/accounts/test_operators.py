"""Who is an operator: the first account (exactly one, however many register at once), the
start-up log saying who, and `bookbug-admin` granting and revoking the role."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import select

from bookbug import admin, startup
from bookbug.db.accounts import User
from bookbug.db.session import session_scope
from bookbug.providers.auth.roles import FIRST_OPERATOR, OPERATOR, USER
from bookbug.services.accounts import registration
from bookbug.settings import Settings, reset_settings
from tests.accounts.conftest import PASSWORD


def roles(db: str) -> dict[str, str]:
    with session_scope(db) as session:
        return {user.email: user.role for user in session.exec(select(User)).all()}


@pytest.mark.parametrize("round_", range(3))
def test_of_simultaneous_first_registrations_exactly_one_becomes_operator(db: str, round_: int) -> None:
    settings = Settings()  # no OPERATOR_EMAILS
    barrier = threading.Barrier(8)

    def register(n: int) -> None:
        barrier.wait()
        registration.register(f"first{n}@example.com", PASSWORD, db_url=db, settings=settings)

    threads = [threading.Thread(target=register, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    found = roles(db)
    assert len(found) == 8  # every registration went through
    assert list(found.values()).count(OPERATOR) == 1


def test_a_site_whose_users_came_before_the_claim_gets_no_new_operator(db: str, make_user) -> None:
    make_user("early@example.com")
    with session_scope(db) as session:  # as on a site set up before the first operator was recorded
        from bookbug.db import AppSetting

        session.delete(session.get(AppSetting, FIRST_OPERATOR))
    assert make_user("later@example.com").role == USER


def test_start_up_says_who_the_operators_are(sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)  # empty: start-up migrates it
    reset_settings()
    assert startup.main() == 0
    assert "No operator yet: the first account registered becomes the operator" in capsys.readouterr().out
    registration.register("ada@example.com", PASSWORD)
    assert startup.main() == 0
    assert "Operator: ada@example.com (the first account registered" in capsys.readouterr().out
    monkeypatch.setenv("OPERATOR_EMAILS", "leo@example.com")
    reset_settings()
    assert startup.main() == 0
    assert "Operators (OPERATOR_EMAILS): leo@example.com." in capsys.readouterr().out


def test_bookbug_admin_grants_and_revokes_the_operator_role(db: str, make_user, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", db)
    reset_settings()
    make_user("ada@example.com")  # the first: operator
    make_user("leo@example.com")
    assert admin.main(["grant", "Leo@Example.com"]) == 0
    assert capsys.readouterr().out.strip() == "leo@example.com is now an operator."
    assert roles(db)["leo@example.com"] == OPERATOR
    assert admin.main(["revoke", "ada@example.com"]) == 0
    assert roles(db) == {"ada@example.com": USER, "leo@example.com": OPERATOR}
    assert admin.main(["list"]) == 0
    assert "leo@example.com" in capsys.readouterr().out
    assert admin.main(["grant", "nobody@example.com"]) == 1
    assert "There is no account with the e-mail nobody@example.com." in capsys.readouterr().err


def test_bookbug_admin_defers_to_operator_emails(db: str, make_user, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", db)
    monkeypatch.setenv("OPERATOR_EMAILS", "ada@example.com")
    reset_settings()
    make_user("leo@example.com")
    assert admin.main(["grant", "leo@example.com"]) == 1
    assert "OPERATOR_EMAILS is set, so it alone decides" in capsys.readouterr().err
    assert roles(db)["leo@example.com"] == USER
