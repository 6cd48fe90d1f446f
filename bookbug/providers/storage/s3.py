"""Files in any S3-compatible bucket (AWS S3, Cloudflare R2, MinIO) through boto3.

Objects are private: nothing here sets an ACL or a bucket policy, and viewers get short-lived
presigned GET URLs (signature v4, which R2 requires).
"""

from __future__ import annotations

from pathlib import Path

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from bookbug.providers.storage.keys import check_key, check_prefix
from bookbug.providers.storage.protocol import FileMissing
from bookbug.settings import Settings

_MISSING = ("404", "NoSuchKey", "NotFound")
_DELETE_BATCH = 1000  # the most keys DeleteObjects takes at once


class S3Store:
    name = "s3"

    def __init__(
        self,
        *,
        bucket: str,
        access_key_id: str,
        secret_access_key: str,
        endpoint_url: str | None = None,
        region: str = "auto",
        presign_seconds: int = 900,
    ) -> None:
        if not bucket:
            raise ValueError("S3Store needs a bucket name (S3_BUCKET)")
        self.bucket = bucket
        self.presign_seconds = presign_seconds
        self._client = boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=Config(
                signature_version="s3v4",
                # custom endpoints (R2, MinIO, test servers) do not all resolve bucket subdomains
                s3={"addressing_style": "path" if endpoint_url else "auto"},
                retries={"max_attempts": 5, "mode": "standard"},
            ),
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Store:
        return cls(
            bucket=settings.s3_bucket,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
            endpoint_url=settings.s3_endpoint_url or None,
            region=settings.s3_region,
            presign_seconds=settings.s3_presign_seconds,
        )

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        self._client.put_object(Bucket=self.bucket, Key=check_key(key), Body=data, ContentType=content_type)

    def put_file(self, key: str, path: Path, content_type: str = "application/octet-stream") -> None:
        # upload_file sends large files in parts, never holding the whole file in memory
        self._client.upload_file(str(path), self.bucket, check_key(key), ExtraArgs={"ContentType": content_type})

    def get_file(self, key: str, path: Path) -> None:
        try:
            self._client.download_file(self.bucket, check_key(key), str(path))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                raise FileMissing(f"no file stored under {key!r}") from None
            raise

    def get(self, key: str) -> bytes:
        try:
            answer = self._client.get_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                raise FileMissing(f"no file stored under {key!r}") from None
            raise
        return answer["Body"].read()

    def exists(self, key: str) -> bool:
        try:
            self._client.head_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self.bucket, Key=check_key(key))

    def delete_prefix(self, prefix: str) -> int:
        check_prefix(prefix)
        deleted = 0
        batch: list[dict[str, str]] = []
        for page in self._client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                batch.append({"Key": item["Key"]})
                if len(batch) == _DELETE_BATCH:
                    deleted += self._delete_batch(batch)
                    batch = []
        if batch:
            deleted += self._delete_batch(batch)
        return deleted

    def _delete_batch(self, batch: list[dict[str, str]]) -> int:
        answer = self._client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})
        errors = answer.get("Errors", [])
        if errors:
            first = errors[0]
            raise RuntimeError(f"S3 refused to delete {len(errors)} files, e.g. {first.get('Key')}: {first.get('Message')}")
        return len(batch)

    def url_for(self, key: str, expires: int | None = None) -> str:
        return self._client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": check_key(key)},
            ExpiresIn=expires or self.presign_seconds,
        )
