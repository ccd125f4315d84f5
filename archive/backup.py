"""`sijill backup` / `sijill restore` for the embedded default: SQLite catalogue, filesystem
object store and Tantivy index under SIJILL_HOME, snapshotted while Sijill keeps serving.

Order matters for consistency:
1. the search index is copied under its writer lock, and the audit ``seq`` it is known to
   contain is noted (the index may hold more; catching up again is harmless);
2. the catalogue is copied with SQLite's online backup API: one consistent snapshot;
3. exactly the objects that snapshot names are copied (originals, derived copies, signed
   letters, quarantined files, models, queued uploads, migration reports), so the backup has no
   orphan and misses nothing, whatever was registered during the copy.
PostgreSQL and S3 have their own tools (pg_dump, bucket versioning and replication): see
docs/deploy.md.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from django.utils import timezone

from config.errors import ConfigError
from config.sijill import SijillSettings

MANIFEST = "BACKUP.json"

# Every object a catalogue snapshot can name, as (SQL, what).
_NAMED_OBJECTS = (
    "SELECT original_key FROM archive_document",
    "SELECT searchable_key FROM archive_document WHERE searchable_key <> ''",
    "SELECT signed_key FROM archive_registryentry WHERE signed_key <> ''",
    "SELECT storage_key FROM archive_quarantinedfile",
    "SELECT storage_key FROM ingest_trainedmodel",
    "SELECT incoming_key FROM ingest_queuedtask WHERE status NOT IN ('registered', 'duplicate', 'quarantined')",
    "SELECT 'originals/' || substr(sha256, 1, 2) || '/' || sha256 FROM ingest_migrationfile WHERE state = 'split'",
)


@dataclass
class BackupInfo:
    created_at: str
    catalogue_sha256: str
    objects: int
    index_seq: int | None
    index_identity: str | None

    def as_json(self) -> dict:
        return asdict(self)


def _embedded_only(settings: SijillSettings) -> None:
    if settings.database_url or settings.storage != "fs":
        raise ConfigError(
            "sijill backup covers the embedded default (SQLite + filesystem store). For PostgreSQL and S3 use "
            "pg_dump and bucket versioning or replication: see docs/deploy.md."
        )


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def named_keys(catalogue: Path) -> Iterator[str]:
    db = sqlite3.connect(f"file:{catalogue}?mode=ro", uri=True)
    try:
        for sql in _NAMED_OBJECTS:
            try:
                yield from (k for (k,) in db.execute(sql) if k)
            except sqlite3.OperationalError:  # a table this catalogue's schema does not have yet
                continue
    finally:
        db.close()


def _copy_object(src_root: Path, dst_root: Path, key: str) -> bool:
    src = src_root / key
    if not src.is_file():
        return False
    for s in (src, src.with_name(src.name + ".meta.json")):
        if s.exists():
            d = dst_root / s.relative_to(src_root)
            d.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(s, d)
    return True


def backup(
    settings: SijillSettings,
    dest: Path,
    copy_index: Callable[[Path], tuple[str, int] | None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> BackupInfo:
    """``copy_index(folder)`` copies the search index there and returns (identity, seq)."""
    _embedded_only(settings)
    if dest.exists() and any(dest.iterdir()):
        raise ConfigError(f"{dest} is not empty: back up into a new folder.")
    dest.mkdir(parents=True, exist_ok=True)
    index = copy_index(dest / "index") if copy_index else None
    src_db = sqlite3.connect(settings.sqlite_path)
    dst_db = sqlite3.connect(dest / "catalogue.sqlite3")
    try:
        src_db.backup(dst_db)  # SQLite's online backup: one consistent snapshot, writers go on
    finally:
        dst_db.close()
        src_db.close()
    copied = 0
    for key in dict.fromkeys(named_keys(dest / "catalogue.sqlite3")):
        copied += _copy_object(settings.store_dir, dest / "objects", key)
        if on_progress:
            on_progress(1)
    reports = settings.store_dir / "reports"
    if reports.exists():
        shutil.copytree(reports, dest / "objects" / "reports", dirs_exist_ok=True)
    info = BackupInfo(
        created_at=timezone.now().isoformat(timespec="seconds"),
        catalogue_sha256=_sha(dest / "catalogue.sqlite3"),
        objects=copied,
        index_identity=index[0] if index else None,
        index_seq=index[1] if index else None,
    )
    (dest / MANIFEST).write_text(json.dumps(info.as_json(), indent=2))
    return info


def restore(settings: SijillSettings, src: Path) -> BackupInfo:
    """Bring a backup back into an empty SIJILL_HOME."""
    _embedded_only(settings)
    manifest = src / MANIFEST
    if not manifest.exists():
        raise ConfigError(f"{src} is not a Sijill backup (no {MANIFEST}).")
    info = BackupInfo(**json.loads(manifest.read_text()))
    if _sha(src / "catalogue.sqlite3") != info.catalogue_sha256:
        raise ConfigError(f"The catalogue in {src} does not match its manifest: the backup is damaged.")
    if settings.sqlite_path.exists() or (settings.store_dir.exists() and any(settings.store_dir.iterdir())):
        raise ConfigError(f"{settings.home} already holds an archive: restore into an empty SIJILL_HOME.")
    settings.home.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src / "catalogue.sqlite3", settings.sqlite_path)
    if (src / "objects").exists():
        shutil.copytree(src / "objects", settings.store_dir, dirs_exist_ok=True)
    if (src / "index").exists():
        shutil.copytree(src / "index", settings.index_dir, dirs_exist_ok=True)
    if info.index_identity is not None:
        # The catalogue snapshot was taken after the index copy: its cursor may be ahead of what
        # the copied index holds. Put it back to what the index is known to contain.
        db = sqlite3.connect(settings.sqlite_path)
        try:
            with db:
                db.execute(
                    "UPDATE search_indexcursor SET last_seq = ? WHERE index_id = ?",
                    (info.index_seq, info.index_identity),
                )
        finally:
            db.close()
    return info
