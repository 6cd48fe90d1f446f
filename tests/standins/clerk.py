"""Clerk stand-ins: a signing key that mints session tokens, and the Backend API's users endpoint.

`ClerkKeys` makes a fresh RSA key pair; `public_pem` is what CLERK_JWT_KEY holds and `mint()`
signs RS256 session tokens shaped like Clerk's v2 ones (sub, sid, azp, iat, nbf, exp, v):

    keys = ClerkKeys()
    token = keys.mint("user_123", azp="http://localhost:3000", email="ada@example.com")
    keys.mint("user_123", expires_in=-60)          # already expired

`ClerkApiStandIn` serves `GET /v1/users/{id}` on 127.0.0.1 (a random free port) for the real
clerk-backend-api SDK; point CLERK_API_URL at `api.api_url`:

    with ClerkApiStandIn(secret_key="sk_test_standin") as api:
        api.add_user("user_123", email="ada@example.com", first_name="Ada")
        ... api.requests  # user ids fetched, in order
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

SECRET_KEY = "sk_test_standin_secret"
_USER = re.compile(r"^/v1/users/(?P<id>[^/?]+)$")


class ClerkKeys:
    """An RSA key pair standing in for a Clerk instance's session-token signing key."""

    def __init__(self, kid: str = "ins_standin") -> None:
        self.kid = kid
        self._private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    @property
    def public_pem(self) -> str:
        return self._private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")

    def mint(self, sub: str, *, azp: str | None = "http://localhost:3000", expires_in: float = 60,
             issued_ago: float = 0, **claims: Any) -> str:
        """A signed session token for Clerk user `sub`; extra keyword arguments become claims."""
        now = int(time.time() - issued_ago)
        payload: dict[str, Any] = {
            "sub": sub, "sid": f"sess_{uuid.uuid4().hex[:16]}", "iss": "https://standin.clerk.accounts.dev",
            "iat": now, "nbf": now - 5, "exp": int(now + expires_in), "v": 2, "fva": [0, -1],
        }
        if azp is not None:
            payload["azp"] = azp
        payload.update(claims)
        return jwt.encode(payload, self._private, algorithm="RS256", headers={"kid": self.kid})


def _clerk_user(user_id: str, email: str | None, first_name: str | None, last_name: str | None) -> dict[str, Any]:
    """The fields Clerk's `GET /users/{id}` returns that the SDK's User model requires."""
    stamp = int(time.time() * 1000)
    addresses = []
    if email is not None:
        addresses.append({
            "id": "idn_" + uuid.uuid4().hex[:16], "object": "email_address", "email_address": email,
            "reserved": False, "verification": None, "linked_to": [], "created_at": stamp, "updated_at": stamp,
        })
    return {
        "id": user_id, "object": "user", "external_id": None,
        "primary_email_address_id": addresses[0]["id"] if addresses else None, "primary_phone_number_id": None,
        "primary_web3_wallet_id": None, "web3_wallets": [],
        "username": None, "first_name": first_name, "last_name": last_name, "has_image": False,
        "public_metadata": {}, "email_addresses": addresses, "phone_numbers": [], "passkeys": [],
        "password_enabled": True, "two_factor_enabled": False, "totp_enabled": False,
        "backup_code_enabled": False, "mfa_enabled_at": None, "mfa_disabled_at": None,
        "external_accounts": [], "saml_accounts": [], "enterprise_accounts": [], "last_sign_in_at": stamp,
        "banned": False, "locked": False, "lockout_expires_in_seconds": None,
        "verification_attempts_remaining": None, "updated_at": stamp, "created_at": stamp,
        "delete_self_enabled": True, "create_organization_enabled": False, "last_active_at": stamp,
        "legal_accepted_at": None,
    }


class ClerkApiStandIn:
    def __init__(self, *, secret_key: str = SECRET_KEY) -> None:
        self.secret_key = secret_key
        self.users: dict[str, dict[str, Any]] = {}
        self.requests: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        # a short poll interval makes shutdown (every test's teardown) quick
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def api_url(self) -> str:
        """The SDK's server URL (Clerk's is https://api.clerk.com/v1)."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def add_user(self, user_id: str, *, email: str | None, first_name: str | None = None,
                 last_name: str | None = None) -> None:
        self.users[user_id] = _clerk_user(user_id, email, first_name, last_name)

    def __enter__(self) -> ClerkApiStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _answer(self, path: str, authorization: str) -> tuple[int, dict[str, Any]]:
        if authorization != f"Bearer {self.secret_key}":
            return 401, _errors("Unauthorized", "authentication_invalid")
        match = _USER.match(path)
        if match is None:
            return 404, _errors("Not Found", "resource_not_found")
        self.requests.append(match["id"])
        user = self.users.get(match["id"])
        if user is None:
            return 404, _errors("User not found", "resource_not_found")
        return 200, user

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                status, body = standin._answer(self.path, self.headers.get("Authorization", ""))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def _errors(message: str, code: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "long_message": message, "code": code}]}
