"""One function per `bookbug` command. Each returns an exit code or raises CliError."""

from __future__ import annotations

import json
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import questionary
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bookbug.cli import config, secrets
from bookbug.cli.client import Api, Event
from bookbug.cli.errors import CliError, Exit
from bookbug.cli.progress import BookProgress
from bookbug.cli.prompts import Answerer, SuggestionAnswerer, TerminalAnswerer

FAILED_ENDINGS = {"failed", "cancelled"}


@dataclass
class Context:
    server: str
    as_json: bool = False
    out: Console = field(default_factory=Console)
    err: Console = field(default_factory=lambda: Console(stderr=True))

    def api(self, *, signed_in: bool = True) -> Api:
        credentials = config.load(self.server)
        if signed_in and credentials is None:
            raise CliError(f"You are not signed in to {self.server}; run `bookbug login` first.", Exit.NOT_SIGNED_IN)
        return Api(self.server, credentials.token if credentials else None)

    def say(self, message: str, style: str | None = None) -> None:
        """Words for a person: to stdout normally, to stderr when stdout carries JSON."""
        (self.err if self.as_json else self.out).print(message, style=style, markup=False, highlight=False)

    def emit(self, value: Any) -> None:
        print(json.dumps(value, default=str))

    def book_link(self, book_id: str) -> str:
        return f"{self.server}/books/{book_id}"


def open_question(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Bookbug's latest message if its turn has no answer yet."""
    answered = {m["turn"] for m in messages if m["role"] == "user"}
    asked = [m for m in messages if m["role"] == "assistant" and m["turn"] not in answered]
    return asked[-1] if asked else None


def need_terminal(what: str) -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CliError(f"{what} needs a terminal to ask its questions.", Exit.USAGE)


# -- signing in ------------------------------------------------------------------------------

def login(ctx: Context, email: str | None, *, with_token: bool = False) -> int:
    """Sign in with an e-mail and password (or, `with_token`, a personal API token); the
    secret comes from the environment, standard input or a prompt, never the command line."""
    if with_token:
        token = secrets.read_secret("API token", "BOOKBUG_TOKEN")
        with Api(ctx.server, token) as api:
            me = api.me()
        credentials = config.Credentials(token=token, email=me["email"])
    else:
        if not email:
            need_terminal("`bookbug login` without --email")
        email = email or _prompt(questionary.text("E-mail:"))
        password = secrets.read_secret("password", "BOOKBUG_PASSWORD")
        with Api(ctx.server) as api:
            new = api.create_token(email, password, name=f"bookbug CLI on {socket.gethostname()}"[:200])
        credentials = config.Credentials(token=new["token"], token_id=new["id"], email=email)
    path = config.save(ctx.server, credentials)
    if ctx.as_json:
        ctx.emit({"server": ctx.server, "email": credentials.email, "credentials": str(path)})
    else:
        ctx.say(f"Signed in to {ctx.server} as {credentials.email}. Token saved in {path}.")
    return Exit.OK


def logout(ctx: Context) -> int:
    credentials = config.load(ctx.server)
    revoked = False
    if credentials and credentials.token_id:
        try:
            with Api(ctx.server, credentials.token) as api:
                api.revoke_token(credentials.token_id)
            revoked = True
        except CliError as error:
            if error.code == Exit.UNREACHABLE:
                ctx.say(f"Could not reach {ctx.server} to revoke the token; it is forgotten here only.")
    forgotten = config.forget(ctx.server)
    if ctx.as_json:
        ctx.emit({"server": ctx.server, "signed_out": forgotten, "revoked": revoked})
    else:
        ctx.say(f"Signed out of {ctx.server}." if forgotten else f"You were not signed in to {ctx.server}.")
    return Exit.OK


def _prompt(question: questionary.Question) -> str:
    value = question.ask()
    if not value:
        raise CliError("Stopped.", Exit.INTERRUPTED)
    return str(value)


# -- books --------------------------------------------------------------------------------------

def list_books(ctx: Context, page: int, per_page: int) -> int:
    with ctx.api() as api:
        result = api.list_books(page, per_page)
    if ctx.as_json:
        ctx.emit(result)
        return Exit.OK
    if not result["items"]:
        ctx.say("No books yet: `bookbug create` starts one.")
        return Exit.OK
    table = Table("id", "title", "status", "progress", "created")
    for book in result["items"]:
        percent = f"{book['percent']:.0f}%" if book.get("percent") is not None else ""
        table.add_row(book["id"], Text(book["title"]), book["status"], percent, str(book["created_at"])[:16])
    ctx.out.print(table)
    pages = max(1, -(-result["total"] // result["per_page"]))
    ctx.say(f"Page {result['page']} of {pages} ({result['total']} books).")
    return Exit.OK


def cost_line(book: dict[str, Any]) -> str:
    return f"Cost so far: about ${float(book.get('cost_usd') or 0):,.2f} (an estimate from list prices)"


def _summary(ctx: Context, book: dict[str, Any]) -> None:
    job = book.get("job") or {}
    ctx.say(f"{book['title']}  ({book['id']})")
    line = f"Status: {book['status']}"
    if job.get("stage"):
        line += f", stage {job['stage']}"
    if job.get("percent") is not None:
        line += f", {job['percent']:.0f}%"
    ctx.say(line)
    ctx.say(f"Pages ready: {len(book.get('pages') or [])}")
    ctx.say(cost_line(book))
    if book.get("error"):
        ctx.say(f"Error: {book['error']}", style="red")
    ctx.say(f"Open it: {ctx.book_link(book['id'])}")


def status(ctx: Context, book_id: str, follow: bool) -> int:
    with ctx.api() as api:
        book = api.book(book_id)
        ending: Event | None = None
        if follow:
            ending = _follow(ctx, api, book_id)
            book = api.book(book_id)
    if ctx.as_json:
        ctx.emit(book)
    else:
        _summary(ctx, book)
    return Exit.BOOK_FAILED if ending is not None and ending.event in FAILED_ENDINGS else Exit.OK


def _follow(ctx: Context, api: Api, book_id: str, answerer: Answerer | None = None) -> Event | None:
    """Show the book's events until it ends; with an answerer, answer Bookbug's questions too."""
    asked: set[int] = set()
    view = None if ctx.as_json else BookProgress(ctx.out)
    try:
        for event in api.events(book_id):
            if ctx.as_json and answerer is None:
                ctx.emit({"id": event.id, "event": event.event, "data": event.data})
            if event.final:
                if view:
                    view.finish(event.event)
                return event
            if event.event == "chat":
                question = open_question(api.history(book_id))
                if question is None or question["turn"] in asked:
                    continue
                asked.add(question["turn"])
                if view:
                    view.stop()
                if answerer is None:
                    ctx.say(f"Bookbug is waiting for an answer: {question['content']}")
                    continue
                _answer(ctx, api, book_id, question, answerer)
            elif view:
                view.update(event.event, event.data)
    finally:
        if view:
            view.stop()
    return None


def _answer(ctx: Context, api: Api, book_id: str, question: dict[str, Any], answerer: Answerer) -> None:
    console = ctx.err if ctx.as_json else ctx.out  # stdout stays pure JSON with --json
    console.print(Panel(Text(question["content"]), title="Bookbug", title_align="left", border_style="magenta"))
    reply = answerer.answer(question)
    try:
        if reply.approve:
            api.approve(book_id)
            ctx.say("Plot approved: writing and illustrating your book.")
        else:
            api.send_message(book_id, reply.content)
            ctx.say(f"You: {reply.content}")
    except CliError as error:
        if error.code != Exit.ERROR:
            raise
        ctx.say(f"Not sent: {error.message}", style="yellow")  # e.g. answered meanwhile in the web app


def create(ctx: Context, *, auto: bool, format: str | None, pages: int | None, out: Path | None) -> int:
    if not auto:
        need_terminal("`bookbug create` (or use --auto to accept Bookbug's suggestions)")
    answerer: Answerer = SuggestionAnswerer() if auto else TerminalAnswerer()
    with ctx.api() as api:
        book = api.create_book(format=format, page_count=pages)
        book_id = book["id"]
        ctx.say(f"Started a new book ({book_id}). Bookbug has a few questions.")
        ending = _follow(ctx, api, book_id, answerer)
        detail = api.book(book_id)
        if ending is None or ending.event in FAILED_ENDINGS:
            reason = detail.get("error") or (ending.data.get("error") if ending else None) or ""
            raise CliError(f"The book {ending.event if ending else 'stopped'}{': ' + reason if reason else '.'}",
                           Exit.BOOK_FAILED)
        path = api.download_pdf(book_id, out or Path.cwd())
    if ctx.as_json:
        ctx.emit({"id": book_id, "status": detail["status"], "title": detail["title"],
                  "url": ctx.book_link(book_id), "pdf": str(path)})
    else:
        ctx.say(f"Your book “{detail['title']}” is ready: {ctx.book_link(book_id)}", style="green")
        ctx.say(f"PDF saved to {path}")
    return Exit.OK


def download(ctx: Context, book_id: str, out: Path | None, *, epub: bool = False) -> int:
    kind = "epub" if epub else "pdf"
    with ctx.api() as api:
        path = (api.download_epub if epub else api.download_pdf)(book_id, out or Path.cwd())
    if ctx.as_json:
        ctx.emit({"id": book_id, kind: str(path)})
    else:
        ctx.say(f"{kind.upper()} saved to {path}")
    return Exit.OK


def cancel(ctx: Context, book_id: str) -> int:
    with ctx.api() as api:
        job = api.cancel(book_id)
    if ctx.as_json:
        ctx.emit(job)
    else:
        ctx.say(f"Cancelled book {book_id}.")
    return Exit.OK
