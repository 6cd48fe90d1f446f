"""Download my data: one zip with every book (PDFs, page pictures, words), each chat transcript and
the account record, prepared in the background with progress, for the owner only, in either store."""

from __future__ import annotations

import io
import json
import zipfile

import httpx
from sqlmodel import select

from bookbug.db import DataExport, session_scope
from bookbug.engine import list_runs, run_steps
from bookbug.providers.storage import export_prefix, get_storage
from bookbug.providers.voice import espeak_path
from bookbug.settings import get_settings
from bookbug.workflows import names
from tests.api.conftest import Caller
from tests.privacy.family import CHILD, FIRST_MESSAGE, draft_book, finished_book, ready_export


async def download(client: httpx.AsyncClient, caller: Caller, export: dict) -> zipfile.ZipFile:
    answer = await client.get(export["download_url"], headers=caller.headers)
    if answer.status_code == 307:  # S3: a short-lived presigned link, fetched without our token
        assert get_storage().name == "s3" and "X-Amz-Signature" in answer.headers["location"]
        answer = httpx.get(answer.headers["location"])
    assert answer.status_code == 200, answer.text
    return zipfile.ZipFile(io.BytesIO(answer.content))


async def test_the_zip_holds_every_book_its_chat_and_the_account_and_nothing_of_anyone_else(
        narrated: None, client: httpx.AsyncClient, alice: Caller, bob: Caller, store: str) -> None:
    finished = await finished_book(client, alice)
    draft = await draft_book(client, alice, first="My son Orrin is 4 and adores tractors.")
    bobs = await draft_book(client, bob, first="My son Bartholomew is 6.")

    export = await ready_export(client, alice)
    assert export["books"] == 2 and export["percent"] == 100 and export["size_bytes"] > 0
    archive = await download(client, alice, export)
    names_in = archive.namelist()

    account = json.loads(archive.read("bookbug-export/account.json"))
    assert account["email"] == alice.email and account["api_tokens"][0]["starts_with"].startswith("bb_")
    assert alice.token not in archive.read("bookbug-export/account.json").decode()
    folders = sorted({name.split("/")[2] for name in names_in if name.startswith("bookbug-export/books/")})
    assert len(folders) == 2 and folders[0].startswith("01-") and folders[1].startswith("02-")
    done = f"bookbug-export/books/{folders[0]}"
    record = json.loads(archive.read(f"{done}/book.json"))
    assert record["id"] == finished and record["brief"]["characters"][0]["name"] == CHILD
    assert FIRST_MESSAGE in archive.read(f"{done}/chat.txt").decode()
    assert archive.read(f"{done}/book.pdf").startswith(b"%PDF-")
    pages = sorted(name for name in names_in if name.startswith(f"{done}/pages/"))
    assert len(pages) == 8 and archive.read(pages[0]).startswith(b"\x89PNG")
    assert archive.read(f"{done}/book.epub")[38:58] == b"application/epub+zip"
    if espeak_path():  # narrated offline where espeak-ng is installed
        assert len([n for n in names_in if n.startswith(f"{done}/voice/") and n.endswith(".mp3")]) == 8
    assert any(name.startswith(f"{done}/characters/") for name in names_in)
    story = archive.read(f"{done}/story.txt").decode()
    assert story.count("Page ") >= 8 and CHILD in story
    later = f"bookbug-export/books/{folders[1]}"
    assert json.loads(archive.read(f"{later}/book.json"))["id"] == draft
    assert "Orrin" in archive.read(f"{later}/chat.txt").decode()
    everything = b"".join(archive.read(name) for name in names_in)
    assert b"Bartholomew" not in everything and bobs.encode() not in everything and bob.email.encode() not in everything

    # the parts it was packed from are gone; the zip is all that is kept, under the owner's folder
    with session_scope() as session:
        row = session.exec(select(DataExport).where(DataExport.id == export["id"])).one()
    assert row.storage_key and row.storage_key.startswith(export_prefix(alice.user_id))


async def test_progress_is_a_step_per_book_and_the_run_says_nothing_but_counts(client: httpx.AsyncClient,
                                                                            alice: Caller) -> None:
    for _ in range(3):
        await draft_book(client, alice)
    export = await ready_export(client, alice)
    run = next(r for r in list_runs(get_settings().db_url, workflow=names.EXPORT_DATA) if r.subject == export["id"])
    steps = [step.step_id for step in run_steps(get_settings().db_url, run.id)]
    assert steps == ["plan", "pack-0", "pack-1", "pack-2", "seal"]
    assert run.event_data == {"export_id": export["id"]}, "the event carries no one's id or words"


async def test_asking_again_while_one_is_prepared_gives_the_same_one(client: httpx.AsyncClient, alice: Caller) -> None:
    with session_scope() as session:
        preparing = DataExport(user_id=alice.user_id)
        session.add(preparing)
        session.flush()
        known = preparing.id
    again = await client.post("/api/account/exports", headers=alice.headers)
    assert again.status_code == 202 and again.json()["id"] == known and again.json()["status"] == "preparing"
    with session_scope() as session:
        assert len(session.exec(select(DataExport).where(DataExport.user_id == alice.user_id)).all()) == 1


async def test_nobody_else_can_see_or_download_an_export(client: httpx.AsyncClient, alice: Caller, bob: Caller) -> None:
    export = await ready_export(client, alice)
    for url in (f"/api/account/exports/{export['id']}", export["download_url"]):
        theirs = await client.get(url, headers=bob.headers)
        assert theirs.status_code == 404 and export["id"] not in theirs.text
    listed = (await client.get("/api/account/exports", headers=bob.headers)).json()
    assert listed == {"items": []}


async def test_an_export_still_being_prepared_cannot_be_downloaded_yet(client: httpx.AsyncClient,
                                                                      alice: Caller) -> None:
    with session_scope() as session:
        row = DataExport(user_id=alice.user_id)
        session.add(row)
        session.flush()
        export_id = row.id
    answer = await client.get(f"/api/account/exports/{export_id}/download", headers=alice.headers)
    assert answer.status_code == 404 and "not ready" in answer.json()["error"]["message"]
