"""Against a real running Bookbug (`make run`, offline providers): the REST API over HTTP,
the live stream through the Reflex server, and the `bookbug` command end to end, its
questions answered on a pseudo-terminal like a person would."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from unittest import mock
from pathlib import Path

import httpx
import pexpect
import pytest
from httpx_sse import connect_sse
from pypdf import PdfReader

from bookbug.cli import config
from bookbug.cli.main import main
from bookbug.settings import ROOT
from tests.app_server import LiveApp, free_port
from tests.cli.conftest import LiveUser

pytestmark = pytest.mark.slow


def token_for(live: LiveApp, user: LiveUser) -> str:
    answer = httpx.post(f"{live.url}/api/auth/token", json={"email": user.email, "password": user.password}, timeout=30)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["token"])


def login(capsys: pytest.CaptureFixture[str], *args: str, password: str) -> tuple[int, str, str]:
    """`bookbug login ARGS` with the password where scripts put it (never on the command line)."""
    with mock.patch.dict(os.environ, {"BOOKBUG_PASSWORD": password}):
        return cli(capsys, "login", *args)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `bookbug ARGS` in this process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def cli_env(live: LiveApp, config_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(XDG_CONFIG_HOME=str(config_home), BOOKBUG_URL=live.url, PYTHONPATH=str(ROOT),
               TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1", COLUMNS="140", LINES="50")
    return env


# -- the REST API over HTTP ----------------------------------------------------------------------

def test_the_api_answers_over_http_with_its_rules(live: LiveApp, make_user: Callable[..., LiveUser]) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    with httpx.Client(base_url=live.url, timeout=30) as http:
        assert http.get("/api/health").json() == {"status": "ok"}
        assert "/api/jobs/{book_id}/stream" in http.get("/api/openapi.json").json()["paths"]
        assert http.get("/api/books").json()["error"]["code"] == "unauthorized"
        headers = {"Authorization": f"Bearer {token_for(live, alice)}"}
        bad = http.post("/api/books", headers=headers, json={"page_count": 3})
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "page_count"
        book = http.post("/api/books", headers=headers, json={"page_count": 8}).json()

        # the stream passes through the app server unbuffered: the first question arrives live
        started = time.monotonic()
        with connect_sse(http, "GET", f"/api/jobs/{book['id']}/stream", headers=headers) as source:
            first_chat = next(sse for sse in source.iter_sse() if sse.event == "chat")
        assert time.monotonic() - started < 20
        question = json.loads(first_chat.data)["message"]
        assert question["role"] == "assistant" and question["chips"]
        assert http.post(f"/api/chat/{book['id']}/approve", headers=headers).status_code == 409

        strangers = {"Authorization": f"Bearer {token_for(live, bob)}"}
        assert http.get(f"/api/books/{book['id']}", headers=strangers).status_code == 404
        assert http.get(f"/api/jobs/{book['id']}/stream", headers=strangers).status_code == 404

        for _ in range(2):
            assert http.post("/api/books", headers=headers).status_code == 201
        throttled = http.post("/api/books", headers=headers)
        assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) >= 1


# -- the command-line client -----------------------------------------------------------------

def test_login_keeps_a_private_token_and_logout_revokes_it(live: LiveApp, make_user: Callable[..., LiveUser],
                                                            config_home: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    user = make_user("login")
    code, out, _ = login(capsys, "--server", live.url, "--email", user.email, password=user.password)
    assert code == 0 and user.email in out
    path = config_home / "bookbug" / "credentials.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    token = config.load(live.url)
    assert token is not None and token.token.startswith("bb_")
    assert cli(capsys, "list", "--server", live.url, "--json")[0] == 0

    code, out, _ = cli(capsys, "logout", "--server", live.url)
    assert code == 0 and "Signed out" in out and config.load(live.url) is None
    # the token is revoked on the server too, not only forgotten here
    assert httpx.get(f"{live.url}/api/me", headers={"Authorization": f"Bearer {token.token}"}).status_code == 401


def test_a_wrong_password_is_one_line_and_exit_4(live: LiveApp, make_user: Callable[..., LiveUser],
                                                 config_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    user = make_user("typo")
    code, _, err = login(capsys, "--server", live.url, "--email", user.email, password="wrong password!")
    assert code == 4 and err.strip() == "bookbug: The e-mail or password is not right."
    assert config.load(live.url) is None


def test_errors_are_one_clear_line_with_their_exit_code(live: LiveApp, make_user: Callable[..., LiveUser],
                                                        config_home: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = cli(capsys, "list", "--server", live.url)
    assert code == 4 and "not signed in" in err and len(err.strip().splitlines()) == 1

    monkeypatch.setenv("BOOKBUG_TOKEN", "bb_some-token")
    code, _, err = cli(capsys, "list", "--server", f"http://127.0.0.1:{free_port()}", "--json")
    assert code == 3 and "Cannot reach the Bookbug server" in err and len(err.strip().splitlines()) == 1
    monkeypatch.delenv("BOOKBUG_TOKEN")

    user = make_user("errors")
    token = token_for(live, user)
    code, _, err = cli(capsys, "login", "--server", live.url, "--token", token)  # never on the command line
    assert code == 2 and "takes no value on the command line" in err and token not in err
    monkeypatch.setenv("BOOKBUG_TOKEN", token)
    assert cli(capsys, "login", "--server", live.url, "--token")[0] == 0
    monkeypatch.delenv("BOOKBUG_TOKEN")
    code, _, err = cli(capsys, "status", "0" * 32, "--server", live.url)
    assert code == 5 and "not found" in err

    token_id = httpx.get(f"{live.url}/api/auth/tokens", headers={"Authorization": f"Bearer {token}"}).json()[0]["id"]
    httpx.delete(f"{live.url}/api/auth/tokens/{token_id}", headers={"Authorization": f"Bearer {token}"})
    code, _, err = cli(capsys, "list", "--server", live.url)
    assert code == 4 and "expired or was revoked" in err


def test_cancel_stops_a_book_and_following_it_reports_the_end(live: LiveApp, make_user: Callable[..., LiveUser],
                                                               config_home: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    user = make_user("cancel")
    assert login(capsys, "--server", live.url, "--email", user.email, password=user.password)[0] == 0
    token = config.load(live.url)
    assert token is not None
    book = httpx.post(f"{live.url}/api/books", headers={"Authorization": f"Bearer {token.token}"}).json()

    code, out, _ = cli(capsys, "cancel", book["id"], "--server", live.url, "--json")
    assert code == 0 and json.loads(out)["status"] == "cancelled"
    code, out, _ = cli(capsys, "status", book["id"], "--follow", "--json", "--server", live.url)
    lines = [json.loads(line) for line in out.strip().splitlines()]
    assert code == 6 and lines[-2]["event"] == "cancelled" and lines[-1]["status"] == "cancelled"
    assert "cost_usd" in lines[-1]  # what it cost so far, an estimate (the offline writer costs nothing)
    code, out, _ = cli(capsys, "status", book["id"], "--server", live.url)
    assert code == 0 and "Cost so far: about $0.00 (an estimate from list prices)" in out
    code, _, err = cli(capsys, "cancel", book["id"], "--server", live.url)
    assert code == 1 and "nothing in progress" in err
    code, _, err = cli(capsys, "download", book["id"], "--server", live.url)
    assert code == 5 and "no PDF yet" in err


def test_create_talks_it_through_on_a_terminal_and_saves_the_pdf(live: LiveApp, make_user: Callable[..., LiveUser],
                                                                 config_home: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    user = make_user("maker")
    assert login(capsys, "--server", live.url, "--email", user.email, password=user.password)[0] == 0
    env = cli_env(live, config_home)
    scripted_out = tmp_path / "scripted"
    # a script's run (--auto --json) at the same time, sharing the machine's two cores
    scripted = subprocess.Popen([sys.executable, "-m", "bookbug.cli.main", "create", "--auto", "--json",
                                 "--pages", "8", "--out", str(scripted_out)],
                                env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    person_out = tmp_path / "person"
    person_out.mkdir()
    child = pexpect.spawn(sys.executable, ["-m", "bookbug.cli.main", "create", "--pages", "8"], env=env,
                          cwd=str(person_out), encoding="utf-8", dimensions=(50, 140), timeout=60)
    child.logfile_read = open(tmp_path / "terminal.log", "w")  # noqa: SIM115 - closed with the child
    typed_own_answer = approved = False
    questions = 0
    while True:
        seen = child.expect(["Pick one", "Your answer:", "Shall I write it\\?", "PDF saved to", pexpect.EOF],
                            timeout=180)
        if seen == 0:
            questions += 1
            if not typed_own_answer:
                child.send("\x1b[A")  # up from the first chip wraps round to "Type my own answer"
            child.send("\r")
        elif seen == 1:
            child.sendline("A brave little fox named Pip who loves the moon")
            typed_own_answer = True
        elif seen == 2:
            child.send("\r")  # the first choice approves the plot
            approved = True
        elif seen == 3:
            child.expect(pexpect.EOF, timeout=30)
            break
        else:
            pytest.fail(f"bookbug create ended early:\n{(tmp_path / 'terminal.log').read_text()[-3000:]}")
    child.close()
    assert child.exitstatus == 0, (tmp_path / "terminal.log").read_text()[-3000:]
    assert typed_own_answer and approved and questions >= 3
    transcript = (tmp_path / "terminal.log").read_text()
    assert "You: A brave little fox named Pip who loves the moon" in transcript
    assert "Illustrating the pages" in transcript and f"{live.url}/books/" in transcript

    pdfs = list(person_out.glob("*.pdf"))
    assert len(pdfs) == 1 and len(PdfReader(pdfs[0]).pages) >= 8

    scripted_stdout, scripted_stderr = scripted.communicate(timeout=240)
    assert scripted.returncode == 0, scripted_stderr[-3000:]
    result = json.loads(scripted_stdout.strip().splitlines()[-1])
    assert result["status"] == "complete" and Path(result["pdf"]).parent == scripted_out
    assert len(PdfReader(result["pdf"]).pages) >= 8

    # the finished book through the other commands
    code, out, _ = cli(capsys, "list", "--json", "--server", live.url)
    listed = json.loads(out)
    assert code == 0 and listed["total"] == 2 and {b["status"] for b in listed["items"]} == {"complete"}
    code, out, _ = cli(capsys, "status", result["id"], "--follow", "--server", live.url)
    assert code == 0 and "Status: complete" in out
    code, out, _ = cli(capsys, "download", result["id"], "--out", str(tmp_path / "again.pdf"), "--server", live.url)
    assert code == 0 and PdfReader(tmp_path / "again.pdf").pages
    code, out, _ = cli(capsys, "download", result["id"], "--epub", "--out", str(tmp_path), "--json",
                       "--server", live.url)
    saved = Path(json.loads(out)["epub"])
    assert code == 0 and saved.suffix == ".epub" and saved.read_bytes()[38:58] == b"application/epub+zip"


# -- redoing a page --------------------------------------------------------------------------------

def wait_for_pending(live: LiveApp, token: str, book_id: str, page: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        book = httpx.get(f"{live.url}/api/books/{book_id}", headers={"Authorization": f"Bearer {token}"}).json()
        if next(p for p in book["pages"] if p["number"] == page)["version"] == 2:
            return
        time.sleep(0.5)
    raise AssertionError(f"page {page} got no new version")


def test_redo_draws_a_page_again_and_keeps_or_drops_it(live: LiveApp, make_user: Callable[..., LiveUser],
                                                        config_home: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKBUG_URL", live.url)
    stranger = make_user("stranger")
    stranger_book = httpx.post(f"{live.url}/api/books",
                               headers={"Authorization": f"Bearer {token_for(live, stranger)}"}).json()
    user = make_user("redo")
    assert login(capsys, "--email", user.email, password=user.password)[0] == 0
    credentials = config.load(live.url)
    assert credentials is not None
    headers = {"Authorization": f"Bearer {credentials.token}"}
    unfinished = httpx.post(f"{live.url}/api/books", headers=headers).json()
    code, out, err = cli(capsys, "create", "--auto", "--json", "--pages", "8", "--out", str(tmp_path))
    assert code == 0, err
    book_id = json.loads(out.strip().splitlines()[-1])["id"]

    # refusals, each one line, before anything changes
    code, _, err = cli(capsys, "redo", book_id, "9", "--keep", "new")
    assert code == 5 and err.strip() == "bookbug: This book has no page 9: its pages are 1 to 8."
    code, _, err = cli(capsys, "redo", stranger_book["id"], "2", "--keep", "new")
    assert code == 5 and "not found" in err
    code, _, err = cli(capsys, "redo", unfinished["id"], "2", "--keep", "new")
    assert code == 1 and "once the book is complete" in err
    code, _, err = cli(capsys, "redo", book_id, "2")  # no terminal here to ask on
    assert code == 2 and "needs a terminal" in err

    # a script's redo: follows the stream to the new version, then goes back to the old one
    code, out, err = cli(capsys, "redo", book_id, "2", "--keep", "old", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["kept"] == "old" and result["version"] == 1 and result["page"] == 2

    code, out, err = cli(capsys, "redo", book_id, "3", "--rewrite-text", "--note", "make the fox laugh",
                         "--keep", "new", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["kept"] == "new" and result["version"] == 2
    assert httpx.get(result["image_url"], headers=headers).headers["content-type"].startswith("image/")

    # a redo started elsewhere and left waiting: the command goes straight to the choice
    assert httpx.post(f"{live.url}/api/books/{book_id}/pages/4/redo", headers=headers).status_code == 202
    wait_for_pending(live, credentials.token, book_id, 4)
    code, out, err = cli(capsys, "redo", book_id, "4", "--keep", "new")
    assert code == 0, err
    assert "already has a new version waiting" in out and "Kept the new page 4" in out
    pages = {p["number"]: p for p in httpx.get(f"{live.url}/api/books/{book_id}", headers=headers).json()["pages"]}
    assert [pages[n]["version"] for n in (2, 3, 4, 5)] == [1, 2, 2, 1]

    # a person at a terminal sees the new page and chooses with the arrow keys
    env = cli_env(live, config_home)
    child = pexpect.spawn(sys.executable, ["-m", "bookbug.cli.main", "redo", book_id, "5"], env=env,
                          cwd=str(tmp_path), encoding="utf-8", dimensions=(50, 140), timeout=120)
    child.logfile_read = open(tmp_path / "redo.log", "w")  # noqa: SIM115 - closed with the child
    child.expect("Keep the new page 5\\?")
    child.send("\x1b[B")  # down to "Go back to the old one"
    child.send("\r")
    child.expect("Went back to the old page 5.")
    child.expect(pexpect.EOF, timeout=30)
    child.close()
    transcript = (tmp_path / "redo.log").read_text()
    assert child.exitstatus == 0, transcript[-3000:]
    assert "New page 5" in transcript and f"/api/books/{book_id}/pages/5/image?v=2" in transcript
    pages = {p["number"]: p for p in httpx.get(f"{live.url}/api/books/{book_id}", headers=headers).json()["pages"]}
    assert pages[5]["version"] == 1


def test_export_saves_a_zip_of_everything_and_delete_account_ends_it_all(
        live: LiveApp, make_user: Callable[..., LiveUser], config_home: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    import zipfile

    user = make_user("family")
    assert login(capsys, "--server", live.url, "--email", user.email, password=user.password)[0] == 0
    token = config.load(live.url)
    assert token is not None
    httpx.post(f"{live.url}/api/books", headers={"Authorization": f"Bearer {token.token}"}, json={"page_count": 8})

    code, out, _ = cli(capsys, "export", "--out", str(tmp_path), "--server", live.url, "--json")
    assert code == 0, out
    saved = Path(json.loads(out)["zip"])
    assert saved.parent == tmp_path and saved.suffix == ".zip"
    with zipfile.ZipFile(saved) as archive:
        assert json.loads(archive.read("bookbug-export/account.json"))["email"] == user.email
        assert any(name.endswith("/chat.txt") for name in archive.namelist())

    code, out, _ = cli(capsys, "delete-account", "--yes", "--server", live.url)
    assert code == 0 and "being deleted" in out
    assert config.load(live.url) is None, "the token is forgotten here too"
    assert httpx.get(f"{live.url}/api/me", headers={"Authorization": f"Bearer {token.token}"}).status_code == 401
    code, _, err = cli(capsys, "list", "--server", live.url)
    assert code == 4 and "not signed in" in err
