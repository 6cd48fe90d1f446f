"""What is kept and for how long: drafts abandoned longer than the operators' setting go with their
chat, runs and files; a finished book stays; expired export zips go; a deletion that never started
is started again."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlmodel import select

from bookbug.db import AccountDeletion, Book, ChatMessage, DataExport, session_scope, utcnow
from bookbug.engine import list_runs
from bookbug.providers.storage import get_storage
from bookbug.services import retention
from bookbug.services.accounts.users import get_user
from bookbug.config import app_config
from bookbug.settings import get_settings
from tests.api.conftest import Caller
from tests.privacy.family import draft_book, finished_book, ready_export
from tests.support.privacy import deleted


def last_moved(book_id: str, days_ago: float) -> None:
    with session_scope() as session:
        session.get(Book, book_id).updated_at = utcnow() - timedelta(days=days_ago)


def exists(book_id: str) -> bool:
    with session_scope() as session:
        return session.get(Book, book_id) is not None


def runs_of(subject: str) -> int:
    return len([run for run in list_runs(get_settings().db_url, limit=1000) if run.subject == subject])


async def test_drafts_abandoned_longer_than_the_setting_are_deleted_and_finished_books_are_kept(
        client: httpx.AsyncClient, alice: Caller) -> None:
    finished = await finished_book(client, alice)
    old, recent = await draft_book(client, alice), await draft_book(client, alice)
    last_moved(finished, 400)
    last_moved(old, 31)
    last_moved(recent, 29)
    assert app_config.current().draft_retention_days == 30

    assert await retention.delete_abandoned_drafts() == 1
    assert not exists(old) and runs_of(old) == 0
    with session_scope() as session:
        assert session.exec(select(ChatMessage).where(ChatMessage.book_id == old)).first() is None
    assert exists(recent) and exists(finished) and runs_of(recent) == 1

    app_config.update({"draft_retention_days": 7})
    assert await retention.delete_abandoned_drafts() == 1
    assert not exists(recent) and exists(finished)
    assert (await client.get(f"/api/books/{finished}/pdf", headers=alice.headers)).status_code == 200


async def test_an_export_past_its_day_is_deleted_with_its_zip(client: httpx.AsyncClient, alice: Caller) -> None:
    kept, expired = await ready_export(client, alice), await ready_export(client, alice)
    with session_scope() as session:
        row = session.get(DataExport, expired["id"])
        row.expires_at, key = utcnow() - timedelta(minutes=1), row.storage_key
    assert retention.delete_expired_exports() == 1
    assert not get_storage().exists(key)
    assert (await client.get(f"/api/account/exports/{expired['id']}", headers=alice.headers)).status_code == 404
    assert (await client.get(kept["download_url"], headers=alice.headers)).status_code == 200


async def test_a_deletion_noted_but_never_started_is_started_again(client: httpx.AsyncClient, alice: Caller) -> None:
    await draft_book(client, alice)
    with session_scope() as session:  # as if the process stopped between noting it and sending its event
        session.add(AccountDeletion(user_id=alice.user_id, email_key="", subjects={},
                                    requested_at=utcnow() - timedelta(hours=1)))
    assert await retention.resume_deletions() == 1
    await deleted()
    assert get_user(alice.user_id) is None
    assert await retention.resume_deletions() == 0
