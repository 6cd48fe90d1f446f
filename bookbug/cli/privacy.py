"""`bookbug export` (download all your data as a zip) and `bookbug delete-account`."""

from __future__ import annotations

import time
from pathlib import Path

import questionary
from rich.progress import BarColumn, Progress, TextColumn

from bookbug.cli import config
from bookbug.cli.commands import Context, need_terminal
from bookbug.cli.errors import CliError, Exit

CONFIRM_PHRASE = "delete my account"  # what the server asks for (services/privacy.py)
POLL_SECONDS = 1.0


def export(ctx: Context, out: Path | None, *, wait: bool = True) -> int:
    """Ask for a zip of everything, follow its preparation, and save it."""
    with ctx.api() as api:
        job = api.start_export()
        if not wait:
            if ctx.as_json:
                ctx.emit(job)
            else:
                ctx.say(f"Preparing your data (export {job['id']}); `bookbug export` again fetches it when ready.")
            return Exit.OK
        with Progress(TextColumn("Preparing your data"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                      console=ctx.err, transient=True, disable=ctx.as_json) as bar:
            task = bar.add_task("export", total=100)
            while job["status"] == "preparing":
                bar.update(task, completed=job["percent"])
                time.sleep(POLL_SECONDS)
                job = api.export(job["id"])
        if job["status"] != "ready":
            raise CliError(job.get("error") or "Preparing your data did not work; please try again.")
        path = api.download_export(job["id"], out or Path.cwd())
    if ctx.as_json:
        ctx.emit({"id": job["id"], "zip": str(path), "bytes": job.get("size_bytes")})
    else:
        ctx.say(f"Your data is saved in {path}")
    return Exit.OK


def delete_account(ctx: Context, *, yes: bool = False) -> int:
    """Delete the account and everything of it, after the person types the confirmation phrase."""
    if not yes:
        need_terminal("`bookbug delete-account` without --yes")
        ctx.say("This deletes your account and every book, conversation, picture and PDF in it, for good.")
        typed = questionary.text(f'Type "{CONFIRM_PHRASE}" to confirm:').ask()
        if " ".join((typed or "").lower().split()) != CONFIRM_PHRASE:
            raise CliError("Nothing was deleted.", Exit.INTERRUPTED)
    with ctx.api() as api:
        answer = api.delete_account(CONFIRM_PHRASE)
    config.forget(ctx.server)  # the token is gone with the account
    if ctx.as_json:
        ctx.emit(answer)
    else:
        ctx.say(answer.get("message") or "Your account is being deleted.")
    return Exit.OK
