"""What can go wrong for a CLI user, each with one line to show and its exit code."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    ERROR = 1  # the server refused (bad input, wrong moment, throttled) or something failed
    USAGE = 2  # argparse's own code for a bad command line
    UNREACHABLE = 3
    NOT_SIGNED_IN = 4  # no token, or an expired or revoked one
    NOT_FOUND = 5
    BOOK_FAILED = 6  # a followed book ended failed or cancelled
    INTERRUPTED = 130


class CliError(Exception):
    def __init__(self, message: str, code: Exit = Exit.ERROR, *, reason: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.reason = reason  # the server's error code (e.g. "wrong_phase"), when the server refused
