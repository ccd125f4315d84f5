"""Derived copies are byte-stable: a re-run stores exactly what the first run stored."""

from __future__ import annotations

from pathlib import Path

from archive.objectstore.base import write_once
from archive.objectstore.filesystem import FilesystemStore
from config.errors import StorageError
from ingest import searchable
from ingest.intake import FileKind
from ingest.split import part_bytes
from tests.fixtures import letters


def test_searchable_copy_is_the_same_bytes_each_time(french_born_pdf: bytes) -> None:
    a = searchable.build(french_born_pdf, [(0, None)])
    b = searchable.build(french_born_pdf, [(0, None)])
    assert a == b


def test_split_tiff_parts_are_the_same_bytes_each_time(tmp_path: Path) -> None:
    pages = [letters.render(letters.FRENCH_LETTERS[0], 100) for _ in range(2)]
    tiff = tmp_path / "bulk.tif"
    pages[0].save(tiff, save_all=True, append_images=pages[1:])
    first = part_bytes(tiff, FileKind.TIFF, [0, 1])
    second = part_bytes(tiff, FileKind.TIFF, [0, 1])
    assert first == second
    assert first.startswith(b"%PDF")


def test_originals_are_write_once_derived_copies_replaceable(tmp_path: Path) -> None:
    store = FilesystemStore(tmp_path)
    store.put("originals/ab/abc", b"one", "application/pdf")
    try:
        store.put("originals/ab/abc", b"two", "application/pdf")
        raise AssertionError("an original was overwritten")
    except StorageError as exc:
        assert "never overwritten" in exc.message
    store.put("searchable/ab/abc.pdf", b"one", "application/pdf")
    store.put("searchable/ab/abc.pdf", b"two", "application/pdf")  # made again from the original
    assert store.get("searchable/ab/abc.pdf") == b"two"
    assert write_once(store, "originals/ab/abc", b"one")[1] is not None
