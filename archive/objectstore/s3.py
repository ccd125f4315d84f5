"""Object store on S3 / MinIO (or any S3-compatible server) through the ``minio`` SDK.

The bucket is created with object lock (hence versioning). Object lock protects versions, not
keys: an overwrite still succeeds as a new version and a plain delete adds a delete marker. So
each original is put in retention, the catalogue keeps the version id its bytes were written
as, and originals are always read by that version and checked against the catalogue's SHA-256:
an overwrite or a delete marker changes nothing Sijill serves (`sijill fsck` reports both).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from urllib.parse import quote, unquote

import urllib3
from minio import Minio
from minio.commonconfig import COMPLIANCE, GOVERNANCE
from minio.error import S3Error
from minio.retention import Retention

from archive.objectstore.base import StoredObject, check_sha, is_derived, write_once
from config.errors import ObjectMissing, StorageError, StorageUnavailable
from config.sijill import S3Settings

_META_SHA = "sha256"
_MISSING = {"NoSuchKey", "NoSuchObject", "ResourceNotFound", "NoSuchVersion", "MethodNotAllowed"}


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

    def __repr__(self) -> str:
        return f"S3Store({self.cfg!r})"

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
                self.client.make_bucket(self.cfg.bucket, object_lock=self.cfg.lock_mode != "off")
        except S3Error as exc:
            if exc.code not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise StorageError(f"S3 refused bucket {self.cfg.bucket!r}: {exc.code} {exc.message}") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise self._unavailable(exc) from exc
        self._bucket_ready = True

    def _retention(self, key: str) -> Retention | None:
        if self.cfg.lock_mode == "off" or is_derived(key):
            return None
        until = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=self.cfg.retention_days)
        return Retention(COMPLIANCE if self.cfg.lock_mode == "compliance" else GOVERNANCE, until)

    def put(self, key: str, data: bytes, content_type: str, metadata: dict[str, str] | None = None) -> StoredObject:
        sha, existing = write_once(self, key, data)
        if existing is not None:
            return existing
        meta = {k: _ascii(v) for k, v in (metadata or {}).items()}
        meta[_META_SHA] = sha
        try:
            result = self.client.put_object(
                self.cfg.bucket, key, io.BytesIO(data), len(data), content_type=content_type, metadata=meta,
                retention=self._retention(key),
            )  # fmt: skip
        except S3Error as exc:
            raise StorageError(f"S3 refused to store {key}: {exc.code} {exc.message}") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise self._unavailable(exc) from exc
        return StoredObject(key, len(data), sha, content_type, dict(metadata or {}), result.version_id)

    def stat(self, key: str, version_id: str | None = None) -> StoredObject | None:
        self._ensure_bucket()
        try:
            st = self.client.stat_object(self.cfg.bucket, key, version_id=version_id)
        except S3Error as exc:
            if exc.code in _MISSING:
                return None
            raise StorageError(f"S3 could not describe {key}: {exc.code} {exc.message}") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise self._unavailable(exc) from exc
        if st.is_delete_marker:
            return None
        meta = {
            k.lower().removeprefix("x-amz-meta-"): unquote(v)
            for k, v in (st.metadata or {}).items()
            if k.lower().startswith("x-amz-meta-")
        }
        sha = meta.pop(_META_SHA, "")
        return StoredObject(key, int(st.size or 0), sha, st.content_type or "", meta, st.version_id)

    def get(self, key: str, sha256: str | None = None, version_id: str | None = None) -> bytes:
        obj = self.stat(key, version_id)
        if obj is None:
            where = f" (version {version_id})" if version_id else ""
            raise ObjectMissing(f"{key}{where} is not in bucket {self.cfg.bucket!r} on {self.cfg.endpoint}.")
        try:
            resp = self.client.get_object(self.cfg.bucket, key, version_id=version_id)
            try:
                data = resp.read()
            finally:
                resp.close()
                resp.release_conn()
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise self._unavailable(exc) from exc
        expected = sha256 or obj.sha256
        if expected:
            check_sha(key, data, expected)
        return data

    def keys(self, prefix: str) -> Iterator[str]:
        self._ensure_bucket()
        try:
            for obj in self.client.list_objects(self.cfg.bucket, prefix=prefix, recursive=True):
                if obj.object_name and not obj.is_dir:
                    yield obj.object_name
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise self._unavailable(exc) from exc

    def destroy(self, key: str, versions: tuple[str, ...] = ()) -> None:
        """Every version of ``key``: those listed by the server, or (a server whose version list
        cannot be read) the ``versions`` the catalogue knows and whatever is current, until none."""
        from minio.deleteobjects import DeleteObject

        self._ensure_bucket()
        try:
            known = self._versions(key)
            if known is None:
                known = [*versions]
                for _ in range(1000):
                    current = self.stat(key)
                    if current is None or not current.version_id or current.version_id in known:
                        break
                    known.append(current.version_id)
                    self._remove(key, [DeleteObject(key, current.version_id)])
            self._remove(key, [DeleteObject(key, v) for v in known])
        except S3Error as exc:
            raise StorageError(f"S3 refused to remove {key}: {exc.code} {exc.message}") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise self._unavailable(exc) from exc
        if self.stat(key) is not None:
            raise StorageError(f"{key} is still in the bucket after its disposal; remove it by hand and run fsck.")

    def _versions(self, key: str) -> list[str | None] | None:
        try:
            listed = self.client.list_objects(self.cfg.bucket, prefix=key, include_version=True)
            return [o.version_id for o in listed if o.object_name == key]
        except ValueError:  # SeaweedFS's version list has dates the minio SDK cannot parse
            return None

    def _remove(self, key: str, objects: list) -> None:
        if not objects:
            return
        errors = list(self.client.remove_objects(self.cfg.bucket, objects, bypass_governance_mode=True))
        if errors:
            raise StorageError(f"S3 refused to remove {key}: {errors[0].code} {errors[0].message} (compliance-mode "
                               "objects cannot be removed before their retention ends)")  # fmt: skip

    def describe(self) -> str:
        lock = "no object lock" if self.cfg.lock_mode == "off" else f"object lock ({self.cfg.lock_mode})"
        return f"S3 bucket {self.cfg.bucket!r} at {self.cfg.endpoint}, {lock}"


def _ascii(value: str) -> str:
    # S3 user metadata travels in HTTP headers: keep it ASCII (file names may be Arabic).
    return quote(value, safe=" ._-/:@")
