"""Several app processes share sign-in, live updates and the SSE stream through Redis.

One address serves the app with two backend processes (GRANIAN_WORKERS=2, as in production
behind a proxy); a second, separate app process answers the REST API on another port; a
worker process makes the book. PostgreSQL and Redis are shared. The browser signs in and
opens the book on the first address; everything that makes the book happen (signing in for
a token, starting the book, the conversation, approving the plot) is a request to the other
process, and the browser sees the pages land without reloading; an SSE client on the other
process sees the same pages.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from bookbug.settings import ROOT
from tests.api.book_flow import open_question
from tests.app_server import free_port, run_app
from tests.browser.conftest import chromium_path, launch_chromium
from tests.support.browser import BOOK_TIMEOUT, PASSWORD, register, wait_for_hydration

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _shared_env(db_url: str, redis_url: str, data_dir: Path) -> dict[str, str]:
    return {"DATABASE_URL": db_url, "REDIS_URL": redis_url, "DATA_DIR": str(data_dir), "ANTHROPIC_API_KEY": "",
            "REPLICATE_API_TOKEN": "", "CLERK_SECRET_KEY": "", "CLERK_PUBLISHABLE_KEY": "", "CLERK_JWT_KEY": "",
            "S3_BUCKET": "", "BOOKS_PER_MINUTE": "20", "REFLEX_CHECK_LATEST_VERSION": "false",
            "REFLEX_USE_SYSTEM_BUN": "1"}


def _process(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    environment.update(env, PATH=f"{ROOT / '.tools' / 'node_modules' / '.bin'}:{ROOT / '.venv' / 'bin'}:"
                                 f"{environment.get('PATH', '')}")
    with open(log, "wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _end(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def fleet() -> Iterator[dict[str, Any]]:
    chromium_path()
    from tests.conftest import _drop_postgres_database, _fresh_postgres_database, need_service

    base, redis_url = need_service("BOOKBUG_TEST_POSTGRES_URL"), need_service("BOOKBUG_TEST_REDIS_URL")
    db_url, name = _fresh_postgres_database(base)
    data_dir = Path(tempfile.mkdtemp(prefix="bookbug-several-"))
    env = _shared_env(db_url, redis_url, data_dir)
    subprocess.run([sys.executable, "-m", "bookbug.startup"], cwd=ROOT, check=True,
                   env={**os.environ, **env})
    other_port = free_port()
    worker = _process([sys.executable, "-m", "workers"], env, data_dir / "worker.log")
    other = _process([str(ROOT / ".venv" / "bin" / "reflex"), "run", "--env", "prod", "--backend-only",
                      "--backend-port", str(other_port)], {**env, "GRANIAN_WORKERS": "1"}, data_dir / "other.log")
    try:
        front = {k: v for k, v in env.items() if k != "DATA_DIR"}  # run_app sets it: the same folder
        with run_app(data_dir, **front, GRANIAN_WORKERS="2",
                     REFLEX_WEB_WORKDIR=str(data_dir / "web"), REFLEX_STATES_WORKDIR=str(data_dir / "states")) as app:
            deadline = time.monotonic() + 120
            while httpx.get(f"http://127.0.0.1:{other_port}/readyz", timeout=5).status_code != 200:
                assert time.monotonic() < deadline, (data_dir / "other.log").read_text()[-3000:]
                time.sleep(1)
            yield {"front": app.url, "other": f"http://127.0.0.1:{other_port}", "folder": data_dir}
    finally:
        _end(other)
        _end(worker)
        shutil.rmtree(data_dir / "web", ignore_errors=True)
        _drop_postgres_database(base, name)
        print(f"\nseveral app processes: logs in {data_dir}")


async def _make_book_on(url: str, email: str) -> tuple[str, dict[str, str]]:
    """Everything through the other process: a token for the browser's account, the book, the
    conversation, the approval."""
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        answer = await http.post("/api/auth/token", json={"email": email, "password": PASSWORD, "name": "other"})
        assert answer.status_code == 201, answer.text  # signed in on the browser's process, known here
        headers = {"Authorization": f"Bearer {answer.json()['token']}"}
        book_id = (await http.post("/api/books", headers=headers, json={"page_count": 8})).json()["id"]
        while True:
            messages = (await http.get(f"/api/chat/{book_id}/history", headers=headers)).json()["messages"]
            question = open_question(messages)
            if question is None:
                await asyncio.sleep(0.2)
                continue
            if question["phase"] == "plot_review":
                assert (await http.post(f"/api/chat/{book_id}/approve", headers=headers)).status_code == 202
                break
            content = question["chips"][0] if question["chips"] else "A brave little fox named Pip"
            assert (await http.post(f"/api/chat/{book_id}/message", headers=headers,
                                    json={"content": content})).status_code == 202
        return book_id, headers


def test_a_book_opened_on_one_app_process_shows_pages_that_requests_to_another_caused(fleet) -> None:
    from httpx_sse import connect_sse

    email = f"several-{os.getpid()}@example.com"
    with launch_chromium() as chromium:
        context = chromium.new_context()
        page = register(context, type("App", (), {"url": fleet["front"]})(), email)

        # Playwright's sync API keeps an event loop in this thread: the client runs on another.
        with ThreadPoolExecutor(1) as pool:
            book_id, headers = pool.submit(asyncio.run, _make_book_on(fleet["other"], email)).result()

        # Signed in on the first address: a second tab is signed in too, whichever backend
        # process its connection lands on (the session lives in Redis and the database).
        tab = context.new_page()
        tab.goto(fleet["front"] + "/books")
        wait_for_hydration(tab)
        tab.wait_for_selector(f"#book-{book_id}", timeout=60_000)

        page.goto(fleet["front"] + f"/books/{book_id}")
        wait_for_hydration(page)
        page.evaluate("() => { window.__sameDocument = true; }")
        landed_at_open = page.locator(".landed-page").count()
        page.wait_for_function(f"() => document.querySelectorAll('.landed-page').length > {landed_at_open}",
                               timeout=BOOK_TIMEOUT)
        assert page.evaluate("() => window.__sameDocument") is True  # live, not reloaded

        # The SSE stream on the other process follows the same book to its end.
        seen = []
        with httpx.Client(base_url=fleet["other"], timeout=httpx.Timeout(30, read=300)) as http, \
                connect_sse(http, "GET", f"/api/jobs/{book_id}/stream", headers=headers) as source:
            for event in source.iter_sse():
                if event.event == "page":
                    seen.append(event.json()["number"])
                if event.event in ("complete", "failed", "cancelled"):
                    assert event.event == "complete", event.data
                    break
        assert sorted(set(seen)) == list(range(1, 9))
        # the finished book turns into its reader live, on the same document
        page.wait_for_function("() => (document.querySelector('#reader-position')?.innerText || '').endsWith('/ 8')",
                               timeout=BOOK_TIMEOUT)
        assert page.evaluate("() => window.__sameDocument") is True
        context.close()
