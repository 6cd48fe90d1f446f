"""Who is looking: the signed-in user every page state builds on, checked on every event.

The session cookie is HttpOnly and set only by HTTP routes (api/routes/session.py); the page
never sees it, and neither does this state: the edge hands the socket the session's key
instead (services/web_session.py). The user is resolved from that key on the server, never
taken from anything the browser says about itself.

Every event handler of a page state is checked: `SessionState.__init_subclass__` wraps each
one so it first re-validates the session (against the database, at most a second old), and
when the session is gone (signed out everywhere, expired, the account demoted or deleted) it
signs the tab out instead of running: the tab's page data is cleared and the sign-in page
shown. A handler meant for signed-out visitors (the sign-in forms) is marked `@public`;
there is no third kind, so a new handler is checked unless someone decides otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

import reflex as rx
from reflex.event import EventSpec

from bookbug.providers.auth.roles import OPERATOR
from bookbug.providers.auth.sessions import user_for_session_key
from bookbug.services.web_session import AUTH_ROUTES, LOGIN_ROUTE, key_from_headers, safe_next

__all__ = ["AUTH_ROUTES", "LOGIN_ROUTE", "SessionState", "is_public", "public", "safe_next", "viewer_for"]

# any object: mypy takes an @rx.event handler for Reflex's EventNamespace, which is no Callable
Handler = TypeVar("Handler")

CHECK_SECONDS = 1.0  # how old a session check may be before an event checks again
_PUBLIC = "_bookbug_public"
_GUARDED = "_bookbug_guarded"


# -- the viewer behind a session key, checked at most a second ago --------------------------
@dataclass(frozen=True)
class Viewer:
    user_id: str
    email: str
    name: str
    operator: bool


_checked: dict[str, tuple[float, Viewer | None]] = {}
_checked_lock = threading.Lock()
_MAX_CHECKED = 10_000


def _look_up(key: str) -> Viewer | None:
    user = user_for_session_key(key)
    if user is None:
        return None
    return Viewer(user_id=user.id, email=user.email, name=user.display_name, operator=user.role == OPERATOR)


async def viewer_for(key: str) -> Viewer | None:
    """The signed-in viewer for a session key, or None; the database is asked again once the
    last answer is CHECK_SECONDS old, so a revoked session stops working within a second."""
    if not key:
        return None
    now = time.monotonic()
    with _checked_lock:
        known = _checked.get(key)
    if known is not None and now - known[0] < CHECK_SECONDS:
        return known[1]
    viewer = await asyncio.to_thread(_look_up, key)
    with _checked_lock:
        if len(_checked) >= _MAX_CHECKED:
            for stale in [k for k, (at, _) in _checked.items() if now - at >= CHECK_SECONDS]:
                del _checked[stale]
        _checked[key] = (now, viewer)
    return viewer


def forget(key: str) -> None:
    """Drop this process's last answer for a key (its session was just ended here)."""
    with _checked_lock:
        _checked.pop(key, None)


# -- which handlers need a session -----------------------------------------------------------
def public(fn: Handler) -> Handler:
    """Mark a handler as open to signed-out visitors (sign-in forms): it is not checked."""
    setattr(fn, _PUBLIC, True)
    return fn


def is_public(fn: Callable[..., Any]) -> bool:
    return bool(getattr(fn, _PUBLIC, False))


def is_guarded(fn: Callable[..., Any]) -> bool:
    return bool(getattr(fn, _GUARDED, False))


def _guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn`, run only while the tab's session holds; otherwise the tab is signed out."""
    background = bool(getattr(fn, "_reflex_background_task", False))
    streams = background and inspect.isasyncgenfunction(fn)  # a live task that asks its tab now and then
    if not streams and (inspect.isasyncgenfunction(fn) or inspect.isgeneratorfunction(fn)):
        raise TypeError(f"{fn.__qualname__}: page handlers return their events; they do not yield")

    if streams:
        @functools.wraps(fn)
        async def checked_stream(self: SessionState, *args: Any, **kwargs: Any) -> Any:
            async with self:
                refusal = None if await self._session_holds() else self._sign_tab_out()
            if refusal is not None:
                yield refusal
                return
            # closed with this wrapper (not left to the garbage collector), so the task's own
            # `finally` (clearing its "watching" mark) runs as soon as Reflex stops it
            async with contextlib.aclosing(fn(self, *args, **kwargs)) as events:
                async for event in events:
                    yield event

        wrapper: Callable[..., Any] = checked_stream
    elif background:
        @functools.wraps(fn)
        async def checked_background(self: SessionState, *args: Any, **kwargs: Any) -> Any:
            async with self:
                refusal = None if await self._session_holds() else self._sign_tab_out()
            if refusal is not None:
                return refusal
            return await fn(self, *args, **kwargs)

        wrapper = checked_background
    else:
        @functools.wraps(fn)
        async def checked(self: SessionState, *args: Any, **kwargs: Any) -> Any:
            if not await self._session_holds():
                return self._sign_tab_out()
            result = fn(self, *args, **kwargs)
            return await result if inspect.isawaitable(result) else result

        wrapper = checked
    setattr(wrapper, _GUARDED, True)
    return wrapper


class SessionState(rx.State):
    """The viewer. Page states subclass it; every handler they define is checked (see above)."""

    viewer_email: str = ""
    viewer_name: str = ""
    viewer_is_operator: bool = False

    _viewer_id: str = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        for name, value in list(cls.__dict__.items()):
            if rx.State._item_is_event_handler(name, value) and not is_public(value):
                setattr(cls, name, _guard(value))
        super().__init_subclass__(**kwargs)

    @rx.var
    def signed_in(self) -> bool:
        return bool(self.viewer_email)

    def _remember(self, viewer: Viewer | None) -> None:
        self._viewer_id = viewer.user_id if viewer else ""
        self.viewer_email = viewer.email if viewer else ""
        self.viewer_name = viewer.name if viewer else ""
        self.viewer_is_operator = bool(viewer and viewer.operator)

    def _session_key(self) -> str:
        """The key the edge put on this tab's socket ("" when its browser is signed out)."""
        return key_from_headers(self.router.headers.raw_headers) if self.router else ""

    async def _current_user_id(self) -> str:
        """The signed-in user's id, or "" when signed out; checked against the database (at
        most a second ago), with the viewer's name and role brought up to date."""
        self._remember(await viewer_for(self._session_key()))
        return self._viewer_id

    async def _session_holds(self) -> bool:
        return bool(await self._current_user_id())

    async def _still_viewing_as(self, user_id: str) -> bool:
        """For long-running tasks: whether this tab is still signed in as `user_id`."""
        viewer = await viewer_for(self._session_key())
        return viewer is not None and viewer.user_id == user_id

    def _session_root(self) -> SessionState:
        # by name, not type(): in a background task `self` is Reflex's proxy of the state
        state: Any = self
        while state.get_full_name() != SessionState.get_full_name() and state.parent_state is not None:
            state = state.parent_state
        return state

    def _sign_tab_out(self) -> EventSpec:
        """The session is gone: forget everything the tab's pages hold, show the sign-in page."""
        self._session_root().reset()
        return self._to_login()

    def _path_id(self) -> str:
        """The id in a /section/<id> URL (the route's [book_id])."""
        parts = [part for part in str(self.router.url.path or "").split("/") if part]
        return parts[1] if len(parts) >= 2 else ""

    def _viewing(self, prefix: str, book_id: str) -> bool:
        """Whether this viewer's latest page is still prefix/book_id (background tasks ask)."""
        return str(self.router.url.path or "").rstrip("/") == f"{prefix}/{book_id}"

    @public
    @rx.event
    async def load_viewer(self) -> None:
        await self._current_user_id()

    def _to_login(self) -> EventSpec:
        """To the sign-in page, which brings the viewer back here afterwards."""
        here = (str(self.router.url.path or "").rstrip("/") or "/") if self.router else "/"
        query = str(self.router.url.query or "") if self.router else ""
        target = here + (f"?{query}" if query else "")
        if safe_next(target, "") in ("", "/"):
            return rx.redirect(LOGIN_ROUTE)
        return rx.redirect(f"{LOGIN_ROUTE}?{urlencode({'next': target})}")

    def _after_sign_in(self, home: str) -> str:
        """The page the sign-in page was asked to return to (`?next=`), else `home`."""
        wanted = self.router.url.query_parameters.get("next") if self.router else None
        return safe_next(wanted, home)
