"""What the browser needs to show Clerk's sign-in: where ClerkJS lives, from the publishable key.

A publishable key is `pk_test_` or `pk_live_` followed by the base64 of the instance's Frontend
API host and a `$`. ClerkJS is served by that host (Clerk's documented script-tag set-up);
CLERK_JS_URL overrides it for a proxy or a self-hosted copy.
"""

from __future__ import annotations

import base64
import binascii
import re

from bookbug.settings import Settings

CLERK_JS_MAJOR = "6"  # the ClerkJS major version the sign-in widget is written against
_KEY = re.compile(r"^pk_(test|live)_(?P<body>[A-Za-z0-9+/=_-]+)$")
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


class PublishableKeyError(ValueError):
    """CLERK_PUBLISHABLE_KEY is missing or not a Clerk publishable key."""


def frontend_api_host(publishable_key: str) -> str:
    match = _KEY.match(publishable_key.strip())
    if not match:
        raise PublishableKeyError("CLERK_PUBLISHABLE_KEY must look like pk_test_... or pk_live_... "
                                  "(copy it from Clerk's dashboard, API keys).")
    body = match["body"]
    try:
        decoded = base64.b64decode(body + "=" * (-len(body) % 4), validate=False).decode("ascii")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise PublishableKeyError("CLERK_PUBLISHABLE_KEY could not be decoded: copy it again from "
                                  "Clerk's dashboard.") from exc
    host = decoded[:-1] if decoded.endswith("$") else ""
    if not host or not _HOST.match(host):
        raise PublishableKeyError("CLERK_PUBLISHABLE_KEY does not name a Clerk Frontend API: copy it again "
                                  "from Clerk's dashboard.")
    return host


def clerk_js_url(settings: Settings) -> str:
    if settings.clerk_js_url.strip():
        return settings.clerk_js_url.strip()
    host = frontend_api_host(settings.clerk_publishable_key)
    return f"https://{host}/npm/@clerk/clerk-js@{CLERK_JS_MAJOR}/dist/clerk.browser.js"


def publishable_key_for(host: str, *, live: bool = False) -> str:
    """The publishable key of a Frontend API host (tests and local set-ups make their own)."""
    encoded = base64.b64encode(f"{host}$".encode("ascii")).decode("ascii").rstrip("=")
    return f"pk_{'live' if live else 'test'}_{encoded}"
