"""`bookbug-admin` (or `python -m bookbug.admin`): who the operators are, changed on the server.

It runs where the app runs, with the app's settings and database (it is not a client of the
REST API, which has no door for this): `grant EMAIL` and `revoke EMAIL` give or take the
operator role, `list` shows the operators. While OPERATOR_EMAILS is set that list alone
decides, so grant and revoke are refused with a sentence saying so.
"""

from __future__ import annotations

import argparse
import sys

from bookbug.errors import AccountError
from bookbug.providers.auth.roles import OPERATOR, USER
from bookbug.services.accounts.operators import operator_emails, operators_summary, set_role
from bookbug.startup import ConfigError, load_settings


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="bookbug-admin", description="Manage Bookbug's operators.")
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    grant = sub.add_parser("grant", help="make the account with this e-mail an operator")
    grant.add_argument("email")
    revoke = sub.add_parser("revoke", help="make an operator a plain user again")
    revoke.add_argument("email")
    sub.add_parser("list", help="show who the operators are")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"bookbug-admin: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "list":
            print(operators_summary(settings=settings))
            return 0
        role = OPERATOR if args.command == "grant" else USER
        user = set_role(args.email, role, settings=settings)
    except AccountError as error:
        print(f"bookbug-admin: {error.message}", file=sys.stderr)
        return 1
    print(f"{user.email} is {'now an operator' if role == OPERATOR else 'no longer an operator'}.")
    if role == USER and not operator_emails():
        print("Nobody is an operator now: `bookbug-admin grant EMAIL` makes one.")
    return 0


def console() -> None:
    """The installed `bookbug-admin` command."""
    sys.exit(main())


if __name__ == "__main__":
    console()
