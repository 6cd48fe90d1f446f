"""The REST API as Python calls, with the server's refusals turned into one-line CliErrors."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from httpx_sse import SSEError, connect_sse

from bookbug.cli.errors import CliError, Exit

FINAL = {"complete", "failed", "cancelled"}
RECONNECT_DELAYS = (0.5, 1, 2, 4, 8)  # then give up: the server is gone


@dataclass(frozen=True)
class Event:
    id: int | None
    event: str
    data: dict[str, Any]

    @property
    def final(self) -> bool:
        return self.event in FINAL


class Api:
    def __init__(self, server: str, token: str | None = None, *, timeout: float = 30.0) -> None:
        self.server = server
        self.token = token
        headers = {"User-Agent": "bookbug-cli"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.http = httpx.Client(base_url=server, headers=headers, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Api:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ---------------------------------------------------------------------------

    def unreachable(self) -> CliError:
        return CliError(f"Cannot reach the Bookbug server at {self.server}; is it running? "
                        "(choose another with --server or BOOKBUG_URL)", Exit.UNREACHABLE)

    def refusal(self, answer: httpx.Response) -> CliError:
        try:
            error = answer.json()["error"]
            message, code = str(error["message"]), str(error.get("code", ""))
        except (ValueError, KeyError, TypeError):
            message, code = f"The server answered {answer.status_code} {answer.reason_phrase}.", ""
        if answer.status_code == 401 and code != "unauthorized":  # e.g. a wrong password at login
            return CliError(message, Exit.NOT_SIGNED_IN)
        if answer.status_code == 401:
            if self.token:
                return CliError("Your sign-in has expired or was revoked; run `bookbug login` again.",
                                Exit.NOT_SIGNED_IN)
            return CliError("You are not signed in; run `bookbug login` first.", Exit.NOT_SIGNED_IN)
        if answer.status_code == 404 and code == "not_found":
            return CliError(message, Exit.NOT_FOUND, reason=code)
        return CliError(message, Exit.ERROR, reason=code)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            answer = self.http.request(method, path, **kwargs)
        except httpx.TransportError:
            raise self.unreachable() from None
        if answer.status_code >= 400:
            raise self.refusal(answer)
        return answer

    # -- endpoints ----------------------------------------------------------------------------

    def create_token(self, email: str, password: str, name: str) -> dict[str, Any]:
        return self.request("POST", "/api/auth/token", json={"email": email, "password": password, "name": name}).json()

    def revoke_token(self, token_id: str) -> None:
        self.request("DELETE", f"/api/auth/tokens/{token_id}")

    def me(self) -> dict[str, Any]:
        return self.request("GET", "/api/me").json()

    def create_book(self, *, format: str | None = None, page_count: int | None = None) -> dict[str, Any]:
        body = {k: v for k, v in {"format": format, "page_count": page_count}.items() if v is not None}
        return self.request("POST", "/api/books", json=body).json()

    def list_books(self, page: int = 1, per_page: int = 20) -> dict[str, Any]:
        return self.request("GET", "/api/books", params={"page": page, "per_page": per_page}).json()

    def book(self, book_id: str) -> dict[str, Any]:
        return self.request("GET", f"/api/books/{book_id}").json()

    def history(self, book_id: str) -> list[dict[str, Any]]:
        return self.request("GET", f"/api/chat/{book_id}/history").json()["messages"]

    def send_message(self, book_id: str, content: str) -> dict[str, Any]:
        return self.request("POST", f"/api/chat/{book_id}/message", json={"content": content}).json()

    def approve(self, book_id: str) -> dict[str, Any]:
        return self.request("POST", f"/api/chat/{book_id}/approve").json()

    def cancel(self, book_id: str) -> dict[str, Any]:
        return self.request("POST", f"/api/jobs/{book_id}/cancel").json()

    def redo_page(self, book_id: str, page: int, *, rewrite_text: bool = False, note: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"rewrite_text": rewrite_text}
        if note is not None:
            body["note"] = note
        return self.request("POST", f"/api/books/{book_id}/pages/{page}/redo", json=body).json()

    def decide_page(self, book_id: str, page: int, keep: str) -> dict[str, Any]:
        return self.request("POST", f"/api/books/{book_id}/pages/{page}/decision", json={"keep": keep}).json()

    def edit_page_text(self, book_id: str, page: int, text: str) -> dict[str, Any]:
        return self.request("POST", f"/api/books/{book_id}/pages/{page}/text", json={"text": text}).json()

    def create_share(self, book_id: str, *, expires_in_days: int | None = None) -> dict[str, Any]:
        body = {"expires_in_days": expires_in_days} if expires_in_days is not None else None
        return self.request("POST", f"/api/books/{book_id}/shares", json=body).json()

    def shares(self, book_id: str) -> list[dict[str, Any]]:
        return self.request("GET", f"/api/books/{book_id}/shares").json()["items"]

    def revoke_share(self, book_id: str, share_id: str) -> None:
        self.request("DELETE", f"/api/books/{book_id}/shares/{share_id}")

    def download_pdf(self, book_id: str, target: Path) -> Path:
        """Save the book's PDF into `target` (a folder, or a file name ending in .pdf)."""
        return self._download(book_id, target, "pdf", b"%PDF-", "a PDF")

    def download_epub(self, book_id: str, target: Path) -> Path:
        """Save the book's read-along EPUB into `target` (a folder, or a file name ending in .epub)."""
        return self._download(book_id, target, "epub", b"PK\x03\x04", "an EPUB")

    def _download(self, book_id: str, target: Path, kind: str, magic: bytes, what: str) -> Path:
        suffix = f".{kind}"
        try:
            # S3 answers with a redirect to a presigned URL; httpx drops our token on the way there
            with self.http.stream("GET", f"/api/books/{book_id}/{kind}", follow_redirects=True) as answer:
                if answer.status_code >= 400:
                    answer.read()
                    raise self.refusal(answer)
                path = target if target.suffix.lower() == suffix else target / _filename(answer, book_id, suffix)
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_name(path.name + ".part")
                with open(partial, "wb") as handle:
                    for chunk in answer.iter_bytes():
                        handle.write(chunk)
        except httpx.TransportError:
            raise self.unreachable() from None
        with open(partial, "rb") as handle:
            if handle.read(len(magic)) != magic:
                partial.unlink(missing_ok=True)
                raise CliError(f"The server sent something that is not {what}.")
        partial.replace(path)
        return path

    def start_export(self) -> dict[str, Any]:
        return self.request("POST", "/api/account/exports").json()

    def export(self, export_id: str) -> dict[str, Any]:
        return self.request("GET", f"/api/account/exports/{export_id}").json()

    def download_export(self, export_id: str, target: Path) -> Path:
        """Save a ready export's zip into `target` (a folder, or a file name ending in .zip)."""
        try:
            with self.http.stream("GET", f"/api/account/exports/{export_id}/download",
                                  follow_redirects=True) as answer:
                if answer.status_code >= 400:
                    answer.read()
                    raise self.refusal(answer)
                path = target if target.suffix.lower() == ".zip" else \
                    target / _filename(answer, export_id, ".zip", "bookbug-export")
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_name(path.name + ".part")
                with open(partial, "wb") as handle:
                    for chunk in answer.iter_bytes():
                        handle.write(chunk)
        except httpx.TransportError:
            raise self.unreachable() from None
        with open(partial, "rb") as handle:
            if handle.read(2) != b"PK":
                partial.unlink(missing_ok=True)
                raise CliError("The server sent something that is not a zip file.")
        partial.replace(path)
        return path

    def delete_account(self, confirm: str) -> dict[str, Any]:
        return self.request("POST", "/api/account/delete", json={"confirm": confirm}).json()

    def events(self, book_id: str, after: int | None = None) -> Iterator[Event]:
        """The book's live events until it ends, reconnecting with Last-Event-ID after a drop."""
        last = after
        failures = 0
        while True:
            headers = {"Last-Event-ID": str(last)} if last is not None else {}
            try:
                with connect_sse(self.http, "GET", f"/api/jobs/{book_id}/stream", headers=headers,
                                 timeout=httpx.Timeout(30.0, read=60.0)) as source:
                    if source.response.status_code >= 400:
                        source.response.read()
                        raise self.refusal(source.response)
                    for sse in source.iter_sse():
                        failures = 0
                        event = Event(id=int(sse.id) if sse.id else None, event=sse.event, data=_json(sse.data))
                        if event.id is not None:
                            last = event.id
                        yield event
                        if event.final:
                            return
            except (httpx.TransportError, SSEError):
                pass  # dropped: resume after the last event we saw
            if failures >= len(RECONNECT_DELAYS):
                raise self.unreachable()
            time.sleep(RECONNECT_DELAYS[failures])
            failures += 1


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {"text": text}
    return value if isinstance(value, dict) else {"value": value}


def _filename(answer: httpx.Response, name_id: str, suffix: str = ".pdf", stem: str = "bookbug") -> str:
    match = re.search(r'filename="?([^";]+)"?', answer.headers.get("content-disposition", ""))
    name = Path(match.group(1)).name if match else ""
    return name if name.endswith(suffix) else f"{stem}-{name_id}{suffix}"
