"""Intake: find input files, recognise their type by content, fingerprint them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from config.errors import EmptyFile, UnsupportedFileType


class FileKind(StrEnum):
    PDF = "pdf"
    TIFF = "tiff"
    PNG = "png"
    JPEG = "jpeg"

    @property
    def mime(self) -> str:
        return {
            "pdf": "application/pdf",
            "tiff": "image/tiff",
            "png": "image/png",
            "jpeg": "image/jpeg",
        }[self.value]


_SIGNATURES: tuple[tuple[bytes, FileKind], ...] = (
    (b"\x89PNG\r\n\x1a\n", FileKind.PNG),
    (b"\xff\xd8\xff", FileKind.JPEG),
    (b"II*\x00", FileKind.TIFF),
    (b"MM\x00*", FileKind.TIFF),
)


def detect_kind(data: bytes) -> FileKind:
    """The file's type from its first bytes; the extension is never trusted."""
    if not data:
        raise EmptyFile("The file is empty (0 bytes); there is nothing to register.")
    # PDF writers may put junk before the header; readers accept it within the first 1 KiB.
    if b"%PDF-" in data[:1024]:
        return FileKind.PDF
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            return kind
    raise UnsupportedFileType(
        "Not a PDF, TIFF, PNG or JPEG file (checked by content, not by name). Scan it again to one of these formats."
    )


@dataclass(frozen=True)
class Original:
    """An input file as received: its bytes are never changed."""

    path: Path
    data: bytes
    sha256: str
    kind: FileKind | None  # None when the type could not be recognised

    @property
    def size(self) -> int:
        return len(self.data)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_original(path: Path) -> Original:
    """Read a file and fingerprint it. Type errors are left for the caller to raise."""
    data = path.read_bytes()
    try:
        kind: FileKind | None = detect_kind(data)
    except (EmptyFile, UnsupportedFileType):
        kind = None
    return Original(path=path, data=data, sha256=sha256_hex(data), kind=kind)


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and every file under folders named (recursive, in a stable order).

    Hidden files and folders (``.DS_Store``, ``.git``) are skipped: scanners and file
    managers leave them, and they are never mail.
    """
    seen: set[Path] = set()
    for root in paths:
        if root.is_dir():
            candidates: Iterable[Path] = sorted(
                p
                for p in root.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
            )
        else:
            candidates = [root]
        for p in candidates:
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                yield p
