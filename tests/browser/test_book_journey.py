"""A family's whole journey in a real browser, then what other people and operators may do.

The tests share one app but not their books: each test that starts from a finished book gets
it from the `finished_book` fixture, so any test passes alone and in any order.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.app_server import LiveApp
from tests.browser.conftest import OPERATOR_EMAIL, screenshot
from tests.support.browser import (BOOK_TIMEOUT, STEP_TIMEOUT, FinishedBook, register, sign_in,
                                   wait_for_hydration)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Bookbug first asks who the star is, then what happens; these are typed, later answers are chips.
TYPED_ANSWERS = ["Mia, who is 5 and <b>loves</b> boats <script>window.__pwned = 1</script>",
                 "A brave little dragon called Ember who is afraid of the dark"]


def ready_to_answer(page: Any) -> None:
    """Bookbug has asked and the composer is enabled again."""
    page.wait_for_function("() => { const b = document.getElementById('chat-send'); return b && !b.disabled; }",
                           timeout=STEP_TIMEOUT)


def user_bubbles(page: Any) -> int:
    return page.locator(".bubble-user").count()


def test_a_parent_registers_chats_approves_and_watches_the_book_being_made(browser: Any, live_app: LiveApp) -> None:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = register(context, live_app, "parent@example.com")
    assert page.locator("#viewer-email").inner_text() == "parent@example.com"
    assert page.locator("#nav-settings").count() == 0  # not an operator
    session = next(cookie for cookie in context.cookies() if cookie["name"] == "bookbug_session")
    assert session["httpOnly"] and session["sameSite"] == "Lax"  # set by the server; scripts cannot read it
    assert "bookbug_session" not in page.evaluate("document.cookie")

    page.goto(live_app.url + "/create")
    page.wait_for_url(re.compile(r".*/create/[0-9a-f]+$"))
    book_id = page.url.rsplit("/", 1)[-1]
    ready_to_answer(page)

    # bad input: a clear message, nothing sent
    page.click("#chat-send")
    page.wait_for_selector("#chat-notice >> text=Type a message first.")
    page.fill("#chat-input", "x" * 4001)
    page.click("#chat-send")
    page.wait_for_selector("#chat-notice >> text=/at most 4,000 characters/")
    assert user_bubbles(page) == 0

    typed = iter(TYPED_ANSWERS)
    for turn in range(25):
        if page.locator("#plot-review").is_visible():
            break
        before = user_bubbles(page)
        chips = page.locator(".chip")
        answer = next(typed, None)
        if answer is None and chips.count():
            chips.first.dblclick()  # a double click sends once
        else:
            page.fill("#chat-input", answer or "Surprise me!")
            page.click("#chat-send")
        page.wait_for_function(f"() => document.querySelectorAll('.bubble-user').length > {before}")
        page.wait_for_timeout(300)
        assert user_bubbles(page) == before + 1
        if turn == 2:
            screenshot(page, "chat")
        page.wait_for_function("() => document.getElementById('plot-review') || "
                               "(document.getElementById('chat-send') && !document.getElementById('chat-send').disabled)",
                               timeout=STEP_TIMEOUT)
    else:
        pytest.fail("the conversation never reached the plot review")

    # what the user typed as markup is shown as text, and never runs
    assert page.locator(".bubble-user", has_text="<b>loves</b>").count() == 1
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("#brief-panel").inner_text().count("not yet") < 4  # the brief filled in
    page.locator("#plot-review").scroll_into_view_if_needed()
    screenshot(page, "plot-review")
    assert page.locator("#plot-review >> text=/^Pages? 1(-|$)/").count() >= 1, page.locator("#plot-review").inner_text()

    # leaving and coming back restores the conversation from the database
    bubbles = page.locator(".bubble").all_inner_texts()
    page.goto(live_app.url + "/books")
    page.goto(live_app.url + f"/create/{book_id}")
    page.wait_for_selector("#plot-review")
    assert page.locator(".bubble").all_inner_texts() == bubbles

    page.click("#approve-plot")
    page.wait_for_url(re.compile(rf".*/books/{book_id}$"))
    page.evaluate("() => { window.__sameDocument = true; }")
    page.wait_for_selector(".landed-page", timeout=BOOK_TIMEOUT)
    assert page.evaluate("() => window.__sameDocument") is True  # the page arrived live, no reload
    assert re.search(r"page \d+ of \d+", page.locator("#page-label").inner_text())
    screenshot(page, "book-in-progress")

    gallery = context.new_page()
    gallery.goto(live_app.url + "/books")
    gallery.wait_for_selector(f"#book-{book_id}")
    screenshot(gallery, "gallery")
    gallery.close()

    page.wait_for_selector("#reader", timeout=BOOK_TIMEOUT)
    position = page.locator("#reader-position")
    total = int(position.inner_text().split("/")[1])
    assert position.inner_text() == f"1 / {total}"
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => document.getElementById('reader-position').innerText === '2 / {total}'")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"() => document.getElementById('reader-position').innerText === '1 / {total}'")
    screenshot(page, "reader")

    # "Read to me": page 1 is read aloud, and the page turns when its voice ends, and page 2 is read
    page.wait_for_selector("#page-audio")
    page.evaluate("() => { const a = document.getElementById('page-audio'); a.defaultPlaybackRate = 4;"
                  " a.playbackRate = 4; }")
    page.click("#read-to-me")
    page.wait_for_function(f"() => document.getElementById('reader-position').innerText === '2 / {total}'",
                           timeout=60_000)
    page.wait_for_function("() => !document.getElementById('page-audio').paused"
                           " && document.getElementById('page-audio').src.includes('/pages/2/audio')", timeout=30_000)
    page.click("#stop-reading")
    page.wait_for_function("() => document.getElementById('page-audio').paused")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"() => document.getElementById('reader-position').innerText === '1 / {total}'")
    with page.expect_download() as download_info:
        page.click("#download-epub")
    epub = open(download_info.value.path(), "rb").read()
    assert epub[:4] == b"PK\x03\x04" and epub[38:58] == b"application/epub+zip"

    with page.expect_download() as download_info:
        page.click("#download-pdf")
    pdf = PdfReader(io.BytesIO(open(download_info.value.path(), "rb").read()))
    # cover, title page, the story pages, a closing page; padded to whole sheets of four
    assert len(pdf.pages) == -(-(total + 3) // 4) * 4
    context.close()


def images_loaded(page: Any, *selectors: str) -> None:
    checks = " && ".join(f"document.querySelector('{s}')?.complete && document.querySelector('{s}').naturalWidth > 0"
                         for s in selectors)
    page.wait_for_function(f"() => {checks}")


def test_the_parent_redoes_a_page_sees_the_new_version_arrive_live_and_keeps_it(
        owner_page: Any, live_app: LiveApp, finished_book: FinishedBook) -> None:
    page = owner_page
    before = page.context.request.get(live_app.url + finished_book.pdf_url)
    assert before.status == 200
    pdf_before = before.body()
    page.goto(live_app.url + f"/books/{finished_book.book_id}")
    page.wait_for_selector("#reader")
    wait_for_hydration(page)
    page.click("#reader-next")
    page.wait_for_function("() => document.getElementById('reader-position').innerText.startsWith('2 /')")
    old_image = page.locator("#reader-image").get_attribute("src")
    page.evaluate("() => { window.__sameDocument = true; }")

    page.click("#redo-open")
    page.fill("#redo-note", "x" * 501)
    page.click("#redo-rewrite")
    page.click("#redo-submit")
    page.wait_for_selector("#redo-notice >> text=/at most 500 characters/")
    page.fill("#redo-note", "make Ember smile at the stars")
    page.locator("#redo-submit").dblclick()  # a double click starts one redo
    page.wait_for_selector("#redo-drawing, #redo-decision")
    assert page.locator("#redo-open").is_disabled()  # one page at a time
    assert page.locator("#redo-notice").count() == 0

    page.wait_for_selector("#redo-decision", timeout=BOOK_TIMEOUT)  # live: the page was never reloaded
    assert page.evaluate("() => window.__sameDocument") is True
    assert page.locator("#redo-notice").count() == 0  # the double click's second half changed nothing
    assert page.locator("#redo-old-image").get_attribute("src") == old_image
    new_image = page.locator("#redo-new-image").get_attribute("src")
    assert new_image and new_image != old_image
    images_loaded(page, "#redo-new-image", "#redo-old-image")
    page.locator("#redo-decision").scroll_into_view_if_needed()
    screenshot(page, "redo")

    page.click("#keep-new")
    # the kept version on the page, and the PDF offered again once it is rebuilt with it
    page.wait_for_function(
        "(src) => document.getElementById('reader-image')?.getAttribute('src') === src"
        " && document.getElementById('download-pdf') && !document.getElementById('pdf-rebuilding')"
        " && !document.getElementById('redo-saving')", arg=new_image, timeout=BOOK_TIMEOUT)
    assert page.locator("#redo-decision").count() == 0
    assert page.locator("#reader-position").inner_text().startswith("2 /")
    assert not page.locator("#redo-open").is_disabled()
    assert page.evaluate("() => window.__sameDocument") is True
    with page.expect_download() as download_info:
        page.click("#download-pdf")
    assert open(download_info.value.path(), "rb").read() != pdf_before  # the kept page is in it

    page.reload()  # and it is what the book now holds
    page.wait_for_selector("#reader")
    wait_for_hydration(page)
    page.click("#reader-next")
    page.wait_for_function(f"() => document.getElementById('reader-image').getAttribute('src') === '{new_image}'")


def test_the_parent_edits_a_pages_words_then_shares_the_book_and_revokes_the_link(
        browser: Any, owner_page: Any, live_app: LiveApp, finished_book: FinishedBook) -> None:
    page = owner_page
    page.goto(live_app.url + f"/books/{finished_book.book_id}")
    page.wait_for_selector("#reader")
    wait_for_hydration(page)

    words = "Ember hummed a quiet song for the sleepy stars."
    page.click("#edit-open")
    page.fill("#edit-text", "Then the dragon ate the villagers.")
    page.click("#edit-submit")
    page.wait_for_selector("#edit-notice >> text=/new words/")  # screened: declined, nothing changed
    page.fill("#edit-text", words)
    page.click("#edit-submit")
    page.wait_for_function("(w) => document.getElementById('reader-text')?.innerText === w"
                           " && document.getElementById('download-pdf') && !document.getElementById('edit-saving')",
                           arg=words, timeout=BOOK_TIMEOUT)

    page.click("#share-open")
    page.click("#share-make")
    link = page.wait_for_selector("#share-link").get_attribute("value") or ""
    assert "/shared/bbl_" in link
    path = link[link.index("/shared/"):]
    visitor = browser.new_context()  # nobody signed in
    public = visitor.new_page()
    public.goto(live_app.url + path)
    assert words in public.content() and public.locator("meta[property='og:image']").count() == 1
    image = public.locator("figure img").first.get_attribute("src") or ""
    assert visitor.request.get(live_app.url + image).status == 200

    page.click(".share-revoke")
    page.wait_for_selector("#share-notice >> text=/revoked/")
    assert visitor.request.get(live_app.url + path).status == 404
    assert visitor.request.get(live_app.url + image).status == 404
    visitor.close()


def test_another_user_cannot_see_the_book_its_pictures_or_its_pdf(browser: Any, live_app: LiveApp,
                                                                  finished_book: FinishedBook) -> None:
    theirs_id, page_image, pdf_url = finished_book.book_id, finished_book.page_image, finished_book.pdf_url
    context = browser.new_context()
    page = register(context, live_app, "stranger@example.com")
    for book_id in (theirs_id, "0" * 32):
        page.goto(live_app.url + f"/books/{book_id}")
        assert page.wait_for_selector("#not-found").inner_text() == "That book was not found."
        page.goto(live_app.url + f"/create/{book_id}")
        assert page.wait_for_selector("#not-found").inner_text() == "That book was not found."
    missing_image = page_image.replace(theirs_id, "0" * 32)
    for theirs, missing in ((page_image, missing_image), (pdf_url, pdf_url.replace(theirs_id, "0" * 32))):
        answer, nothing = context.request.get(live_app.url + theirs), context.request.get(live_app.url + missing)
        assert answer.status == nothing.status == 404
        assert answer.body() == nothing.body()
    context.close()


def test_signing_out_everywhere_signs_an_open_tab_out_at_its_next_action(browser: Any, live_app: LiveApp) -> None:
    laptop, phone = browser.new_context(), browser.new_context()
    open_tab = register(laptop, live_app, "two-devices@example.com")
    other = sign_in(phone, live_app, "two-devices@example.com")
    other.goto(live_app.url + "/account")
    wait_for_hydration(other)
    other.click("#sign-out-everywhere")
    other.wait_for_url(re.compile(r".*/login/?$"))
    assert not [c for c in phone.cookies() if c["name"] == "bookbug_session"]  # cleared by the server

    open_tab.click("#nav-create")  # the laptop's tab, still open: its next action is refused
    open_tab.wait_for_url(re.compile(r".*/login\?next=%2Fcreate$"))
    assert laptop.request.get(live_app.url + "/api/books").status == 401
    laptop.close()
    phone.close()


def test_a_non_operator_is_sent_away_from_settings(browser: Any, live_app: LiveApp) -> None:
    context = browser.new_context()
    page = register(context, live_app, "member@example.com")
    page.goto(live_app.url + "/settings")
    page.wait_for_url(re.compile(r".*/books$"))
    page.wait_for_selector("#empty-gallery")
    assert page.locator("#save-settings").count() == 0
    context.close()


def test_an_operator_changes_a_setting_and_the_next_book_uses_it(browser: Any, live_app: LiveApp) -> None:
    context = browser.new_context()
    page = register(context, live_app, OPERATOR_EMAIL)
    page.wait_for_selector("#nav-settings")
    page.goto(live_app.url + "/settings")
    page.wait_for_selector("#save-settings")
    wait_for_hydration(page)
    assert "sk-" not in page.content()
    default_format = page.locator("#setting-default_format").inner_text().strip()
    page.click("#setting-default_format")
    page.get_by_role("option", name="landscape", exact=True).click()
    page.click("#save-settings")
    page.wait_for_selector("#settings-saved")
    page.goto(live_app.url + "/create")
    page.wait_for_url(re.compile(r".*/create/[0-9a-f]+$"))
    page.wait_for_selector("#brief-panel >> text=Landscape 9 x 7 in")

    # and back, so the books other tests make (in whatever order they run) keep the default
    page.goto(live_app.url + "/settings")
    page.wait_for_selector("#save-settings")
    wait_for_hydration(page)
    page.click("#setting-default_format")
    page.get_by_role("option", name=default_format, exact=True).click()
    page.click("#save-settings")
    page.wait_for_selector("#settings-saved")
    context.close()


def test_a_visitor_sees_what_bookbug_makes_and_only_the_pages_for_guests(browser: Any, live_app: LiveApp) -> None:
    from bookbug.pages.sample_book import load_sample

    context = browser.new_context()
    page = context.new_page()
    page.goto(live_app.url + "/")
    wait_for_hydration(page)
    nav = page.locator("#main-nav")
    nav.locator("#nav-login").wait_for()
    assert nav.locator("#nav-register").count() == 1
    assert nav.locator("#nav-create").count() == nav.locator("#nav-books").count() == 0
    assert nav.locator("#nav-settings").count() == 0
    sample = load_sample()
    if sample is not None:  # the app serves the sample kept in assets/sample
        images = page.locator("#sample-book img")
        assert images.count() == len(sample.pages)
        assert context.request.get(live_app.url + sample.pages[0].image).status == 200
    page.get_by_role("button", name="Start a book").click()
    page.wait_for_url(re.compile(r".*/login\?next=%2Fcreate$"))  # a guest signs in first, then comes back
    wait_for_hydration(page)
    to_register = page.get_by_role("link", name="Create an account")
    expect(to_register).to_have_attribute("href", "/register?next=%2Fcreate")  # ...or registers, and comes back
    context.close()
