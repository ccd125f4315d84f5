from pathlib import Path

import pytest

from config.errors import EmptyFile, UnsupportedFileType
from ingest.intake import FileKind, detect_kind, iter_input_files, read_original, sha256_hex


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", FileKind.PDF),
        (b"\xef\xbb\xbf  %PDF-1.4\n", FileKind.PDF),  # junk before the header, as some scanners write
        (b"\x89PNG\r\n\x1a\n....", FileKind.PNG),
        (b"\xff\xd8\xff\xe0....", FileKind.JPEG),
        (b"II*\x00....", FileKind.TIFF),
        (b"MM\x00*....", FileKind.TIFF),
    ],
)
def test_type_is_detected_by_content(head: bytes, kind: FileKind) -> None:
    assert detect_kind(head) is kind


def test_extension_is_not_trusted(tmp_path: Path, arabic_scan_png: bytes) -> None:
    p = tmp_path / "letter.pdf"  # a PNG named .pdf
    p.write_bytes(arabic_scan_png)
    assert read_original(p).kind is FileKind.PNG


def test_empty_and_unknown_files_have_specific_errors() -> None:
    with pytest.raises(EmptyFile):
        detect_kind(b"")
    with pytest.raises(UnsupportedFileType, match="PDF, TIFF, PNG or JPEG"):
        detect_kind(b"PK\x03\x04 a zip file")


def test_folders_are_walked_recursively_in_stable_order(tmp_path: Path) -> None:
    for rel in ["b/2.pdf", "a/1.pdf", "a/deep/3.png", ".hidden/x.pdf", "a/.DS_Store"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_input_files([tmp_path, tmp_path / "a/1.pdf"])]
    assert found == ["a/1.pdf", "a/deep/3.png", "b/2.pdf"]


def test_sha256_of_original_bytes(tmp_path: Path) -> None:
    p = tmp_path / "x.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\nabc")
    o = read_original(p)
    assert o.sha256 == sha256_hex(b"\x89PNG\r\n\x1a\nabc") and o.size == 11
