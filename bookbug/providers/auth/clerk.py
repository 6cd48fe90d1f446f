"""Clerk: session tokens verified on our server, Clerk users mapped to our users table.

How a request is authenticated
    A bearer value starting with `bb_` is one of our personal API tokens (the REST API and the
    CLI work the same with Clerk on); one starting with `bbs_` is a Bookbug browser session,
    opened by the web app once a Clerk token was verified (`state/clerk_auth.py`). Anything else is taken as a Clerk session token (a short-
    lived RS256 JWT) and checked by clerk-backend-api's `authenticate_request` against
    CLERK_JWT_KEY, with no network call: signature, expiry (5 s clock skew), and the `azp`
    claim against CLERK_AUTHORIZED_PARTIES (default: APP_URL, so a token minted for another
    site is refused). Only session tokens are accepted: Clerk machine tokens would make the
    SDK call Clerk's API on every request. The token's `sub` (Clerk user id) finds our user
    by `users.clerk_id`; on first sight a row is created, its e-mail taken from the token's
    `email` claim (add it to the session-token template in Clerk's dashboard), else fetched
    once from the Backend API (`GET /users/{id}` through the SDK at CLERK_API_URL), else a
    placeholder under `users.clerk.invalid` that a later token's `email` claim replaces.
    Networkless checks cannot see a session revoked at Clerk; Clerk keeps session tokens
    valid for about a minute, so that is how long a revoked browser stays in.

Web UI decision: a hand-wired Clerk provider, not reflex-clerk-api
    reflex-clerk-api requires clerk-backend-api < 3, and Bookbug pins 7.0.0. Going back would
    lose what we rely on: 7.x scopes its JWKS cache per Clerk instance (a kid cached for one
    instance can no longer verify another instance's tokens) and filters token types
    (`accepts_token`). The library's server half is a Reflex State that only Reflex events
    can use, while the REST API and the CLI need the same check outside Reflex; that check
    is this module. So the UI needs only Clerk's browser script: `components/clerk.py` loads
    ClerkJS the way Clerk documents for plain JavaScript, mounts its SignIn/SignUp forms, and
    reports the session's token to `state/clerk_auth.py`, which verifies it here and opens a
    Bookbug browser session (a revocable `bbs_` cookie, like local accounts), so page loads,
    image and PDF requests need no Clerk token of their own. Every page load re-presents a
    fresh Clerk token; Clerk reporting no session ends the Bookbug one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx
from clerk_backend_api import Clerk
from clerk_backend_api.models import ClerkBaseError
from clerk_backend_api.security import AuthenticateRequestOptions, authenticate_request
from clerk_backend_api.utils import BackoffStrategy, RetryConfig

from bookbug.db.accounts import User
from bookbug.providers.auth.api_tokens import is_api_token, user_for_api_token
from bookbug.providers.auth.clerk_users import create_clerk_user, user_for_clerk_id
from bookbug.providers.auth.sessions import is_session_token, user_for_session
from bookbug.settings import Settings, get_settings

log = logging.getLogger(__name__)

# A user's first request waits for this lookup, so fail fast and fall back to a placeholder.
_PROFILE_TIMEOUT_MS = 5000
_PROFILE_RETRIES = RetryConfig("backoff", BackoffStrategy(100, 1000, 2.0, 3000), False)


class ClerkConfigError(ValueError):
    """Clerk is switched on but cannot verify tokens as configured."""


@dataclass(frozen=True)
class ClerkProfile:
    email: str | None
    display_name: str


class _BearerRequest:
    """The smallest `Requestish` for `authenticate_request`: one Authorization header."""

    def __init__(self, token: str) -> None:
        self.headers = {"Authorization": f"Bearer {token}"}


class ClerkAuth:
    name = "clerk"

    def __init__(self, settings: Settings | None = None, *, db_url: str | None = None) -> None:
        self._settings = settings or get_settings()
        self._db_url = db_url
        if not self._settings.clerk_jwt_key.strip():
            # Without it the SDK would fetch keys from api.clerk.com on every cold cache,
            # ignoring CLERK_API_URL; we verify networklessly only.
            raise ClerkConfigError(
                "CLERK_JWT_KEY is not set: copy the PEM public key from Clerk's dashboard (API keys, "
                "'Show JWT public key') so session tokens can be verified on this server."
            )
        parties = self._settings.clerk_authorized_parties or [self._settings.app_url.rstrip("/")]
        self._options = AuthenticateRequestOptions(
            secret_key=self._settings.clerk_secret_key or None,
            jwt_key=self._settings.clerk_jwt_key,
            authorized_parties=parties,
            accepts_token=["session_token"],
        )

    def authenticate(self, token: str) -> User | None:
        if not token:
            return None
        if is_api_token(token):
            return user_for_api_token(token, db_url=self._db_url, settings=self._settings)
        if is_session_token(token):  # the web app's cookie, opened by sign_in_browser
            return user_for_session(token, db_url=self._db_url, settings=self._settings)
        return self.user_for_clerk_token(token)

    def user_for_clerk_token(self, token: str) -> User | None:
        """The user behind a Clerk session token (created on first sight), or None."""
        claims = self.verify(token)
        if claims is None:
            return None
        clerk_id = claims.get("sub")
        if not isinstance(clerk_id, str) or not clerk_id or len(clerk_id) > 255:
            return None
        email = claims.get("email") if isinstance(claims.get("email"), str) else None
        user = user_for_clerk_id(clerk_id, email=email, db_url=self._db_url, settings=self._settings)
        if user is not None:
            return user
        profile = self._profile_from_claims(claims) if email else self.fetch_profile(clerk_id)
        return create_clerk_user(clerk_id, email=profile.email, display_name=profile.display_name,
                                 db_url=self._db_url, settings=self._settings)

    def verify(self, token: str) -> dict[str, Any] | None:
        """The claims of a valid Clerk session token, or None (the reason is logged)."""
        state = authenticate_request(_BearerRequest(token), self._options)
        if not state.is_signed_in or state.payload is None:
            log.info("Clerk session token refused: %s", state.message)
            return None
        return state.payload

    @staticmethod
    def _profile_from_claims(claims: dict[str, Any]) -> ClerkProfile:
        name = claims.get("name")
        return ClerkProfile(email=claims.get("email"), display_name=name if isinstance(name, str) else "")

    def fetch_profile(self, clerk_id: str) -> ClerkProfile:
        """The user's primary e-mail and name from Clerk's Backend API; empty when unreachable."""
        try:
            with Clerk(bearer_auth=self._settings.clerk_secret_key, server_url=self._settings.clerk_api_url or None,
                       timeout_ms=_PROFILE_TIMEOUT_MS, retry_config=_PROFILE_RETRIES) as clerk:
                found = clerk.users.get(user_id=clerk_id)
        except (ClerkBaseError, httpx.HTTPError) as exc:
            log.warning("Could not fetch Clerk user %s (%s); a placeholder e-mail is used until a token carries one",
                        clerk_id, exc)
            return ClerkProfile(email=None, display_name="")
        addresses = {entry.id: entry.email_address for entry in found.email_addresses}
        email = addresses.get(found.primary_email_address_id) if found.primary_email_address_id else None
        if email is None and found.email_addresses:
            email = found.email_addresses[0].email_address
        name = " ".join(part for part in (found.first_name, found.last_name) if part) or found.username or ""
        return ClerkProfile(email=email, display_name=name)
