"""An S3-compatible endpoint on 127.0.0.1 for boto3: moto's threaded server.

    with S3StandIn() as s3:
        store = S3Store(bucket=s3.create_bucket("books"), endpoint_url=s3.endpoint_url,
                        access_key_id=s3.access_key_id, secret_access_key=s3.secret_access_key)

Each stand-in is its own server on a free port, so buckets never leak between tests.
"""

from __future__ import annotations

import uuid

import boto3
from botocore.config import Config
from moto.server import ThreadedMotoServer

REGION = "us-east-1"  # moto, like AWS, wants a real region name when it creates buckets


class S3StandIn:
    access_key_id = "standin-access-key"
    secret_access_key = "standin-secret-key"

    def __init__(self) -> None:
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)

    def __enter__(self) -> S3StandIn:
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint_url = f"http://{host}:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stop()

    def client(self):  # type: ignore[no-untyped-def] - boto3 clients have generated types
        return boto3.client(
            "s3", endpoint_url=self.endpoint_url, region_name=REGION,
            aws_access_key_id=self.access_key_id, aws_secret_access_key=self.secret_access_key,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    def create_bucket(self, name: str | None = None) -> str:
        name = name or f"bookbug-{uuid.uuid4().hex[:10]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> list[str]:
        answer = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in answer.get("Contents", []))
