"""`bookbug share`: make a link, list the book's links, revoke one, against the REST API app
in this process (sharing needs no workflow, so no whole app server is started): the CLI's own
HTTP client, with a transport that hands each request to the app on an event loop of its own."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from bookbug.cli import client as cli_client
from bookbug.cli.main import main
from tests.api.conftest import Caller, _cheap_hashing, alice, api_db, bob, make_caller  # noqa: F401 - fixtures
from tests.support.api import PDF, finished_book
from tests.support.cli import SERVER, AppTransport, HttpxWithApp


@pytest.fixture
def server(api_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:  # noqa: F811
    transport = AppTransport()
    monkeypatch.setattr(cli_client, "httpx", HttpxWithApp(transport))
    yield SERVER
    transport.stop()


def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, caller: Caller, server: str,
        *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("BOOKBUG_TOKEN", caller.token)
    capsys.readouterr()
    code = main(["--server", server, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_share_makes_lists_and_revokes_a_link(server: str, alice: Caller, capsys: pytest.CaptureFixture[str],  # noqa: F811
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    book_id = finished_book(alice)

    code, out, err = cli(capsys, monkeypatch, alice, server, "share", book_id, "--days", "7")
    assert code == 0, err
    link = out.splitlines()[0].strip()
    assert link.startswith(f"{server}/shared/bbl_") and "until" in out
    public = httpx.Client(transport=AppTransport())  # a visitor: no token
    assert public.get(link.replace("/shared/", "/api/shared/") + "/pdf").content == PDF

    code, out, err = cli(capsys, monkeypatch, alice, server, "share", book_id, "--list", "--json")
    assert code == 0, err
    items = json.loads(out)["items"]
    assert len(items) == 1 and items[0]["expires_at"] and link.rsplit("/", 1)[1] not in out

    code, out, err = cli(capsys, monkeypatch, alice, server, "share", book_id, "--revoke", items[0]["id"])
    assert code == 0 and "Revoked" in out, err
    assert public.get(link).status_code == 404


def test_share_refusals_are_one_line_with_their_exit_code(server: str, alice: Caller, bob: Caller,  # noqa: F811
                                                          capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    book_id = finished_book(alice)
    code, _, err = cli(capsys, monkeypatch, bob, server, "share", book_id)
    assert code == 5 and "not found" in err
    code, _, err = cli(capsys, monkeypatch, alice, server, "share", book_id, "--revoke", "nosuchlink")
    assert code == 5 and "link was not found" in err
    with pytest.raises(SystemExit) as usage:
        main(["--server", server, "share", book_id, "--days", "0"])
    assert usage.value.code == 2
