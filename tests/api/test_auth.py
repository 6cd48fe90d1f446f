"""Who may call the API: tokens from e-mail and password, missing/expired/revoked tokens,
the web app's session cookie, and the error envelope every refusal uses."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from bookbug.db import ApiToken, session_scope, utcnow
from bookbug.services import sign_in_limits
from bookbug.services.accounts.api_tokens import create_api_token
from bookbug.services.accounts.sessions import list_sessions, sign_out
from bookbug.services.accounts.sign_in import sign_in
from tests.api.conftest import PASSWORD, Caller
from tests.support.api import assert_error


async def test_a_request_without_a_token_is_401_with_the_envelope(client: httpx.AsyncClient) -> None:
    answer = await client.get("/api/books")
    assert_error(answer, 401, "unauthorized")
    assert answer.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("token", ["bb_not-a-real-token", "bbs_unknown-session", "garbage", "Bearer"])
async def test_an_unknown_token_is_401(client: httpx.AsyncClient, token: str) -> None:
    assert_error(await client.get("/api/books", headers={"Authorization": f"Bearer {token}"}), 401, "unauthorized")


async def test_an_expired_token_is_401(client: httpx.AsyncClient, alice: Caller) -> None:
    token = create_api_token(alice.user_id, "short-lived", expires_in=timedelta(minutes=5))
    headers = {"Authorization": f"Bearer {token.token}"}
    assert (await client.get("/api/books", headers=headers)).status_code == 200
    with session_scope() as session:
        record = session.get(ApiToken, token.id)
        assert record is not None
        record.expires_at = utcnow() - timedelta(seconds=1)
    assert_error(await client.get("/api/books", headers=headers), 401, "unauthorized")


async def test_a_revoked_token_stops_working_at_once(client: httpx.AsyncClient, alice: Caller) -> None:
    assert (await client.get("/api/me", headers=alice.headers)).json()["email"] == alice.email
    answer = await client.delete(f"/api/auth/tokens/{alice.token_id}", headers=alice.headers)
    assert answer.status_code == 204
    assert_error(await client.get("/api/me", headers=alice.headers), 401, "unauthorized")


async def test_email_and_password_give_a_token_shown_once(client: httpx.AsyncClient, alice: Caller) -> None:
    answer = await client.post("/api/auth/token", json={"email": alice.email, "password": PASSWORD, "name": "laptop"})
    assert answer.status_code == 201, answer.text
    new = answer.json()
    assert new["token"].startswith("bb_") and new["name"] == "laptop"
    me = await client.get("/api/me", headers={"Authorization": f"Bearer {new['token']}"})
    assert me.json()["id"] == alice.user_id
    listed = (await client.get("/api/auth/tokens", headers=alice.headers)).json()
    assert {t["id"] for t in listed} == {alice.token_id, new["id"]}
    assert all("token" not in t for t in listed)
    # no browser session is left behind by a token login
    assert list_sessions(alice.user_id) == []


async def test_a_wrong_password_is_401_and_names_no_field(client: httpx.AsyncClient, alice: Caller) -> None:
    answer = await client.post("/api/auth/token", json={"email": alice.email, "password": "not the password"})
    assert_error(answer, 401, "wrong_credentials")
    unknown = await client.post("/api/auth/token", json={"email": "nobody@example.com", "password": PASSWORD})
    assert unknown.json()["error"]["message"] == answer.json()["error"]["message"]


async def test_repeated_wrong_passwords_for_an_email_wait_longer_with_retry_after(client: httpx.AsyncClient,
                                                                                  alice: Caller, bob: Caller) -> None:
    for email in (alice.email, "nobody@example.com"):
        for _ in range(sign_in_limits.PER_PAIR.free):
            wrong = await client.post("/api/auth/token", json={"email": email, "password": "not the password"})
            assert_error(wrong, 401, "wrong_credentials")

    answer = await client.post("/api/auth/token", json={"email": alice.email, "password": PASSWORD})
    error = assert_error(answer, 429, "throttled")
    assert error["message"] == "Too many sign-in attempts for this e-mail address. Please try again in 5 seconds."
    assert int(answer.headers["Retry-After"]) == 5
    unknown = await client.post("/api/auth/token", json={"email": "nobody@example.com", "password": PASSWORD})
    assert unknown.status_code == 429 and unknown.json() == answer.json()  # says nothing about who has an account
    assert (await client.post("/api/auth/token", json={"email": bob.email, "password": PASSWORD})).status_code == 201


async def test_one_address_guessing_many_emails_is_429_for_every_email(client: httpx.AsyncClient,
                                                                        alice: Caller) -> None:
    for number in range(sign_in_limits.PER_CLIENT.attempts):
        email = f"guess{number // sign_in_limits.PER_PAIR.free}@example.com"  # each pair stays under its wait
        assert (await client.post("/api/auth/token", json={"email": email, "password": "x"})).status_code == 401

    answer = await client.post("/api/auth/token", json={"email": alice.email, "password": PASSWORD})
    error = assert_error(answer, 429, "throttled")
    assert "from your network" in str(error["message"]) and int(answer.headers["Retry-After"]) >= 1


async def test_a_token_request_without_a_password_is_422_naming_it(client: httpx.AsyncClient) -> None:
    assert_error(await client.post("/api/auth/token", json={"email": "a@example.com"}), 422, "invalid_input", "password")


async def test_a_blank_token_name_is_422_naming_it(client: httpx.AsyncClient, alice: Caller) -> None:
    answer = await client.post("/api/auth/token", json={"email": alice.email, "password": PASSWORD, "name": "  "})
    assert_error(answer, 422, "invalid_input", "name")


async def test_someone_elses_token_cannot_be_revoked(client: httpx.AsyncClient, alice: Caller, bob: Caller) -> None:
    assert_error(await client.delete(f"/api/auth/tokens/{bob.token_id}", headers=alice.headers), 404, "not_found")
    assert (await client.get("/api/me", headers=bob.headers)).status_code == 200


async def test_the_web_apps_session_cookie_is_accepted(client: httpx.AsyncClient, alice: Caller) -> None:
    signed_in = sign_in(alice.email, PASSWORD)
    answer = await client.get("/api/me", headers={"Cookie": f"bookbug_session={signed_in.token}"})
    assert answer.status_code == 200 and answer.json()["id"] == alice.user_id
    sign_out(signed_in.token)
    assert_error(await client.get("/api/me", headers={"Cookie": f"bookbug_session={signed_in.token}"}), 401, "unauthorized")


async def test_an_unknown_endpoint_is_a_404_envelope(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/api/nothing-here"), 404, "not_found")


async def test_the_openapi_schema_and_docs_are_served(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/openapi.json")).json()
    for path in ("/api/books", "/api/books/{book_id}", "/api/chat/{book_id}/message", "/api/chat/{book_id}/history",
                 "/api/chat/{book_id}/approve", "/api/jobs/{book_id}", "/api/jobs/{book_id}/stream",
                 "/api/jobs/{book_id}/cancel", "/api/books/{book_id}/pdf", "/api/auth/token"):
        assert path in schema["paths"], path
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    assert (await client.get("/api/docs")).status_code == 200
