"""Media in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, ...), through ``obstore``.

obstore is the Python binding of the Rust ``object_store`` crate (Apache Arrow's): natively async, SigV4
signing, retries with backoff, and no Python dependencies (botocore would pin python-dateutil below the
version the service installs). Keys are checked the way the local backend checks them, so a key means the
same object on every backend; ``prefix`` puts them under a folder of the bucket.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import obstore
from obstore.exceptions import NotFoundError
from obstore.store import S3Store

from domain.media.ports import MediaMissing
from workers.media.local import check_key

if TYPE_CHECKING:
    from obstore.store import ClientConfig, S3Config


class S3Storage:
    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        prefix: str = "",
        timeout_seconds: float = 60.0,
    ) -> None:
        if not bucket:
            raise ValueError("S3Storage needs a bucket (SHOPWRIGHT_MEDIA_S3_BUCKET)")
        config: S3Config = {"region": region}
        client: ClientConfig = {"timeout": timedelta(seconds=timeout_seconds)}
        if endpoint_url:
            # S3-compatible servers are addressed by path (endpoint/bucket/key), not by bucket subdomains.
            config["endpoint"] = endpoint_url.rstrip("/")
            config["virtual_hosted_style_request"] = False
            client["allow_http"] = endpoint_url.startswith("http://")
        if access_key_id and secret_access_key:
            config["access_key_id"] = access_key_id
            config["secret_access_key"] = secret_access_key
        self.bucket = bucket
        self.prefix = "/".join(check_key(prefix.strip("/"))) if prefix.strip("/") else ""
        self.store = S3Store(bucket, config=config, client_options=client)

    def object_key(self, key: str) -> str:
        path = "/".join(check_key(key))
        return f"{self.prefix}/{path}" if self.prefix else path

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await obstore.put_async(self.store, self.object_key(key), data, attributes={"Content-Type": content_type})

    async def get(self, key: str) -> bytes:
        try:
            result = await obstore.get_async(self.store, self.object_key(key))
            return bytes(await result.bytes_async())
        except (NotFoundError, FileNotFoundError):
            raise MediaMissing(f"No stored file {key!r}.") from None

    async def delete(self, key: str) -> None:
        try:
            await obstore.delete_async(self.store, self.object_key(key))
        except (NotFoundError, FileNotFoundError):
            return
