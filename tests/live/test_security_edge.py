"""Against the real running app (`make run`): the headers its pages carry, CORS and the
cross-site write guard through Reflex's own layers, and the web app's socket refusing other
sites and oversized messages. The in-process tests (tests/api) cannot see Reflex's part."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import simple_websocket

from bookbug.services.accounts.registration import register
from bookbug.services.accounts.sign_in import sign_in
from tests.app_server import LiveApp, run_app

pytestmark = pytest.mark.slow

EVIL = "https://evil.example"
PASSWORD = "correct horse battery"
PAGES = ["/", "/login/", "/register/", "/books/", "/create/", "/account/", "/settings/", "/books/0123/"]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    data_dir = tmp_path_factory.mktemp("live-edge") / "data"
    with run_app(data_dir, MAX_REQUEST_BYTES="65536") as app:
        yield app


def session_for(live: LiveApp, email: str) -> str:
    db = f"sqlite:///{Path(live.data_dir) / 'bookbug.db'}"
    register(email, PASSWORD, db_url=db)
    return sign_in(email, PASSWORD, db_url=db).token


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_its_security_headers(live: LiveApp, path: str) -> None:
    answer = httpx.get(live.url + path, timeout=30)
    assert answer.status_code == 200, path
    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy and "default-src 'self'" in policy
    assert f"ws://{live.url.split('://', 1)[1]}" in policy  # its own socket, nothing else
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"


def test_the_pages_scripts_and_styles_carry_them_too(live: LiveApp) -> None:
    page = httpx.get(live.url + "/", timeout=30).text
    asset = page.split('src="', 1)[1].split('"', 1)[0] if 'src="/' in page else "/favicon.ico"
    answer = httpx.get(live.url + asset, timeout=30)
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_another_site_can_neither_read_nor_write_with_the_cookie(live: LiveApp) -> None:
    cookie = {"Cookie": f"bookbug_session={session_for(live, 'cors@example.com')}"}
    with httpx.Client(base_url=live.url, timeout=30) as http:
        read = http.get("/api/books", headers={**cookie, "Origin": EVIL})
        assert read.status_code == 200 and "access-control-allow-origin" not in read.headers
        own = http.get("/api/books", headers={**cookie, "Origin": live.url})
        assert own.headers.get("access-control-allow-origin") == live.url
        write = http.post("/api/books", headers={**cookie, "Origin": EVIL, "Content-Type": "text/plain"})
        assert write.status_code == 403 and write.json()["error"]["code"] == "cross_site"
        assert http.get("/api/books", headers=cookie).json()["total"] == 0
        asked = http.options("/api/books", headers={"Origin": EVIL, "Access-Control-Request-Method": "DELETE"})
        assert "access-control-allow-origin" not in asked.headers


def test_a_request_body_over_the_limit_is_refused(live: LiveApp) -> None:
    answer = httpx.post(f"{live.url}/api/auth/token", content=b"x" * 200_000,
                        headers={"Content-Type": "application/json"}, timeout=30)
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "too_large"


def socket_url(live: LiveApp) -> str:
    """A new tab's socket (each tab has its own token; Reflex keeps one socket per token)."""
    return live.url.replace("http://", "ws://") + f"/_event/?EIO=4&transport=websocket&token={uuid.uuid4()}"


def joined(live: LiveApp) -> simple_websocket.Client:
    """A socket from this app's page that has joined Socket.IO's namespace, as the page's does."""
    socket = simple_websocket.Client.connect(socket_url(live), headers={"Origin": live.url})
    socket.send("40")
    # (the Engine.IO open packet may come first, or be lost by this small client: not needed)
    for _ in range(5):
        message = socket.receive(timeout=5)
        if message and message.startswith("40"):
            return socket
    socket.close()
    raise AssertionError("the socket never joined")


def test_the_web_apps_socket_refuses_other_sites(live: LiveApp) -> None:
    with pytest.raises(simple_websocket.ConnectionError) as refused:
        simple_websocket.Client.connect(socket_url(live), headers={"Origin": EVIL})
    assert "403" in str(refused.value)
    joined(live).close()  # from the app's own page it opens


def test_an_oversized_socket_message_closes_the_socket(live: LiveApp) -> None:
    socket = joined(live)
    try:
        socket.send("3")  # a small message keeps it open
        socket.receive(timeout=2)
        assert socket.connected
        socket.send("42" + '["event","' + "x" * 100_000 + '"]')  # over MAX_REQUEST_BYTES (64 KiB here)
        with pytest.raises(simple_websocket.ConnectionClosed):
            for _ in range(20):
                socket.receive(timeout=5)
    finally:
        if socket.connected:
            socket.close()
