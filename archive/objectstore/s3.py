"""Object store on S3 / MinIO (or any S3-compatible server) through the ``minio`` SDK."""

from __future__ import annotations

import io
from urllib.parse import quote, unquote

import urllib3
from minio import Minio
from minio.error import S3Error

from archive.objectstore.base import StoredObject, check_sha, write_once
from config.errors import ObjectMissing, StorageError, StorageUnavailable
from config.sijill import S3Settings

_META_SHA = "sha256"


class S3Store:
    def __init__(self, cfg: S3Settings, timeout_s: float = 10.0, retries: int = 2) -> None:
        self.cfg = cfg
        # Fail fast with a clear message instead of minio's default long retry loop.
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=timeout_s, read=timeout_s * 3),
            retries=urllib3.Retry(total=retries, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]),
        )
        endpoint = cfg.endpoint.removeprefix("http://").removeprefix("https://")
        self.client = Minio(
            endpoint,
            access_key=cfg.access_key,
            secret_key=cfg.secret_key,
            secure=cfg.secure,
            region=cfg.region,
            http_client=http,
        )
        self._bucket_ready = False

    def _unavailable(self, exc: Exception) -> StorageUnavailable:
        return StorageUnavailable(
            f"The S3 server at {self.cfg.endpoint} cannot be reached ({type(exc).__name__}). "
            "Nothing was lost: input files are untouched; run the same command again once it is up."
        )

    def _ensure_bucket(self) -> None:
        if self._bucket_ready:
            return
        try:
            if not self.client.bucket_exists(self.cfg.bucket):
                self.client.make_bucket(self.cfg.bucket)
        except S3Error as exc:
            if exc.code not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise StorageError(f"S3 refused bucket {self.cfg.bucket!r}: {exc.code} {exc.message}") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise self._unavailable(exc) from exc
        self._bucket_ready = True

    def put(self, key: str, data: bytes, content_type: str, metadata: dict[str, str] | None = None) -> StoredObject:
        sha, existing = write_once(self, key, data)
        if existing is not None:
            return existing
        meta = {k: _ascii(v) for k, v in (metadata or {}).items()}
        meta[_META_SHA] = sha
        try:
            self.client.put_object(
                self.cfg.bucket, key, io.BytesIO(data), len(data), content_type=content_type, metadata=meta
            )
        except S3Error as exc:
            raise StorageError(f"S3 refused to store {key}: {exc.code} {exc.message}") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise self._unavailable(exc) from exc
        return StoredObject(key, len(data), sha, content_type, dict(metadata or {}))

    def stat(self, key: str) -> StoredObject | None:
        self._ensure_bucket()
        try:
            st = self.client.stat_object(self.cfg.bucket, key)
        except S3Error as exc:
            if exc.code in {"NoSuchKey", "NoSuchObject", "ResourceNotFound"}:
                return None
            raise StorageError(f"S3 could not describe {key}: {exc.code} {exc.message}") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise self._unavailable(exc) from exc
        meta = {
            k.lower().removeprefix("x-amz-meta-"): unquote(v)
            for k, v in (st.metadata or {}).items()
            if k.lower().startswith("x-amz-meta-")
        }
        sha = meta.pop(_META_SHA, "")
        return StoredObject(key, int(st.size or 0), sha, st.content_type or "", meta)

    def get(self, key: str) -> bytes:
        obj = self.stat(key)
        if obj is None:
            raise ObjectMissing(f"{key} is not in bucket {self.cfg.bucket!r} on {self.cfg.endpoint}.")
        try:
            resp = self.client.get_object(self.cfg.bucket, key)
            try:
                data = resp.read()
            finally:
                resp.close()
                resp.release_conn()
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise self._unavailable(exc) from exc
        if obj.sha256:
            check_sha(key, data, obj.sha256)
        return data

    def describe(self) -> str:
        return f"S3 bucket {self.cfg.bucket!r} at {self.cfg.endpoint}"


def _ascii(value: str) -> str:
    # S3 user metadata travels in HTTP headers: keep it ASCII (file names may be Arabic).
    return quote(value, safe=" ._-/:@")
