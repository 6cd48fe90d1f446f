"""Browser fixtures: the app started the way the README starts it (one server for the
browser module) and Debian's Chromium driven by Playwright. No browser is ever downloaded."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bookbug.settings import ROOT
from tests.app_server import LiveApp, run_app
from tests.support.browser import FinishedBook, make_finished_book, register, sign_in

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
SCREENSHOTS = ROOT / "docs" / "images"
OPERATOR_EMAIL = "operator@example.com"
BOOK_OWNER = "owner@example.com"  # the finished_book's family: no test registers it itself
# the same story as the journey's, so the screenshots taken of either book tell one story
BOOK_ANSWERS = ("Mia, who is 5 and loves boats", "A brave little dragon called Ember who is afraid of the dark")


def chromium_path() -> str:
    """BOOKBUG_TEST_CHROMIUM, else Debian's /usr/bin/chromium; skip (fail under CI) without one."""
    path = os.environ.get("BOOKBUG_TEST_CHROMIUM") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else "")
    if not path or not (Path(path).exists() or shutil.which(path)):
        message = ("no Chromium: set BOOKBUG_TEST_CHROMIUM or `apt-get install chromium` "
                   "(these tests never download a browser)")
        if IN_CI:
            pytest.fail(message + " (CI=true, so this is a failure, not a skip)")
        pytest.skip(message)
    return path


@contextmanager
def embedded_app(port: int | None = None, **overrides: str) -> Iterator[LiveApp]:
    """The app on its embedded defaults (plus `overrides`), in a private data folder.

    While iterating, BOOKBUG_TEST_APP_URL names an app already started that way (and kept
    running) instead: tests that need the app's own folder or settings are not for it.
    """
    chromium_path()  # skip before the slow start when there is no browser
    if os.environ.get("BOOKBUG_TEST_APP_URL") and not overrides and port is None:
        folder = Path(tempfile.mkdtemp(prefix="bookbug-browser-"))
        yield LiveApp(os.environ["BOOKBUG_TEST_APP_URL"].rstrip("/"), folder, folder / "app.log")
        return
    # Not under pytest's basetemp: other pytest sessions on the machine prune old basetemps,
    # which would delete the running app's database. The log is kept when a test failed.
    data_dir = Path(tempfile.mkdtemp(prefix="bookbug-browser-"))
    # Embedded defaults, whatever the developer's shell holds: offline writer and illustrator,
    # SQLite in the data folder, the in-process worker, a known operator.
    env = {"DATABASE_URL": f"sqlite:///{data_dir / 'bookbug.db'}", "REDIS_URL": "", "ANTHROPIC_API_KEY": "",
           "REPLICATE_API_TOKEN": "", "CLERK_SECRET_KEY": "", "CLERK_PUBLISHABLE_KEY": "", "CLERK_JWT_KEY": "",
           "S3_BUCKET": "", "OPERATOR_EMAILS": OPERATOR_EMAIL, "BOOKS_PER_MINUTE": "20",
           # A private frontend build and state folder: another app started from this work tree
           # (a developer's `make run`, another test session) rebuilds the shared .web/, and a
           # page whose scripts were replaced under it never connects.
           "REFLEX_WEB_WORKDIR": str(data_dir / "web"), "REFLEX_STATES_WORKDIR": str(data_dir / "states")}
    env.update(overrides)
    with run_app(data_dir, port=port, **env) as app:
        yield app
    shutil.rmtree(data_dir / "web", ignore_errors=True)  # 150 MB of frontend; the log and data stay
    print(f"\nbrowser tests: the app's log is {app.log}")


@pytest.fixture(scope="module")
def live_app() -> Iterator[LiveApp]:
    with embedded_app() as app:
        yield app


@contextmanager
def launch_chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


# Module scope, not session: Playwright's sync API keeps an event loop running in the main
# thread while it is open, which would break every async test that pytest runs after this one.
@pytest.fixture(scope="module")
def browser(live_app: LiveApp) -> Iterator[object]:
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def finished_book(browser: Any, live_app: LiveApp) -> FinishedBook:
    """A finished book of BOOK_OWNER's, made once per app for the tests that start from one:
    the account is registered in the browser, the book is made through the REST API (the
    journey through the pages is its own test)."""
    context = browser.new_context()
    register(context, live_app, BOOK_OWNER)
    context.close()
    return make_finished_book(live_app, BOOK_OWNER, BOOK_ANSWERS)


@pytest.fixture
def owner_page(browser: Any, live_app: LiveApp, finished_book: FinishedBook) -> Iterator[Any]:
    """A desktop tab signed in as the finished book's owner, on the books page."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = sign_in(context, live_app, finished_book.owner)
    try:
        yield page
    finally:
        context.close()


def screenshot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)  # type: ignore[attr-defined]
