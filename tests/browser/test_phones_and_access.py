"""Every page on a phone (390 x 844, mobile emulation) and on a desktop (1280 x 900): no sideways
scroll, the menu reaches every link, axe-core finds no WCAG 2 A/AA violation, and a book can be
made with the keyboard alone.

axe-core is pinned in tests/browser/package.json (installed by `make test`) and injected into
each page with Playwright. The tests share one app; each registers its own account and makes its
own book, so any of them passes alone and in any order.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from bookbug.components.radix_css import used_by
from bookbug.components.theme import STYLESHEET
from tests.app_server import LiveApp
from tests.browser.conftest import IN_CI, OPERATOR_EMAIL
from tests.support.browser import BOOK_TIMEOUT, PASSWORD, STEP_TIMEOUT, wait_for_hydration
from tests.support.styles import COMPARE, drawn_as_with_the_whole_bundle, whole_bundle_stylesheet

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
SMALL_PHONE = {**PHONE, "viewport": {"width": 360, "height": 740}}  # the narrowest screen Bookbug lays out for
FIRST_MESSAGE = ("My daughter Mia is 5 and loves boats. She and her grandpa Joe build a little wooden boat and sail "
                 "it across the lake. Watercolor please, 8 pages.")


@pytest.fixture(scope="module")
def axe_source() -> Path:
    if not AXE.is_file():
        message = "axe-core is not installed: run `make test` (or `npm ci` in tests/browser)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return AXE


def check_page(page: Any, app: LiveApp, axe: Path, what: str) -> None:
    """No sideways scroll at this width, no WCAG 2 A/AA violation that axe-core can find, and the
    trimmed Radix CSS draws the page as Radix's whole bundle would."""
    width = page.viewport_size["width"]
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    # with mobile emulation a page wider than the screen also widens the layout viewport (zooms out)
    assert sizes == [width, width] or (sizes[0] <= sizes[1] == width), f"{what}: scrollWidth, innerWidth = {sizes}"
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe))
    violations = page.evaluate(
        """async (tags) => {
             const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
             return result.violations.map((v) => ({rule: v.id, impact: v.impact,
               nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ') + ': ' + n.failureSummary)}));
           }""", WCAG_TAGS)
    assert violations == [], f"{what}: {json.dumps(violations, indent=1)}"
    drawn_as_with_the_whole_bundle(page, app.web, what)


def new_page(browser: Any, size: dict[str, Any], **options: Any) -> Any:
    context = browser.new_context(**size, **options)
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT)
    return page


def register_and_sign_in(page: Any, app: LiveApp, email: str) -> None:
    page.goto(app.url + "/register")
    wait_for_hydration(page)
    for selector, value in {"#email": email, "#password": PASSWORD, "#confirm": PASSWORD}.items():
        page.fill(selector, value)
    page.click("#register")
    page.wait_for_url(re.compile(r".*/login\?registered=1$"))
    wait_for_hydration(page)
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    page.wait_for_url(re.compile(r".*/books/?$"))
    wait_for_hydration(page)


def open_menu(page: Any) -> Any:
    page.click("#menu-button")
    menu = page.locator("#menu-content")
    menu.wait_for()
    return menu


def menu_links(page: Any) -> list[str]:
    menu = open_menu(page)
    links = [link.get_attribute("href") for link in menu.locator("a").all()]
    page.click("#menu-button")  # and closed again
    menu.wait_for(state="hidden")
    return links


def wait_until_answerable(page: Any) -> None:
    page.wait_for_function("() => document.getElementById('plot-review') || "
                           "(document.getElementById('chat-send') && !document.getElementById('chat-send').disabled)")


def swipe(page: Any, selector: str, dx: int) -> None:
    """A one-finger sideways swipe over `selector` (Playwright taps, but does not swipe)."""
    page.evaluate(
        """([selector, dx]) => {
             const target = document.querySelector(selector);
             const box = target.getBoundingClientRect();
             const x = box.left + box.width / 2, y = box.top + box.height / 2;
             const touch = (cx) => new Touch({identifier: 1, target, clientX: cx, clientY: y});
             target.dispatchEvent(new TouchEvent('touchstart', {touches: [touch(x)], changedTouches: [touch(x)],
                                                                bubbles: true}));
             target.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: [touch(x + dx)],
                                                              bubbles: true}));
           }""", [selector, dx])


def test_a_visitor_on_a_phone_or_a_desktop_sees_whole_accessible_pages_and_a_menu(browser: Any, live_app: LiveApp,
                                                                                   axe_source: Path) -> None:
    for size in (SMALL_PHONE, PHONE, DESKTOP):
        page = new_page(browser, size)
        for route in ("/", "/login", "/register"):
            page.goto(live_app.url + route)
            wait_for_hydration(page)
            check_page(page, live_app, axe_source, f"{route} signed out at {size['viewport']}")
        if size is not DESKTOP:
            assert not page.locator("#main-nav").is_visible()
            assert menu_links(page) == ["/login", "/register"]
            menu = open_menu(page)
            check_page(page, live_app, axe_source, f"the open menu at {size['viewport']}")
            menu.locator("a", has_text="Sign in").click()
            page.wait_for_url(re.compile(r".*/login$"))
        else:
            assert page.locator("#main-nav").is_visible() and not page.locator("#menu-button").is_visible()
        page.context.close()


def test_a_parent_makes_a_book_on_a_phone(browser: Any, live_app: LiveApp, axe_source: Path) -> None:
    page = new_page(browser, PHONE, accept_downloads=True)
    register_and_sign_in(page, live_app, "phone@example.com")
    check_page(page, live_app, axe_source, "empty gallery on a phone")
    assert menu_links(page) == ["/create", "/books", "/account"]
    open_menu(page).locator("a", has_text="Create").click()
    page.wait_for_url(re.compile(r".*/create/[0-9a-f]+$"))
    wait_until_answerable(page)
    check_page(page, live_app, axe_source, "chat during intake on a phone")

    # the brief is folded on a phone, and opens
    assert not page.locator("#brief-panel").is_visible()
    page.click("#brief-compact summary")
    assert page.locator("#brief-compact").get_attribute("open") is not None
    page.fill("#chat-input", FIRST_MESSAGE)
    page.tap("#chat-send")
    for _ in range(20):
        page.wait_for_timeout(300)
        wait_until_answerable(page)
        if page.locator("#plot-review").is_visible():
            break
        if page.locator(".chip").count():
            # a touch target a finger can hit
            assert page.locator(".chip").first.bounding_box()["height"] >= 44
            page.locator(".chip").first.tap()
        else:
            page.fill("#chat-input", "Surprise me!")
            page.tap("#chat-send")
        page.wait_for_timeout(300)
    page.locator("#plot-review").wait_for()
    check_page(page, live_app, axe_source, "plot review on a phone")

    page.tap("#approve-plot")
    page.wait_for_url(re.compile(r".*/books/[0-9a-f]+$"))
    page.wait_for_selector("#book-progress, #reader", timeout=BOOK_TIMEOUT)
    if page.locator("#book-progress").count():
        check_page(page, live_app, axe_source, "book in progress on a phone")
    page.wait_for_selector("#reader", timeout=BOOK_TIMEOUT)
    page.wait_for_function("() => document.getElementById('reader-image')?.complete")
    check_page(page, live_app, axe_source, "reader on a phone")
    image = page.locator("#reader-image").bounding_box()
    assert image["width"] >= 0.8 * page.viewport_size["width"]  # the page fills the screen's width
    alt = page.locator("#reader-image").get_attribute("alt") or ""
    assert alt.startswith("Page 1: ") and len(alt) > len("Page 1: ") + 10, alt  # what the picture shows

    total = int(page.locator("#reader-position").inner_text().split("/")[1])
    swipe(page, "#reader-page", -120)
    page.wait_for_function(f"() => document.getElementById('reader-position').innerText === '2 / {total}'")
    swipe(page, "#reader-page", 120)
    page.wait_for_function(f"() => document.getElementById('reader-position').innerText === '1 / {total}'")
    swipe(page, "#reader-page", 20)  # too short to be a swipe
    page.wait_for_timeout(500)
    assert page.locator("#reader-position").inner_text() == f"1 / {total}"

    page.set_viewport_size({"width": 844, "height": 390})  # the phone turned on its side
    page.wait_for_timeout(300)
    box = page.locator("#reader-image").bounding_box()
    assert box["height"] <= 390, box

    for route, what in (("/books", "gallery"), ("/account", "account")):
        page.set_viewport_size(PHONE["viewport"])
        page.goto(live_app.url + route)
        wait_for_hydration(page)
        page.wait_for_timeout(500)
        check_page(page, live_app, axe_source, f"{what} on a phone")
    open_menu(page).locator("#menu-sign-out").click()
    page.wait_for_url(re.compile(r".*/(login)?(\?.*)?$"))
    page.context.close()


def tab_to(page: Any, condition: str, limit: int = 60) -> None:
    """Press Tab until the focused element meets `condition` (JS, on `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!(el && ({condition})); }}"):
            return
    pytest.fail(f"Tab never reached an element where {condition}")


def has_focus_ring(page: Any) -> bool:
    return page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                         "return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }")


def test_a_parent_makes_a_book_with_the_keyboard_alone(browser: Any, live_app: LiveApp, axe_source: Path) -> None:
    page = new_page(browser, DESKTOP, accept_downloads=True)
    register_and_sign_in(page, live_app, "keyboard@example.com")
    check_page(page, live_app, axe_source, "empty gallery on a desktop")
    page.goto(live_app.url + "/create")
    page.wait_for_url(re.compile(r".*/create/[0-9a-f]+$"))
    wait_until_answerable(page)
    check_page(page, live_app, axe_source, "chat during intake on a desktop")

    tab_to(page, "el.id === 'chat-input'")
    assert has_focus_ring(page)
    page.keyboard.type(FIRST_MESSAGE)
    tab_to(page, "el.id === 'chat-send'")
    assert has_focus_ring(page)
    page.keyboard.press("Enter")
    for _ in range(20):
        page.wait_for_function("() => document.querySelectorAll('.bubble-user').length > 0")
        page.wait_for_timeout(300)
        wait_until_answerable(page)
        if page.locator("#plot-review").is_visible():
            break
        before = page.locator(".bubble-user").count()
        if page.locator(".chip").count():
            page.evaluate("() => document.activeElement?.blur()")  # Tab again from the top of the page
            tab_to(page, "el.classList.contains('chip')")
            assert has_focus_ring(page)
            page.keyboard.press("Enter")
        else:
            tab_to(page, "el.id === 'chat-input'")
            page.keyboard.type("Surprise me!")
            tab_to(page, "el.id === 'chat-send'")
            page.keyboard.press("Enter")
        page.wait_for_function(f"() => document.querySelectorAll('.bubble-user').length > {before}")
    page.locator("#plot-review").wait_for()
    check_page(page, live_app, axe_source, "plot review on a desktop")

    tab_to(page, "el.id === 'approve-plot'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/books/[0-9a-f]+$"))
    page.wait_for_selector("#book-progress, #reader", timeout=BOOK_TIMEOUT)
    if page.locator("#book-progress").count():
        check_page(page, live_app, axe_source, "book in progress on a desktop")
    page.wait_for_selector("#reader", timeout=BOOK_TIMEOUT)
    page.wait_for_function("() => document.getElementById('reader-image')?.complete")
    check_page(page, live_app, axe_source, "reader on a desktop")

    total = int(page.locator("#reader-position").inner_text().split("/")[1])
    tab_to(page, "el.id === 'reader-next'")
    assert has_focus_ring(page)
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.getElementById('reader-position').innerText === '2 / {total}'")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"() => document.getElementById('reader-position').innerText === '1 / {total}'")
    page.evaluate("() => document.activeElement?.blur()")
    tab_to(page, "el.id === 'download-pdf'")
    assert has_focus_ring(page)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(pdf.pages) >= total

    for route in ("/books", "/account"):
        page.goto(live_app.url + route)
        wait_for_hydration(page)
        page.wait_for_timeout(500)
        check_page(page, live_app, axe_source, f"{route} on a desktop")
    page.context.close()


def test_an_operator_finds_settings_in_the_menu_and_the_settings_page_is_accessible(browser: Any, live_app: LiveApp,
                                                                                    axe_source: Path) -> None:
    for size in (PHONE, DESKTOP):
        page = new_page(browser, size)
        if size is PHONE:
            register_and_sign_in(page, live_app, OPERATOR_EMAIL)
            assert "/settings" in menu_links(page)
            open_menu(page).locator("a", has_text="Settings").click()
            page.wait_for_url(re.compile(r".*/settings$"))
        else:
            page.goto(live_app.url + "/login")
            wait_for_hydration(page)
            page.fill("#email", OPERATOR_EMAIL)
            page.fill("#password", PASSWORD)
            page.click("#sign-in")
            page.wait_for_url(re.compile(r".*/books/?$"))
            page.goto(live_app.url + "/settings")
        page.wait_for_selector("#save-settings")
        page.wait_for_timeout(500)
        check_page(page, live_app, axe_source, f"/settings at {size['viewport']}")
        page.context.close()


RADIX_IMPORT = re.compile(r'import \{([^}]*)\} from "@radix-ui/themes"')


def test_the_radix_css_is_cut_for_what_the_compiled_pages_import_and_draws_pages_for_a_dark_preferring_visitor(
        browser: Any, live_app: LiveApp, axe_source: Path) -> None:
    components, breakpoints = used_by((live_app.web / "styles" / STYLESHEET).read_text())  # written last by a compile
    imported, named = {"Theme"}, set()
    for folder in ("app", "app_components", "components", "utils"):
        for path in (live_app.web / folder).rglob("*.js*"):
            code = path.read_text()
            for names in RADIX_IMPORT.findall(code):
                imported |= {part.split(" as ")[0].strip() for part in names.split(",")}
            named |= set(re.findall(r'\["(xs|sm|md|lg|xl)"\]', code))
    assert len(imported) > 10 and components == imported  # what the compiler reported is what the pages import
    assert named and named <= breakpoints  # every breakpoint a compiled page names keeps its rules
    page = new_page(browser, {**DESKTOP, "color_scheme": "dark"})
    for route in ("/", "/login"):
        page.goto(live_app.url + route)
        wait_for_hydration(page)
        check_page(page, live_app, axe_source, f"{route} for a visitor whose system is dark")
    # the comparison sees a rule the app's sheet lacks
    changed = page.evaluate(COMPARE, whole_bundle_stylesheet(live_app.web) + "\n.rt-Text{letter-spacing:3px}")
    assert changed["differences"], changed
    page.context.close()
    # Reflex picks the colour mode in the browser from a stored choice: the dark tokens are kept for it
    page = new_page(browser, DESKTOP)
    page.context.add_init_script("window.localStorage.setItem('theme', 'dark')")
    page.goto(live_app.url + "/")
    wait_for_hydration(page)
    assert page.evaluate("() => document.querySelector('.radix-themes').classList.contains('dark')")
    drawn_as_with_the_whole_bundle(page, live_app.web, "/ with a stored dark colour mode")
    page.context.close()
