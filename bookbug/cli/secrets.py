"""Reading a secret (a password, an API token) without it ever being on the command line.

A command line is visible to every user of the machine (`ps`) and lands in shell history, so
`bookbug login` takes secrets from an environment variable, from standard input when that is
a pipe, or from a prompt that does not echo, in that order.
"""

from __future__ import annotations

import os
import sys

import questionary

from bookbug.cli.errors import CliError, Exit

ON_ARGV = ("{option} takes no value on the command line, where other users of this machine can see it: "
           "set {variable}, pipe it on standard input (`... | bookbug login {option}`), or type it at the prompt.")


def refuse_on_command_line(value: str | None, option: str, variable: str) -> None:
    """A value given after `option` on the command line is refused, with what to do instead."""
    if value:
        raise CliError(ON_ARGV.format(option=option, variable=variable), Exit.USAGE)


def read_secret(what: str, variable: str) -> str:
    """The secret from `variable`, else standard input (a pipe), else a hidden prompt."""
    value = os.environ.get(variable, "").strip()
    if value:
        return value
    if not sys.stdin.isatty():
        value = sys.stdin.readline().strip()
        if not value:
            raise CliError(f"No {what} arrived on standard input.", Exit.USAGE)
        return value
    answer = questionary.password(f"{what.capitalize()}:").ask()
    if not answer:
        raise CliError("Stopped.", Exit.INTERRUPTED)
    return str(answer).strip()
