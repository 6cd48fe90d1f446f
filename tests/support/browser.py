"""Driving a live app the way a family does: through its account forms in Chromium, and (for a
book that a test needs but does not test the making of) through its REST API."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

import httpx

from tests.api.book_flow import open_question
from tests.app_server import LiveApp

PASSWORD = "correct horse battery"
BOOK_TIMEOUT = 240_000  # ms: a whole offline book on a busy two-core machine
STEP_TIMEOUT = 30_000


def wait_for_hydration(page: Any) -> None:
    """Wait until the page is connected to its state (a form submitted earlier would go native)."""
    page.wait_for_selector("#hydrated", state="attached")


def submit_account_form(context: Any, app: LiveApp, route: str, fields: dict[str, str], button: str) -> Any:
    """A new tab that fills in the sign-in or registration form and lands on the books."""
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT)
    page.goto(app.url + route)
    wait_for_hydration(page)
    for selector, value in fields.items():
        page.fill(selector, value)
    page.click(button)
    # the sign-in is collected by an HTTP route whose redirect is a full page load: /books/
    page.wait_for_url(re.compile(r".*/books/?$"))
    return page


def sign_in(context: Any, app: LiveApp, email: str) -> Any:
    return submit_account_form(context, app, "/login", {"#email": email, "#password": PASSWORD}, "#sign-in")


def register(context: Any, app: LiveApp, email: str) -> Any:
    """Register, then sign in: registering never signs in (it answers the same for an e-mail
    that already has an account), it sends the visitor to the sign-in page."""
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT)
    page.goto(app.url + "/register")
    wait_for_hydration(page)
    for selector, value in {"#email": email, "#password": PASSWORD, "#confirm": PASSWORD}.items():
        page.fill(selector, value)
    page.click("#register")
    page.wait_for_url(re.compile(r".*/login\?registered=1$"))
    page.wait_for_selector("#registered-notice")
    page.close()
    return sign_in(context, app, email)


@dataclass(frozen=True)
class FinishedBook:
    """A complete book (pages, PDF) and its owner, who signs in with PASSWORD."""

    owner: str
    book_id: str
    page_image: str  # page 1's picture, as the reader shows it
    pdf_url: str


def make_finished_book(app: LiveApp, email: str, answers: tuple[str, ...] = (),
                       timeout: float = BOOK_TIMEOUT / 1000) -> FinishedBook:
    """The fast way to a finished book for `email` (an account already registered): its API
    token, then the conversation over the REST API (`answers` typed first, then the first chip
    each time), the approval, and a wait for the PDF.

    Synchronous on purpose: Playwright's sync API keeps an event loop in this thread."""
    with httpx.Client(base_url=app.url, timeout=60) as http:
        answer = http.post("/api/auth/token", json={"email": email, "password": PASSWORD, "name": "test book"})
        assert answer.status_code == 201, answer.text
        headers = {"Authorization": f"Bearer {answer.json()['token']}"}
        answer = http.post("/api/books", headers=headers, json={})
        assert answer.status_code == 201, answer.text
        book_id = answer.json()["id"]
        typed = iter(answers)
        deadline = time.monotonic() + timeout
        while True:
            assert time.monotonic() < deadline, f"book {book_id}: the conversation did not reach its plot"
            messages = http.get(f"/api/chat/{book_id}/history", headers=headers).json()["messages"]
            question = open_question(messages)
            if question is None:
                time.sleep(0.2)
                continue
            if question["phase"] == "plot_review":
                answer = http.post(f"/api/chat/{book_id}/approve", headers=headers)
                assert answer.status_code == 202, answer.text
                break
            content = next(typed, None) or (question["chips"][0] if question["chips"] else "Surprise me!")
            answer = http.post(f"/api/chat/{book_id}/message", headers=headers, json={"content": content})
            assert answer.status_code == 202, answer.text
        book: dict[str, Any] = {}
        while time.monotonic() < deadline:
            book = http.get(f"/api/books/{book_id}", headers=headers).json()
            if book["status"] == "complete" and book.get("pdf_url"):
                return FinishedBook(owner=email, book_id=book_id, page_image=book["pages"][0]["image_url"],
                                    pdf_url=book["pdf_url"])
            assert book["status"] not in ("failed", "cancelled"), book
            time.sleep(0.5)
        raise AssertionError(f"book {book_id} was not finished in {timeout}s: {book.get('status')}")
