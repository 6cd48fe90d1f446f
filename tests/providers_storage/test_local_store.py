"""The local store: files under DATA_DIR/files, unsafe keys refused, books deleted whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookbug.providers.storage import FileMissing, InvalidKey, LocalStore, book_key, delete_book_files, get_storage


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "files")


def test_put_then_get_returns_the_same_bytes(store: LocalStore) -> None:
    key = book_key("b1", "pages", "001.png")
    store.put(key, b"\x89PNG picture", "image/png")
    assert store.get(key) == b"\x89PNG picture"
    assert store.exists(key)
    assert (store.root / "books" / "b1" / "pages" / "001.png").read_bytes() == b"\x89PNG picture"


def test_put_replaces_a_file_whole(store: LocalStore) -> None:
    store.put("books/b1/a.txt", b"first version, longer")
    store.put("books/b1/a.txt", b"second")
    assert store.get("books/b1/a.txt") == b"second"
    assert [p.name for p in (store.root / "books" / "b1").iterdir()] == ["a.txt"]  # no temp files left


def test_missing_file_raises_file_missing(store: LocalStore) -> None:
    with pytest.raises(FileMissing, match="books/b1/nothing.png"):
        store.get("books/b1/nothing.png")
    assert not store.exists("books/b1/nothing.png")


@pytest.mark.parametrize(
    "key",
    ["../outside.txt", "books/../../etc/passwd", "/etc/passwd", "books/b1/../../x", "books//b1", "books\\b1\\x",
     "", "books/b1/", ".hidden", "books/b1/name with space.png", "books/b1/%2e%2e"],
)
def test_unsafe_keys_are_refused_and_nothing_is_written(store: LocalStore, tmp_path: Path, key: str) -> None:
    with pytest.raises(InvalidKey):
        store.put(key, b"x")
    with pytest.raises(InvalidKey):
        store.get(key)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == []


def test_delete_is_quiet_for_missing_files(store: LocalStore) -> None:
    store.put("books/b1/a.png", b"a")
    store.delete("books/b1/a.png")
    store.delete("books/b1/a.png")
    assert not store.exists("books/b1/a.png")


def test_deleting_a_book_removes_only_its_files(store: LocalStore) -> None:
    for name in ("pages/001.png", "pages/002.png", "sheets/pip.png", "book.pdf"):
        store.put(book_key("b1", *name.split("/")), b"data")
    store.put(book_key("b10", "book.pdf"), b"other book, shares a name prefix")
    assert delete_book_files(store, "b1") == 4
    assert not store.exists("books/b1/book.pdf")
    assert store.get("books/b10/book.pdf") == b"other book, shares a name prefix"
    assert delete_book_files(store, "b1") == 0


def test_prefix_must_be_a_whole_folder(store: LocalStore) -> None:
    with pytest.raises(InvalidKey, match="end with '/'"):
        store.delete_prefix("books/b1")


def test_url_is_the_guarded_app_route(store: LocalStore) -> None:
    assert store.url_for("books/b1/pages/001.png") == "/files/books/b1/pages/001.png"
    with pytest.raises(InvalidKey):
        store.url_for("../secret")


def test_default_storage_is_local_under_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bookbug.settings import reset_settings

    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    reset_settings()
    store = get_storage()
    assert isinstance(store, LocalStore)
    assert store.root == (tmp_path / "files").resolve()


def test_half_an_s3_configuration_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from bookbug.settings import reset_settings

    monkeypatch.setenv("S3_BUCKET", "books")
    reset_settings()
    with pytest.raises(ValueError, match="together"):
        get_storage()
