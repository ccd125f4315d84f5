"""Originals stay as received: the S3 server refuses to delete them, an overwrite or a delete
marker changes nothing Sijill serves, every read is checked against the catalogue, and
`sijill fsck` reports each of these."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from minio.error import S3Error

from archive import catalogue, fsck
from archive.catalogue import DocumentRecord, PageRecord
from archive.objectstore import object_key
from archive.objectstore.filesystem import FilesystemStore
from archive.objectstore.s3 import S3Store
from archive.originals import read_original
from config.errors import IntegrityFailure
from config.sijill import S3Settings
from ingest.intake import sha256_hex
from tests.conftest import run_sijill
from tests.fixtures import s3server

pytestmark = pytest.mark.django_db(transaction=True)
ORIGINAL = b"%PDF-1.7 the letter as the citizen sent it"


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[s3server.S3Server]:
    server = s3server.start(tmp_path_factory.mktemp("weed"))
    yield server
    server.stop()


def _s3_store(server: s3server.S3Server, bucket: str) -> S3Store:
    cfg = S3Settings(server.endpoint, s3server.ACCESS_KEY, s3server.SECRET_KEY, bucket)
    return S3Store(cfg, timeout_s=5, retries=0)


def _register(store, data: bytes = ORIGINAL):
    sha = sha256_hex(data)
    key = object_key("originals", sha)
    stored = store.put(key, data, "application/pdf", {"filename": "lettre.pdf"})
    rec = DocumentRecord(sha, "pdf", "application/pdf", len(data), "lettre.pdf", key, key,
                         [PageRecord(1, "text_layer", "texte", ["fr"])], original_version=stored.version_id or "")  # fmt: skip
    entry, _ = catalogue.register_incoming(rec, "clerk")
    return entry.document, stored


def _kinds(store) -> list[str]:
    return sorted(p["kind"] for p in fsck.check(store).problems)


@pytest.mark.s3
def test_s3_refuses_to_delete_an_original_version_even_to_sijill(s3) -> None:
    store = _s3_store(s3, "lock-delete")
    doc, stored = _register(store)
    assert stored.version_id and doc.original_version == stored.version_id
    with pytest.raises(S3Error) as refused:  # Sijill's own credentials, straight at the server
        store.client.remove_object("lock-delete", doc.original_key, version_id=stored.version_id)
    assert refused.value.code == "AccessDenied"
    assert read_original(store, doc) == ORIGINAL
    assert fsck.check(store).ok


@pytest.mark.s3
def test_s3_overwrite_and_delete_marker_change_nothing_served_and_fsck_reports_both(s3) -> None:
    store = _s3_store(s3, "lock-overwrite")
    doc, _ = _register(store)
    tampered = b"%PDF-1.7 a forged letter"
    # An overwrite with a matching checksum header: a new version, the locked one untouched.
    store.client.put_object("lock-overwrite", doc.original_key, io.BytesIO(tampered), len(tampered),
                            metadata={"sha256": sha256_hex(tampered)})  # fmt: skip
    assert read_original(store, doc) == ORIGINAL
    assert _kinds(store) == ["overwritten"]
    store.client.remove_object("lock-overwrite", doc.original_key)  # a delete marker
    assert read_original(store, doc) == ORIGINAL
    assert _kinds(store) == ["deleted"]


@pytest.mark.s3
def test_s3_read_without_version_is_still_checked_against_the_catalogue(s3) -> None:
    store = _s3_store(s3, "lock-check")
    doc, _ = _register(store)
    tampered = b"forged"
    store.client.put_object("lock-check", doc.original_key, io.BytesIO(tampered), len(tampered),
                            metadata={"sha256": sha256_hex(tampered)})  # fmt: skip
    with pytest.raises(IntegrityFailure):
        store.get(doc.original_key, sha256=doc.sha256)  # the latest version, judged by the catalogue


def test_a_tampered_original_on_the_filesystem_is_caught_by_reads_and_fsck(tmp_path: Path) -> None:
    store = FilesystemStore(tmp_path / "objects")
    doc, _ = _register(store)
    (tmp_path / "objects" / doc.original_key).write_bytes(b"%PDF-1.7 forged")
    with pytest.raises(IntegrityFailure):
        read_original(store, doc)
    assert _kinds(store) == ["changed"]


def test_fsck_reports_missing_and_orphaned_objects(tmp_path: Path) -> None:
    store = FilesystemStore(tmp_path / "objects")
    doc, _ = _register(store)
    (tmp_path / "objects" / doc.original_key).unlink()
    store.put(object_key("originals", "f" * 64), b"nobody's", "application/pdf")
    assert _kinds(store) == ["missing", "orphaned"]
    assert fsck.check(store, sample=1).sampled


def test_reingesting_a_file_whose_original_went_missing_restores_it(home: Path, tmp_path: Path,
                                                                     french_born_pdf: bytes) -> None:  # fmt: skip
    src = tmp_path / "in"
    src.mkdir()
    (src / "lettre.pdf").write_bytes(french_born_pdf)
    assert run_sijill(home, "ingest", str(src)).returncode == 0
    original = next(p for p in (home / "objects" / "originals").rglob("*") if p.is_file() and p.suffix != ".json")
    original.unlink()
    bad = run_sijill(home, "fsck", "--json")
    assert bad.returncode == 1 and json.loads(bad.stdout)["problems"][0]["kind"] == "missing"
    again = run_sijill(home, "ingest", "--json", str(src))
    assert json.loads(again.stdout)["status"] == "duplicate"  # the same entry, nothing new
    assert original.read_bytes() == french_born_pdf
    good = run_sijill(home, "fsck")
    assert good.returncode == 0 and "all well" in good.stdout


@pytest.mark.s3
def test_only_an_approved_disposal_removes_a_locked_original_every_version_of_it(s3) -> None:
    """Governance mode: a plain delete is refused (above), the disposal's bypass is not."""
    store = _s3_store(s3, "lock-dispose")
    doc, stored = _register(store)
    store.client.put_object("lock-dispose", doc.original_key, io.BytesIO(b"second version"), 14)
    store.destroy(doc.original_key, (stored.version_id,))
    assert store.stat(doc.original_key) is None and store.stat(doc.original_key, stored.version_id) is None
