"""A book's files: streamed from the local folder for the owner only, a presigned redirect on S3."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pytest
from sqlmodel import select

from bookbug.db import RenderedPage, session_scope
from bookbug.providers.storage import book_key, get_storage
from bookbug.settings import reset_settings
from tests.api.conftest import Caller
from tests.support.api import EPUB, MP3, PDF, PNG, assert_error, finished_book

async def test_the_pdf_downloads_with_the_books_title_as_its_name(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id = finished_book(alice)
    answer = await client.get(f"/api/books/{book_id}/pdf", headers=alice.headers)
    assert answer.status_code == 200 and answer.content == PDF
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("attachment") and "pip-s-big-day.pdf" in \
        answer.headers["content-disposition"]


async def test_images_are_served_inline_to_the_owner(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id = finished_book(alice)
    detail = (await client.get(f"/api/books/{book_id}", headers=alice.headers)).json()
    urls = [detail["cover_url"], detail["pages"][0]["image_url"], detail["characters"][0]["image_url"]]
    assert detail["characters"][1]["image_url"] is None
    for url in urls:
        answer = await client.get(url, headers=alice.headers)
        assert answer.status_code == 200 and answer.content == PNG, url
        assert answer.headers["content-type"] == "image/png"
    current = await client.get(detail["pages"][0]["image_url"], headers=alice.headers)
    assert "immutable" in current.headers["cache-control"]  # ?v= names the current version
    stale = await client.get(f"/api/books/{book_id}/pages/1/image?v=1", headers=alice.headers)
    assert "immutable" not in stale.headers["cache-control"]


async def test_the_epub_downloads_beside_the_pdf(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id = finished_book(alice)
    detail = (await client.get(f"/api/books/{book_id}", headers=alice.headers)).json()
    assert detail["epub_url"] == f"/api/books/{book_id}/epub"
    answer = await client.get(detail["epub_url"], headers=alice.headers)
    assert answer.status_code == 200 and answer.content == EPUB
    assert answer.headers["content-type"] == "application/epub+zip"
    assert answer.headers["content-disposition"].startswith("attachment") and "pip-s-big-day.epub" in \
        answer.headers["content-disposition"]


async def test_a_pages_narration_plays_for_the_owner_while_it_reads_the_pages_words(
        client: httpx.AsyncClient, alice: Caller) -> None:
    book_id = finished_book(alice)
    page = (await client.get(f"/api/books/{book_id}", headers=alice.headers)).json()["pages"][0]
    assert page["audio_seconds"] == 1.2
    answer = await client.get(page["audio_url"], headers=alice.headers)
    assert answer.status_code == 200 and answer.content == MP3
    assert answer.headers["content-type"] == "audio/mpeg"
    with session_scope() as session:  # the words changed since: the old voice is not offered
        row = session.exec(select(RenderedPage).where(RenderedPage.book_id == book_id)).one()
        row.text = "Pip woke up early."
    page = (await client.get(f"/api/books/{book_id}", headers=alice.headers)).json()["pages"][0]
    assert page["audio_url"] is None
    assert_error(await client.get(f"/api/books/{book_id}/pages/1/audio", headers=alice.headers), 404, "not_found")


@pytest.mark.parametrize("path", ["/pdf", "/epub", "/cover", "/pages/1/image", "/pages/1/audio",
                                  "/characters/0/image"])
async def test_a_strangers_files_are_404(client: httpx.AsyncClient, alice: Caller, bob: Caller, path: str) -> None:
    book_id = finished_book(alice)
    assert_error(await client.get(f"/api/books/{book_id}{path}", headers=bob.headers), 404, "not_found")


@pytest.mark.parametrize("path", ["/pages/2/image", "/characters/1/image", "/characters/7/image"])
async def test_a_file_that_does_not_exist_is_404(client: httpx.AsyncClient, alice: Caller, path: str) -> None:
    book_id = finished_book(alice)
    assert_error(await client.get(f"/api/books/{book_id}{path}", headers=alice.headers), 404, "not_found")


async def test_a_file_missing_from_storage_is_404_not_500(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id = finished_book(alice, store=False)
    assert_error(await client.get(f"/api/books/{book_id}/pdf", headers=alice.headers), 404, "not_found")


async def test_files_on_s3_are_a_redirect_to_a_presigned_url(client: httpx.AsyncClient, alice: Caller,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    book_id = finished_book(alice, store=False)
    for name, value in {"S3_BUCKET": "books", "S3_ACCESS_KEY_ID": "key", "S3_SECRET_ACCESS_KEY": "secret",
                        "S3_ENDPOINT_URL": "http://127.0.0.1:9", "S3_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    reset_settings()
    answer = await client.get(f"/api/books/{book_id}/pdf", headers=alice.headers)
    assert answer.status_code == 307
    location = urlsplit(answer.headers["location"])
    assert location.path == f"/books/books/{book_id}/book.pdf"
    assert "X-Amz-Signature=" in location.query
    assert_error(await client.get(f"/api/books/{book_id}/pdf", headers={}), 401, "unauthorized")


async def test_deleting_a_book_deletes_its_stored_files(client: httpx.AsyncClient, alice: Caller) -> None:
    book_id = finished_book(alice)
    storage = get_storage()
    assert storage.exists(book_key(book_id, "book.pdf"))
    assert (await client.delete(f"/api/books/{book_id}", headers=alice.headers)).status_code == 204
    assert not storage.exists(book_key(book_id, "book.pdf"))
    assert not storage.exists(book_key(book_id, "pages", "001.png"))


def big_png(width: int = 2400, height: int = 1800) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()  # noise: a PNG as heavy as a painted page
    Image.effect_noise((width, height), 40).convert("RGB").save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(("size", "longest"), [("thumb", 640), ("screen", 1600)])
async def test_a_page_picture_comes_in_a_smaller_copy_for_cards_and_for_the_reader(
        client: httpx.AsyncClient, alice: Caller, bob: Caller, size: str, longest: int) -> None:
    import io

    from PIL import Image

    book_id = finished_book(alice)
    original = big_png()
    get_storage().put(book_key(book_id, "pages", "001.png"), original)
    for url in (f"/api/books/{book_id}/pages/1/image?v=2&size={size}", f"/api/books/{book_id}/cover?size={size}"):
        answer = await client.get(url, headers=alice.headers)
        assert answer.status_code == 200 and answer.headers["content-type"] == "image/jpeg", url
        with Image.open(io.BytesIO(answer.content)) as picture:
            assert max(picture.size) == longest and picture.size[0] * 3 == picture.size[1] * 4  # same shape
        assert len(answer.content) < len(original) / 4
        assert_error(await client.get(url, headers=bob.headers), 404, "not_found")
    assert "immutable" in (await client.get(f"/api/books/{book_id}/pages/1/image?v=2&size={size}",
                                            headers=alice.headers)).headers["cache-control"]
    full = await client.get(f"/api/books/{book_id}/pages/1/image?v=2", headers=alice.headers)
    assert full.content == original  # without a size: the stored picture, untouched


async def test_a_small_picture_is_never_enlarged_and_an_unknown_size_is_refused(client: httpx.AsyncClient,
                                                                                alice: Caller) -> None:
    import io

    from PIL import Image

    book_id = finished_book(alice)
    get_storage().put(book_key(book_id, "pages", "001.png"), big_png(300, 200))
    answer = await client.get(f"/api/books/{book_id}/pages/1/image?v=2&size=screen", headers=alice.headers)
    with Image.open(io.BytesIO(answer.content)) as picture:
        assert picture.size == (300, 200)
    assert_error(await client.get(f"/api/books/{book_id}/pages/1/image?size=huge", headers=alice.headers), 422,
                 "invalid_input")


async def test_the_cover_is_cached_for_good_only_under_its_current_content_tag(client: httpx.AsyncClient,
                                                                              alice: Caller) -> None:
    book_id = finished_book(alice)
    cover_url = (await client.get(f"/api/books/{book_id}", headers=alice.headers)).json()["cover_url"]
    assert "?c=" in cover_url
    assert "immutable" in (await client.get(cover_url, headers=alice.headers)).headers["cache-control"]
    stale = await client.get(f"/api/books/{book_id}/cover?c=000000000000", headers=alice.headers)
    assert stale.status_code == 200 and "immutable" not in stale.headers["cache-control"]
