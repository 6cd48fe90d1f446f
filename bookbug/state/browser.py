"""Scripts a handler sends the browser, for what state must not carry.

`post_to` navigates by posting a form to one of this site's HTTP routes: only an HTTP answer
can set or clear the HttpOnly session cookie. `show_once` writes a secret (a new API token)
into the page without keeping it in state, which is synced to the browser and stored in the
state manager. The values travel once, in the event that runs the script.
"""

from __future__ import annotations

import json

import reflex as rx
from reflex.event import EventSpec

SESSION_ROUTE = "/api/auth/session"  # api/routes/session.py: collect a sign-in ticket
SIGN_OUT_ROUTE = "/api/auth/sign-out"


def post_script(action: str, fields: dict[str, str]) -> str:
    """JavaScript that posts `fields` to `action` as a form (a full navigation)."""
    return (
        "(() => { const form = document.createElement('form'); form.method = 'post'; "
        f"form.action = {json.dumps(action)}; form.style.display = 'none'; "
        f"for (const [name, value] of Object.entries({json.dumps(fields)})) {{ "
        "const input = document.createElement('input'); input.type = 'hidden'; input.name = name; "
        "input.value = value; form.appendChild(input); } "
        "document.body.appendChild(form); form.submit(); })()"
    )


def post_to(action: str, fields: dict[str, str]) -> EventSpec:
    return rx.call_script(post_script(action, fields))


def show_once(element_id: str, text: str) -> EventSpec:
    """Put `text` into the element with this id (waiting a moment for it to appear)."""
    return rx.call_script(
        f"(function show(tries) {{ const node = document.getElementById({json.dumps(element_id)}); "
        f"if (node) {{ node.textContent = {json.dumps(text)}; }} "
        "else if (tries > 0) { setTimeout(() => show(tries - 1), 50); } })(60)"
    )
