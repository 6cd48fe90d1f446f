"""`bookbug share BOOK_ID`: make a read-only link to a finished book, list its links, revoke one."""

from __future__ import annotations

from rich.table import Table

from bookbug.cli.commands import Context
from bookbug.cli.errors import Exit


def share(ctx: Context, book_id: str, *, days: int | None, listing: bool, revoke: str | None) -> int:
    with ctx.api() as api:
        if revoke:
            api.revoke_share(book_id, revoke)
            if ctx.as_json:
                ctx.emit({"id": revoke, "revoked": True})
            else:
                ctx.say(f"Revoked link {revoke}: it, its pictures and its PDF no longer open.", style="green")
            return Exit.OK
        if listing:
            return _list(ctx, api.shares(book_id))
        made = api.create_share(book_id, expires_in_days=days)
    link = ctx.server + made["path"]
    if ctx.as_json:
        ctx.emit({**made, "url": link})
        return Exit.OK
    ctx.say(link)  # alone on its line, so it is easy to copy
    until = f"until {str(made['expires_at'])[:16]} UTC" if made.get("expires_at") else "until you revoke it"
    ctx.say(f"Anyone with this link can read the book (no account needed), {until}. It is shown only now; "
            f"revoke it with `bookbug share {book_id} --revoke {made['id']}`.")
    return Exit.OK


def _list(ctx: Context, items: list[dict]) -> int:
    if ctx.as_json:
        ctx.emit({"items": items})
        return Exit.OK
    if not items:
        ctx.say("This book has no share links.")
        return Exit.OK
    table = Table("id", "made", "expires", "state")
    for item in items:
        expires = str(item["expires_at"])[:16] if item.get("expires_at") else "never"
        table.add_row(item["id"], str(item["created_at"])[:16], expires, "expired" if item["expired"] else "live")
    ctx.out.print(table)
    return Exit.OK
