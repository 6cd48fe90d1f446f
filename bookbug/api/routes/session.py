"""The browser's session cookie: set by collecting a sign-in ticket, cleared by signing out.

These are the only places the cookie is written, so it can be HttpOnly (page scripts never
see it), Secure when APP_URL is https, and SameSite=Lax (sent when following a link here,
not with other sites' requests). The web app checks a password or a Clerk token over its
socket, then has the browser post the one-time ticket it got here; both routes answer with a
303 to a page of this site. Like every write, they are refused from other sites' pages
(bookbug/edge/origins.py), so no other site can sign a browser in or out.
"""

from __future__ import annotations

import asyncio
from typing import Literal, TypedDict
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request, status
from fastapi.responses import RedirectResponse, Response

from bookbug.services.accounts import sessions
from bookbug.services.accounts.tickets import redeem_ticket
from bookbug.services.web_session import COOKIE, HOME_AFTER_SIGN_IN, LOGIN_ROUTE, MAX_AGE, local_path, safe_next
from bookbug.settings import get_settings

router = APIRouter(prefix="/api/auth", tags=["browser session"])


async def _form(request: Request) -> dict[str, str]:
    """The posted form's fields (a browser's urlencoded form; the body is already size-limited)."""
    body = (await request.body()).decode("utf-8", "replace")
    return {name: values[0] for name, values in parse_qs(body, max_num_fields=10).items() if values}


class CookieOptions(TypedDict):
    """What setting and clearing the cookie agree on (a browser clears only a cookie that matches)."""

    key: str
    path: str
    httponly: bool
    secure: bool
    samesite: Literal["lax", "strict", "none"]


def _cookie_options() -> CookieOptions:
    return {"key": COOKIE, "path": "/", "httponly": True, "secure": get_settings().https, "samesite": "lax"}


@router.post("/session", include_in_schema=False, status_code=status.HTTP_303_SEE_OTHER)
async def collect_session(request: Request) -> Response:
    """Trade a sign-in ticket for the session cookie, then go on to `next`."""
    form = await _form(request)
    target = safe_next(form.get("next"), HOME_AFTER_SIGN_IN)
    signed = await asyncio.to_thread(redeem_ticket, form.get("ticket", ""),
                                     user_agent=request.headers.get("user-agent", ""))
    if signed is None:  # used, expired or made up: sign in again
        return RedirectResponse(f"{LOGIN_ROUTE}?{urlencode({'next': target})}", status_code=status.HTTP_303_SEE_OTHER)
    answer = RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)
    answer.set_cookie(value=signed.token, max_age=MAX_AGE, **_cookie_options())
    return answer


@router.post("/sign-out", include_in_schema=False, status_code=status.HTTP_303_SEE_OTHER)
async def sign_out(request: Request) -> Response:
    """End this browser's session and clear its cookie, then go on to `next` (default: home)."""
    form = await _form(request)
    token = request.cookies.get(COOKIE, "")
    if token:
        await asyncio.to_thread(sessions.sign_out, token)
    answer = RedirectResponse(local_path(form.get("next"), "/"), status_code=status.HTTP_303_SEE_OTHER)
    answer.delete_cookie(**_cookie_options())
    return answer
