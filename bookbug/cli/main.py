"""The `bookbug` command line: parse, run one command, turn failures into one line and a code."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bookbug.cli import commands, config, editing, privacy, redo, secrets, sharing
from bookbug.cli.errors import CliError, Exit

EPILOG = f"""Exit codes: 0 ok, 1 refused or failed, 2 bad usage, 3 server unreachable,
4 not signed in (or token expired), 5 not found, 6 the book failed or was cancelled.
The server is --server, else $BOOKBUG_URL, else {config.DEFAULT_SERVER}."""


def parser() -> argparse.ArgumentParser:
    # --server and --json work before or after the command (`bookbug --json list`, `bookbug list --json`)
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--server", default=argparse.SUPPRESS, help="the Bookbug server's URL")
    shared.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON for scripts")

    main = argparse.ArgumentParser(prog="bookbug", parents=[shared], epilog=EPILOG,
                                   description="Make picture books with Bookbug from your terminal.",
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    login = sub.add_parser("login", parents=[shared], help="sign in and keep a token for this server")
    login.add_argument("--email")
    # Secrets never go on the command line: these flags take no value (cli/secrets.py).
    login.add_argument("--password", nargs="?", const="", default=None, metavar="",
                       help="read the password from $BOOKBUG_PASSWORD, standard input or a prompt")
    login.add_argument("--token", nargs="?", const="", default=None, metavar="",
                       help="sign in with a personal API token made in the web app instead, read from "
                            "$BOOKBUG_TOKEN, standard input or a prompt")
    sub.add_parser("logout", parents=[shared], help="revoke and forget this server's token")

    create = sub.add_parser("create", parents=[shared], help="make a book: answer Bookbug's questions")
    create.add_argument("--auto", action="store_true", help="take Bookbug's first suggestion each time, approve")
    create.add_argument("--format", help="a book format id, e.g. square-large")
    create.add_argument("--pages", type=int, help="8 to 32 pages")
    create.add_argument("--out", type=Path, help="folder (or .pdf file) for the PDF; default: here")

    listing = sub.add_parser("list", parents=[shared], help="your books, newest first")
    listing.add_argument("--page", type=int, default=1)
    listing.add_argument("--per-page", type=int, default=20)

    status = sub.add_parser("status", parents=[shared], help="where a book is")
    status.add_argument("book_id", metavar="ID")
    status.add_argument("--follow", "-f", action="store_true", help="show live progress until it ends")

    download = sub.add_parser("download", parents=[shared], help="save a finished book's PDF (or its EPUB)")
    download.add_argument("book_id", metavar="ID")
    download.add_argument("--epub", action="store_true", help="the read-along e-book (EPUB 3) instead of the PDF")
    download.add_argument("--out", type=Path, help="folder (or .pdf / .epub file); default: here")

    cancel = sub.add_parser("cancel", parents=[shared], help="stop making a book")
    cancel.add_argument("book_id", metavar="ID")

    again = sub.add_parser("redo", parents=[shared], help="draw one page of a finished book again, then keep it or not")
    again.add_argument("book_id", metavar="BOOK_ID")
    again.add_argument("page", metavar="PAGE", type=page_number, help="the page's number, from 1")
    again.add_argument("--rewrite-text", action="store_true", help="write the page's words again too")
    again.add_argument("--note", help="what to change, e.g. 'make Mia laugh': the new picture follows it, "
                       "and the new words too with --rewrite-text")
    again.add_argument("--keep", choices=["new", "old"], help="keep the new version or go back, without asking")

    words = sub.add_parser("edit", parents=[shared], help="change a finished page's words by hand; the PDF is rebuilt")
    words.add_argument("book_id", metavar="BOOK_ID")
    words.add_argument("page", metavar="PAGE", type=page_number, help="the page's number, from 1")
    words.add_argument("words", metavar="WORDS", help="the page's new words (- reads them from standard input)")

    links = sub.add_parser("share", parents=[shared], help="make a read-only link to a finished book "
                            "(or list or revoke its links)")
    links.add_argument("book_id", metavar="BOOK_ID")
    links.add_argument("--days", type=share_days, help="the link stops working after this many days (1 to 365); "
                        "default: until revoked")
    links.add_argument("--list", action="store_true", help="list the book's links instead of making one")
    links.add_argument("--revoke", metavar="LINK_ID", help="revoke one link (its id from --list)")

    export = sub.add_parser("export", parents=[shared],
                            help="download all your data: every book (PDFs, pictures, words), chat and your account")
    export.add_argument("--out", type=Path, help="folder (or .zip file) for the zip; default: here")
    export.add_argument("--no-wait", action="store_true", help="only start preparing it")

    forget = sub.add_parser("delete-account", parents=[shared],
                            help="delete your account and everything of it, for good")
    forget.add_argument("--yes", action="store_true", help="do not ask to type the confirmation (for scripts)")
    return main


def page_number(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a page number; pages are numbered from 1")
    return number


def share_days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        days = 0
    if not 1 <= days <= 365:
        raise argparse.ArgumentTypeError(f"{value!r}: a link lasts 1 to 365 days (leave --days out for no expiry)")
    return days


def run(args: argparse.Namespace) -> int:
    server = config.normalize_server(getattr(args, "server", None) or os.environ.get("BOOKBUG_URL")
                                     or config.DEFAULT_SERVER)
    ctx = commands.Context(server=server, as_json=getattr(args, "json", False))
    match args.command:
        case "login":
            secrets.refuse_on_command_line(args.password, "--password", "BOOKBUG_PASSWORD")
            secrets.refuse_on_command_line(args.token, "--token", "BOOKBUG_TOKEN")
            return commands.login(ctx, args.email, with_token=args.token is not None)
        case "logout":
            return commands.logout(ctx)
        case "create":
            return commands.create(ctx, auto=args.auto, format=args.format, pages=args.pages, out=args.out)
        case "list":
            return commands.list_books(ctx, args.page, args.per_page)
        case "status":
            return commands.status(ctx, args.book_id, args.follow)
        case "download":
            return commands.download(ctx, args.book_id, args.out, epub=args.epub)
        case "cancel":
            return commands.cancel(ctx, args.book_id)
        case "export":
            return privacy.export(ctx, args.out, wait=not args.no_wait)
        case "delete-account":
            return privacy.delete_account(ctx, yes=args.yes)
        case "edit":
            return editing.edit(ctx, args.book_id, args.page, args.words)
        case "share":
            return sharing.share(ctx, args.book_id, days=args.days, listing=args.list, revoke=args.revoke)
        case "redo":
            return redo.redo(ctx, args.book_id, args.page, note=args.note, rewrite_text=args.rewrite_text,
                             keep=args.keep)
    raise CliError(f"unknown command {args.command}", Exit.USAGE)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(run(args))
    except CliError as error:
        print(f"bookbug: {error.message}", file=sys.stderr)
        return int(error.code)
    except KeyboardInterrupt:
        print("bookbug: stopped.", file=sys.stderr)
        return int(Exit.INTERRUPTED)


def console() -> None:
    """The installed `bookbug` command."""
    sys.exit(main())


if __name__ == "__main__":
    console()
