"""Where the CLI keeps its token: the XDG config folder, readable by the user alone."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bookbug.cli import config
from bookbug.cli.main import main


def test_a_token_is_kept_per_server_in_a_0600_file_under_xdg_config_home(config_home: Path) -> None:
    path = config.save("http://a.test", config.Credentials(token="bb_a", token_id="t1", email="a@example.com"))
    config.save("http://b.test", config.Credentials(token="bb_b"))
    assert path == config_home / "bookbug" / "credentials.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert config.load("http://a.test") == config.Credentials(token="bb_a", token_id="t1", email="a@example.com")
    assert config.forget("http://a.test") and config.load("http://a.test") is None
    assert config.load("http://b.test") == config.Credentials(token="bb_b")
    assert not config.forget("http://a.test")


def test_bookbug_token_in_the_environment_wins(config_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config.save("http://a.test", config.Credentials(token="bb_saved"))
    monkeypatch.setenv("BOOKBUG_TOKEN", "bb_from_env")
    assert config.load("http://a.test") == config.Credentials(token="bb_from_env")


def test_a_damaged_credentials_file_reads_as_signed_out(config_home: Path) -> None:
    (config_home / "bookbug").mkdir(parents=True)
    (config_home / "bookbug" / "credentials.json").write_text("{not json")
    assert config.load("http://a.test") is None


@pytest.mark.parametrize(("given", "expected"), [("localhost:3000", "http://localhost:3000"),
                                                 ("https://books.example.com/", "https://books.example.com")])
def test_server_addresses_are_normalized(given: str, expected: str) -> None:
    assert config.normalize_server(given) == expected


def test_a_bad_command_line_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["status"])  # the book id is missing
    assert exited.value.code == 2
    assert "ID" in capsys.readouterr().err


def test_create_without_a_terminal_asks_for_auto(config_home: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKBUG_TOKEN", "bb_any")
    assert main(["create", "--server", "http://127.0.0.1:9"]) == 2
    assert "--auto" in capsys.readouterr().err
