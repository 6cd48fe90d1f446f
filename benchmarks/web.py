"""What a family's browser downloads on a cold first visit, and how soon the page shows.

    .venv/bin/python benchmarks/web.py [--url http://127.0.0.1:3000] [--runs 3] [--width 390 --height 844]

Without `--url` it starts the app the way the README does (`make run`, embedded defaults, a
private data folder; the first production build takes a few minutes). It registers a user,
makes a book through the REST API (as the command-line client would) and waits for it, then
loads three pages each in a fresh browser context (an empty cache, as on a first visit):
the landing page signed out, the gallery and the reader signed in. For each it prints the
requests made, the bytes of JavaScript, CSS and images that came over the wire (compressed
sizes, from the Resource Timing entries; scripts and styles unzipped too) and Largest
Contentful Paint, the median of `--runs`.
Targets (issue 20): at most half the CSS and image bytes of the first measurement, LCP at most
1 s on this machine.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "correct horse battery"
EMAIL = "bench@example.com"
FIRST_MESSAGE = ("My daughter Mia is 5 and loves boats. She and her grandpa Joe build a little wooden boat and sail "
                 "it across the lake. Watercolor please, 8 pages.")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

# Collected in the page: every resource's compressed size by kind, and the last LCP candidate.
MEASURE = """async () => {
  const lcp = await new Promise((resolve) => {
    let last = 0;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) last = e.startTime; })
      .observe({type: 'largest-contentful-paint', buffered: true});
    setTimeout(() => resolve(last), 500);
  });
  const sizes = {js: 0, css: 0, image: 0, other: 0, js_decoded: 0, css_decoded: 0};
  const entries = performance.getEntriesByType('resource');
  for (const e of entries) {
    const path = new URL(e.name).pathname;
    const kind = /\\.m?js$/.test(path) ? 'js' : /\\.css$/.test(path) ? 'css'
      : (e.initiatorType === 'img' || /\\.(png|jpe?g|webp|svg|gif|avif)$/.test(path) || /\\/image$/.test(path))
        ? 'image' : 'other';
    sizes[kind] += e.encodedBodySize || 0;
    if (kind === 'js' || kind === 'css') sizes[kind + '_decoded'] += e.decodedBodySize || 0;
  }
  const nav = performance.getEntriesByType('navigation')[0];
  return {lcp, requests: entries.length + 1, html: nav ? nav.encodedBodySize : 0, ...sizes};
}"""


@dataclass
class Load:
    requests: int
    js: int
    css: int
    image: int
    lcp: float
    js_decoded: int
    css_decoded: int


@contextmanager
def started_app() -> Iterator[str]:
    from tests.app_server import free_port, run_app

    data_dir = Path(tempfile.mkdtemp(prefix="bookbug-web-bench-"))
    env = {"DATABASE_URL": f"sqlite:///{data_dir / 'bookbug.db'}", "REDIS_URL": "", "ANTHROPIC_API_KEY": "",
           "REPLICATE_API_TOKEN": "", "CLERK_SECRET_KEY": "", "CLERK_PUBLISHABLE_KEY": "", "CLERK_JWT_KEY": "",
           "S3_BUCKET": "", "REFLEX_WEB_WORKDIR": str(data_dir / "web"),
           "REFLEX_STATES_WORKDIR": str(data_dir / "states")}
    print("starting the app (a production build; this takes a few minutes)…", flush=True)
    with run_app(data_dir, port=free_port(), **env) as app:
        yield app.url


def make_book(url: str, email: str, timeout: float = 600.0) -> str:
    """A finished book through the REST API; returns its id."""
    import httpx

    answer = httpx.post(url + "/api/auth/token", json={"email": email, "password": PASSWORD, "name": "bench"})
    answer.raise_for_status()
    api = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {answer.json()['token']}"}, timeout=30)
    book_id = api.post("/api/books").raise_for_status().json()["id"]
    answered, deadline = 0, time.monotonic() + timeout
    while (status := api.get(f"/api/books/{book_id}").raise_for_status().json()["status"]) != "complete":
        if status in ("failed", "cancelled") or time.monotonic() > deadline:
            raise RuntimeError(f"the benchmark's book ended {status}")
        asked = [m for m in api.get(f"/api/chat/{book_id}/history").json()["messages"]
                 if m["role"] == "assistant" and m["turn"] > answered]
        if asked and status in ("draft", "intake", "plot"):
            question = asked[-1]
            if question["phase"] == "plot_review":
                sent = api.post(f"/api/chat/{book_id}/approve")
            else:
                content = FIRST_MESSAGE if answered == 0 else (question["chips"] or ["Surprise me!"])[0]
                sent = api.post(f"/api/chat/{book_id}/message", json={"content": content})
            if sent.status_code < 300:
                answered = question["turn"]
        time.sleep(0.5)
    return book_id


def register(browser: Any, url: str, email: str) -> dict[str, Any]:
    """Register and sign in through the forms; returns the signed-in storage state."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "/register")
    page.wait_for_selector("#hydrated", state="attached")
    for selector, value in {"#email": email, "#password": PASSWORD, "#confirm": PASSWORD}.items():
        page.fill(selector, value)
    page.click("#register")
    page.wait_for_url(re.compile(r".*/login\?registered=1$"))
    page.wait_for_selector("#hydrated", state="attached")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    page.wait_for_url(re.compile(r".*/books/?$"))
    state = context.storage_state()
    context.close()
    return state


def cold_load(browser: Any, url: str, ready: str, viewport: dict[str, int], state: dict[str, Any] | None) -> Load:
    context = browser.new_context(viewport=viewport, storage_state=state)  # a new context: an empty cache
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    numbers = page.evaluate(MEASURE)
    context.close()
    return Load(numbers["requests"], numbers["js"], numbers["css"], numbers["image"], numbers["lcp"],
                numbers["js_decoded"], numbers["css_decoded"])


def median_load(loads: list[Load]) -> Load:
    return Load(*(statistics.median(getattr(load, name) for load in loads)  # type: ignore[misc]
                  for name in ("requests", "js", "css", "image", "lcp", "js_decoded", "css_decoded")))


def run(url: str, runs: int, viewport: dict[str, int]) -> None:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("BOOKBUG_TEST_CHROMIUM") or "/usr/bin/chromium"
    email = f"bench-{int(time.time())}@example.com"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        state = register(browser, url, email)
        print("making a book through the REST API…", flush=True)
        book_id = make_book(url, email)
        pages = [("landing", url + "/", "#landing-headline", None),
                 ("gallery", url + "/books", f"#book-{book_id} img", state),
                 ("reader", url + f"/books/{book_id}", "#reader-image", state)]
        print(f"\ncold loads at {viewport['width']}x{viewport['height']}, median of {runs}:")
        print(f"{'page':<9} {'requests':>8} {'JS KB':>8} {'CSS KB':>8} {'image KB':>9} {'LCP ms':>8}"
              f" {'JS KB unzipped':>15} {'CSS KB unzipped':>16}")
        for name, address, ready, cookies in pages:
            load = median_load([cold_load(browser, address, ready, viewport, cookies) for _ in range(runs)])
            print(f"{name:<9} {load.requests:>8.0f} {load.js / 1024:>8.0f} {load.css / 1024:>8.0f} "
                  f"{load.image / 1024:>9.0f} {load.lcp:>8.0f} {load.js_decoded / 1024:>15.0f} "
                  f"{load.css_decoded / 1024:>16.0f}")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="an app already running (embedded defaults); else one is started")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()
    viewport = {"width": args.width, "height": args.height}
    if args.url:
        run(args.url.rstrip("/"), args.runs, viewport)
    else:
        with started_app() as url:
            run(url, args.runs, viewport)


if __name__ == "__main__":
    main()
