"""File storage: one protocol, a local folder by default, S3 / R2 when configured."""

from __future__ import annotations

from bookbug.providers.storage.keys import InvalidKey, book_key, book_prefix, export_key, export_prefix
from bookbug.providers.storage.local import LocalStore
from bookbug.providers.storage.protocol import FileMissing, Storage
from bookbug.providers.storage.s3 import S3Store
from bookbug.settings import Settings, get_settings

__all__ = ["FileMissing", "InvalidKey", "LocalStore", "S3Store", "Storage", "book_key", "book_prefix", "delete_book_files",
           "export_key", "export_prefix", "get_storage"]


def get_storage(settings: Settings | None = None) -> Storage:
    """S3 when a bucket and both keys are set, else the local folder `settings.files_dir`."""
    settings = settings or get_settings()
    keys = (settings.s3_access_key_id, settings.s3_secret_access_key)
    if settings.s3_bucket and all(keys):
        return S3Store.from_settings(settings)
    if settings.s3_bucket or any(keys):
        # half a configuration would quietly keep a production deployment's files on one disk
        raise ValueError("set S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY together (or none of them)")
    return LocalStore(settings.files_dir)


def delete_book_files(storage: Storage, book_id: str) -> int:
    """Every file of one book, in either store; returns how many were deleted."""
    return storage.delete_prefix(book_prefix(book_id))
