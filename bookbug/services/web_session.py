"""The web app's session cookie, and how the app's socket learns whose it is.

The cookie is set and cleared only by HTTP routes (POST /api/auth/session and
/api/auth/sign-out), HttpOnly, Secure when APP_URL is https, SameSite=Lax. Page scripts can
never read it.

The web app's state lives behind a websocket, and Reflex keeps each tab's connection headers
in its state (and so in the state manager, Redis in production). So the cookie must not reach
Reflex: the edge (`bookbug/edge/socket_session.py`) takes it off the socket's handshake and
puts the session's key there instead (the hash the database keeps in place of the token).
The key finds the session but opens nothing: no door accepts it from a client, and the edge
drops any such header a client sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from http.cookies import CookieError, SimpleCookie

LOGIN_ROUTE = "/login"
AUTH_ROUTES = (LOGIN_ROUTE, "/register")  # the sign-in pages: never a place to return to
HOME_AFTER_SIGN_IN = "/books"

COOKIE = "bookbug_session"
KEY_HEADER = "x-bookbug-session-key"
MAX_AGE = int(timedelta(days=30).total_seconds())


def cookie_value(cookie_header: str, name: str = COOKIE) -> str:
    """The value of cookie `name` in a Cookie header ("" when it is missing or unreadable)."""
    jar = SimpleCookie()
    try:
        jar.load(cookie_header or "")
    except CookieError:
        # one malformed cookie (set by some other app on this host) must not hide ours
        for part in (cookie_header or "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value.strip()
        return ""
    morsel = jar.get(name)
    return morsel.value if morsel is not None else ""


def key_from_headers(headers: Mapping[str, str]) -> str:
    """The session key the edge put on the socket's handshake ("" for a signed-out tab)."""
    return str(headers.get(KEY_HEADER, "") or "").strip()


def local_path(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, never another site (`//host`, `/\\host`)."""
    target = (target or "").strip()
    if not target.startswith("/") or target.startswith(("//", "/\\")) or any(c in target for c in "\r\n\\"):
        return fallback
    return target


def safe_next(target: str | None, fallback: str) -> str:
    """Where to go after signing in: a path on this site, never another site nor back to the
    sign-in pages."""
    path = local_path(target, "")
    if not path or path.split("?", 1)[0].rstrip("/") in AUTH_ROUTES:
        return fallback
    return path
