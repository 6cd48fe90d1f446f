"""The steps of a data export: everything a user has, packed into one zip they can keep.

    plan       fix the list of books to pack (books started later are in the next export)
    pack-N     one book: its record, story, chat transcript, PDFs, page pictures and character
               sheets, as a part file of its own (so a crash repacks one book, not all)
    seal       the account record and every part, in one zip; the parts are deleted

Zips are written to temporary files and streamed to storage: a user with many books never
needs their whole export in memory. Every step is safe to run again (it rewrites its own file).
"""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from bookbug.db import (
    ApiToken, Book, ChatMessage, DataExport, ExportStatus, RenderedPage, User, UserSession, session_scope, utcnow,
)
from bookbug.providers.storage import FileMissing, export_key
from bookbug.resilience import plain_words
from bookbug.workflows import providers
from bookbug.workflows.values import ExportPlan, PackedBook, SealedExport

FOLDER = "bookbug-export"
ZIP_NAME = "bookbug-export.zip"
KEEP_DAYS = 7  # a ready export can be downloaded this long, then it is deleted
_STORED = (".png", ".jpg", ".jpeg", ".pdf", ".zip", ".epub", ".mp3")  # already compressed: stored, not deflated again

README = """Your Bookbug data
=================

account.json      your account: e-mail, name, when it was made, where you are signed in, your API
                  tokens (their names and first characters only; the tokens themselves are never kept)
books/            one folder per book, oldest first:
  book.json       everything Bookbug knows of the book: the brief (your child's name, age and
                  interests as you told them), the plot, the words of every page, the art direction,
                  and what making it cost
  story.txt       the words of the book, page by page
  chat.txt        your conversation with Bookbug about the book (chat.json: the same, as data)
  book.pdf        the print-ready book (book-screen.pdf: the same for screens), once it is finished
  book.epub       the read-along e-book, once it is finished
  pages/          the picture of every page
  voice/          the voice reading every page (MP3), where the book is narrated
  characters/     the reference sheet drawn of each character

Made {when} (UTC).
"""


def _export(session: Any, export_id: str) -> DataExport:
    export = session.get(DataExport, export_id)
    if export is None:
        raise LookupError(f"export {export_id} no longer exists")
    return export


def plan(export_id: str) -> ExportPlan:
    """Fix which books the export packs (once: a re-run keeps the first list)."""
    with session_scope() as session:
        export = _export(session, export_id)
        if export.book_ids is None:
            export.book_ids = list(session.exec(
                select(Book.id).where(Book.user_id == export.user_id)
                .order_by(col(Book.created_at), col(Book.id))).all())
            export.percent = 2.0
        return ExportPlan(books=len(export.book_ids))


def _slug(title: str, fallback: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (title or "").lower()).strip("-")[:50] or fallback


def _when(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def book_folder(index: int, book: Book) -> str:
    return f"{FOLDER}/books/{index + 1:02d}-{_slug(book.title, 'untitled')}"


def _book_record(book: Book) -> dict[str, Any]:
    return {"id": book.id, "title": book.title, "status": book.status, "format": book.format,
            "page_count": book.page_count, "created_at": _when(book.created_at), "completed_at": _when(book.completed_at),
            "brief": book.brief, "plot": book.plot, "prose": book.prose, "style_guide": book.style_guide,
            "characters": [{"name": c.get("name")} for c in (book.characters or []) if isinstance(c, dict)],
            "cost_usd": book.cost_usd, "usage": book.usage}


def _story(book: Book, pages: list[RenderedPage]) -> str:
    lines = [book.title or "Untitled book", ""]
    texts = {p.page_number: p.text for p in pages}
    written = {int(p.get("page_number", 0)): str(p.get("text", "")) for p in (book.prose or {}).get("pages") or []
               if isinstance(p, dict)}
    for number in sorted({*texts, *written}):
        lines += [f"Page {number}", texts.get(number) or written.get(number, ""), ""]
    return "\n".join(lines)


def _chat(messages: list[ChatMessage]) -> tuple[str, list[dict[str, Any]]]:
    lines, data = [], []
    for message in messages:
        who = "Bookbug" if message.role == "assistant" else "You"
        lines.append(f"{who}: {message.content}")
        if message.chips:
            lines.append("  (suggestions: " + " | ".join(str(c) for c in message.chips) + ")")
        lines.append("")
        data.append({"role": message.role, "content": message.content, "chips": message.chips or [],
                     "phase": message.phase, "turn": message.turn, "at": _when(message.created_at)})
    return "\n".join(lines), data


def _add_file(archive: zipfile.ZipFile, name: str, key: str | None) -> bool:
    """Copy one stored file into the zip (a file gone missing is left out, not an error)."""
    if not key:
        return False
    try:
        data = providers.storage().get(key)
    except FileMissing:
        return False
    kind = zipfile.ZIP_STORED if name.lower().endswith(_STORED) else zipfile.ZIP_DEFLATED
    archive.writestr(name, data, compress_type=kind)
    return True


def pack_book(export_id: str, index: int) -> PackedBook:
    """Book number `index` of the export, as a part file of its own."""
    with session_scope() as session:
        export = _export(session, export_id)
        book_id, total, user_id = (export.book_ids or [])[index], len(export.book_ids or []), export.user_id
        book = session.get(Book, book_id)
        pages = list(session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id)
                                  .order_by(col(RenderedPage.page_number))).all())
        messages = list(session.exec(select(ChatMessage).where(ChatMessage.book_id == book_id)
                                     .order_by(col(ChatMessage.turn), col(ChatMessage.created_at))).all())
    files = 0
    with tempfile.TemporaryDirectory(prefix="bookbug-export-") as folder:
        path = Path(folder) / "part.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            if book is not None and book.user_id == user_id:  # a book deleted meanwhile is left out
                base = book_folder(index, book)
                chat_text, chat_data = _chat(messages)
                archive.writestr(f"{base}/book.json", json.dumps(_book_record(book), indent=1, ensure_ascii=False))
                archive.writestr(f"{base}/story.txt", _story(book, pages))
                archive.writestr(f"{base}/chat.txt", chat_text)
                archive.writestr(f"{base}/chat.json", json.dumps(chat_data, indent=1, ensure_ascii=False))
                files += 4
                files += _add_file(archive, f"{base}/book.pdf", book.pdf_key)
                files += _add_file(archive, f"{base}/book-screen.pdf", book.screen_pdf_key)
                files += _add_file(archive, f"{base}/book.epub", book.epub_key)
                for page in pages:
                    files += _add_file(archive, f"{base}/pages/{page.page_number:03d}.png", page.storage_key)
                    files += _add_file(archive, f"{base}/voice/{page.page_number:03d}.mp3",
                                       (page.narration or {}).get("key"))
                for number, sheet in enumerate(book.characters or []):
                    if isinstance(sheet, dict) and sheet.get("sheet_key"):
                        name = f"{number:02d}-{_slug(str(sheet.get('name') or ''), 'character')}.png"
                        files += _add_file(archive, f"{base}/characters/{name}", str(sheet["sheet_key"]))
        providers.storage().put_file(export_key(user_id, export_id, f"part-{index:04d}.zip"), path, "application/zip")
    with session_scope() as session:
        _export(session, export_id).percent = round(2.0 + 93.0 * (index + 1) / max(1, total), 1)
    return PackedBook(files=files)


def _account(session: Any, user_id: str) -> dict[str, Any]:
    user = session.get(User, user_id)
    if user is None:
        raise LookupError("the account no longer exists")
    sessions = session.exec(select(UserSession).where(UserSession.user_id == user_id,
                                                      col(UserSession.revoked_at).is_(None))).all()
    tokens = session.exec(select(ApiToken).where(ApiToken.user_id == user_id)).all()
    return {
        "email": user.email, "display_name": user.display_name, "created_at": _when(user.created_at),
        "role": user.role, "signs_in_with": "clerk" if user.clerk_id else "password",
        "sessions": [{"device": s.user_agent, "created_at": _when(s.created_at), "last_seen_at": _when(s.last_seen_at),
                      "expires_at": _when(s.expires_at)} for s in sessions],
        "api_tokens": [{"name": t.name, "starts_with": t.prefix, "created_at": _when(t.created_at),
                        "last_used_at": _when(t.last_used_at), "expires_at": _when(t.expires_at),
                        "revoked_at": _when(t.revoked_at)} for t in tokens],
    }


def seal(export_id: str) -> SealedExport:
    """The account record and every book's part in one zip; the export is ready to download.

    The parts are deleted only once the export is recorded ready, so a re-run finds either every
    part (and builds the same zip again) or a ready export (and only tidies the parts away)."""
    with session_scope() as session:
        export = _export(session, export_id)
        user_id, total, size = export.user_id, len(export.book_ids or []), export.size_bytes or 0
        sealed = export.status == ExportStatus.ready.value
        account = None if sealed else _account(session, user_id)
    files = providers.storage()
    if account is not None:
        now = utcnow()
        with tempfile.TemporaryDirectory(prefix="bookbug-export-") as folder:
            path, part = Path(folder) / ZIP_NAME, Path(folder) / "part.zip"
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(f"{FOLDER}/README.txt", README.format(when=now.strftime("%Y-%m-%d %H:%M")))
                archive.writestr(f"{FOLDER}/account.json",
                                 json.dumps({**account, "exported_at": _when(now)}, indent=1, ensure_ascii=False))
                for index in range(total):
                    files.get_file(export_key(user_id, export_id, f"part-{index:04d}.zip"), part)
                    with zipfile.ZipFile(part) as source:
                        for entry in source.infolist():
                            with source.open(entry) as reader, archive.open(entry, "w") as writer:
                                while chunk := reader.read(1024 * 1024):
                                    writer.write(chunk)
            final, size = export_key(user_id, export_id, ZIP_NAME), path.stat().st_size
            files.put_file(final, path, "application/zip")
        with session_scope() as session:
            export = _export(session, export_id)
            export.status, export.percent, export.storage_key = ExportStatus.ready.value, 100.0, final
            export.size_bytes, export.finished_at, export.expires_at = size, now, now + timedelta(days=KEEP_DAYS)
    for index in range(total):
        files.delete(export_key(user_id, export_id, f"part-{index:04d}.zip"))
    return SealedExport(bytes=size)


def fail(export_id: str, failure: dict[str, Any] | None) -> None:
    """The export failed: it says why in plain words, and its parts are deleted."""
    with session_scope() as session:
        export = session.get(DataExport, export_id)
        if export is None:
            return
        export.status, export.finished_at = ExportStatus.failed.value, utcnow()
        export.error = f"Preparing your data did not work: {plain_words.cause(failure)}. Please try again."[:500]
        user_id, total = export.user_id, len(export.book_ids or [])
    for index in range(total):
        providers.storage().delete(export_key(user_id, export_id, f"part-{index:04d}.zip"))
