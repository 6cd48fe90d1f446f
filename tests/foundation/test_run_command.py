"""The README's first command (`make run`) serves Bookbug on its embedded defaults."""

from __future__ import annotations

import httpx
import pytest

from tests.app_server import run_app

pytestmark = pytest.mark.slow


def test_make_run_serves_the_landing_page_and_the_api(tmp_path) -> None:
    with run_app(tmp_path / "data") as app:
        landing = httpx.get(app.url + "/", timeout=10)
        assert landing.status_code == 200
        assert "Turn a conversation into an illustrated picture book" in landing.text
        assert httpx.get(app.url + "/api/health", timeout=10).json() == {"status": "ok"}
        assert httpx.get(app.url + "/api/openapi.json", timeout=10).status_code == 200
        # migrations were applied to the embedded SQLite file before start
        assert (tmp_path / "data" / "bookbug.db").exists()
