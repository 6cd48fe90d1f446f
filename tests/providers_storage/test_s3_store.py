"""The S3 store through boto3 against moto's server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bookbug.providers.storage import FileMissing, InvalidKey, S3Store, book_key, delete_book_files, get_storage
from bookbug.settings import reset_settings
from tests.standins.s3 import REGION, S3StandIn


@pytest.fixture(scope="module")
def s3() -> Iterator[S3StandIn]:
    with S3StandIn() as standin:
        yield standin


@pytest.fixture
def bucket(s3: S3StandIn) -> str:
    return s3.create_bucket()


@pytest.fixture
def store(s3: S3StandIn, bucket: str) -> S3Store:
    return S3Store(
        bucket=bucket, access_key_id=s3.access_key_id, secret_access_key=s3.secret_access_key,
        endpoint_url=s3.endpoint_url, region="auto", presign_seconds=120,  # Cloudflare R2's region
    )


def test_upload_lands_in_the_bucket_with_its_content_type(s3: S3StandIn, bucket: str, store: S3Store) -> None:
    key = book_key("b1", "pages", "001.png")
    store.put(key, b"\x89PNG page one", "image/png")
    assert s3.keys(bucket) == [key]
    head = s3.client().head_object(Bucket=bucket, Key=key)
    assert head["ContentType"] == "image/png"
    assert store.get(key) == b"\x89PNG page one"
    assert store.exists(key)
    assert not store.exists("books/b1/pages/002.png")


def test_missing_object_raises_file_missing(store: S3Store) -> None:
    with pytest.raises(FileMissing):
        store.get("books/b1/none.png")


def test_presigned_url_downloads_the_file_over_http(store: S3Store, s3: S3StandIn) -> None:
    store.put("books/b1/book.pdf", b"%PDF-1.4 tiny", "application/pdf")
    url = store.url_for("books/b1/book.pdf")
    assert url.startswith(s3.endpoint_url)
    assert "X-Amz-Algorithm=AWS4-HMAC-SHA256" in url  # signature v4, which R2 requires
    assert "%2Fauto%2Fs3%2Faws4_request" in url
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=120" in url
    answer = httpx.get(url)
    assert answer.status_code == 200
    assert answer.content == b"%PDF-1.4 tiny"


def test_objects_are_private_without_a_signature(store: S3Store, s3: S3StandIn, bucket: str) -> None:
    store.put("books/b1/secret.png", b"private")
    grants = s3.client().get_object_acl(Bucket=bucket, Key="books/b1/secret.png")["Grants"]
    assert all("AllUsers" not in str(grant.get("Grantee", {})) for grant in grants)


def test_deleting_a_book_removes_all_its_objects_and_no_others(
    s3: S3StandIn, bucket: str, store: S3Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bookbug.providers.storage.s3 as s3_module

    monkeypatch.setattr(s3_module, "_DELETE_BATCH", 3)  # several DeleteObjects batches without 1000 uploads
    for index in range(1, 8):
        store.put(book_key("b1", "pages", f"{index:04d}.png"), b"p")
    store.put(book_key("b2", "book.pdf"), b"keep me")
    assert delete_book_files(store, "b1") == 7
    assert s3.keys(bucket) == ["books/b2/book.pdf"]


def test_unsafe_keys_never_reach_the_bucket(store: S3Store, s3: S3StandIn, bucket: str) -> None:
    with pytest.raises(InvalidKey):
        store.put("books/../../x", b"x")
    assert s3.keys(bucket) == []


def test_settings_with_bucket_and_keys_choose_s3(monkeypatch: pytest.MonkeyPatch, s3: S3StandIn, bucket: str) -> None:
    monkeypatch.setenv("S3_BUCKET", bucket)
    monkeypatch.setenv("S3_ACCESS_KEY_ID", s3.access_key_id)
    monkeypatch.setenv("S3_SECRET_ACCESS_KEY", s3.secret_access_key)
    monkeypatch.setenv("S3_ENDPOINT_URL", s3.endpoint_url)
    monkeypatch.setenv("S3_REGION", REGION)
    monkeypatch.setenv("S3_PRESIGN_SECONDS", "60")
    reset_settings()
    store = get_storage()
    assert isinstance(store, S3Store)
    store.put("books/b9/a.txt", b"via settings")
    assert s3.keys(bucket) == ["books/b9/a.txt"]
    assert "X-Amz-Expires=60" in store.url_for("books/b9/a.txt")
