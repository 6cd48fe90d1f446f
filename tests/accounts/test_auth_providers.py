"""The auth-provider seam: the factory's choice, LocalAuth's two token kinds, Bearer parsing."""

from __future__ import annotations

import pytest

from bookbug.providers.auth import bearer_token, get_auth_provider
from bookbug.providers.auth.clerk import ClerkAuth
from bookbug.providers.auth.local import LocalAuth
from bookbug.services.accounts.api_tokens import create_api_token
from bookbug.services.accounts.sessions import sign_out
from bookbug.services.accounts.sign_in import sign_in
from bookbug.settings import Settings, reset_settings
from tests.accounts.conftest import PASSWORD
from tests.standins.clerk import ClerkKeys


def test_local_accounts_are_the_default() -> None:
    assert isinstance(get_auth_provider(), LocalAuth)


def test_clerk_is_chosen_when_its_secret_key_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLERK_SECRET_KEY", "sk_test_x")
    monkeypatch.setenv("CLERK_JWT_KEY", ClerkKeys().public_pem)
    reset_settings()

    provider = get_auth_provider()

    assert isinstance(provider, ClerkAuth) and provider.name == "clerk"


def test_local_auth_accepts_session_tokens_and_api_tokens(db: str, make_user) -> None:
    ada = make_user("ada@example.com")
    session_token = sign_in("ada@example.com", PASSWORD, db_url=db).token
    api_token = create_api_token(ada.id, "cli", db_url=db).token
    auth = get_auth_provider(Settings(), db_url=db)

    assert auth.authenticate(session_token).id == ada.id
    assert auth.authenticate(api_token).id == ada.id
    sign_out(session_token, db_url=db)
    assert auth.authenticate(session_token) is None
    assert auth.authenticate("") is None


@pytest.mark.parametrize(("header", "token"), [
    ("Bearer bb_abc", "bb_abc"),
    ("bearer   bb_abc  ", "bb_abc"),
    ("Basic dXNlcjpwYXNz", ""),
    ("bb_abc", ""),
    ("", ""),
    (None, ""),
])
def test_bearer_token_reads_only_the_bearer_scheme(header: str | None, token: str) -> None:
    assert bearer_token(header) == token
