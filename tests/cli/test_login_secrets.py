"""`bookbug login` never takes a secret on the command line (where `ps` and shell history show
it): a token or password comes from the environment, standard input, or a hidden prompt."""

from __future__ import annotations

import io

import pytest

from bookbug.cli.errors import CliError, Exit
from bookbug.cli.main import main
from bookbug.cli.secrets import read_secret


@pytest.mark.parametrize("args", [["--token", "bb_secret-on-argv"], ["--email", "a@example.com", "--password", "hunter2 hunter2"]])
def test_a_secret_on_the_command_line_is_refused_before_anything_is_sent(
        args: list[str], capsys: pytest.CaptureFixture[str], config_home: object) -> None:
    code = main(["login", "--server", "http://127.0.0.1:9", *args])  # nothing listens there: no request is made
    err = capsys.readouterr().err
    assert code == Exit.USAGE and "takes no value on the command line" in err
    assert args[-1] not in err


def test_the_environment_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOKBUG_TOKEN", " bb_from-env \n")
    monkeypatch.setattr("sys.stdin", io.StringIO("bb_from-stdin\n"))
    assert read_secret("API token", "BOOKBUG_TOKEN") == "bb_from-env"


def test_a_pipe_on_standard_input_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOOKBUG_TOKEN", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("bb_from-stdin\n"))
    assert read_secret("API token", "BOOKBUG_TOKEN") == "bb_from-stdin"


def test_an_empty_pipe_is_a_clear_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BOOKBUG_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CliError, match="No password arrived on standard input") as caught:
        read_secret("password", "BOOKBUG_PASSWORD")
    assert caught.value.code == Exit.USAGE
