"""Running a migration: the same ingest pipeline, driven by a journal so it can stop and resume."""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from archive import catalogue, schema
from archive.export import safe_cell
from archive.fsck import Expected
from archive.models import QuarantinedFile
from archive.objectstore import ObjectStore
from archive.originals import read_original
from config.errors import InputFileError, SijillError
from config.sijill import SijillSettings
from ingest.batch import ingest_paths
from ingest.intake import detect_kind, iter_input_files
from ingest.migrate.manifest import LegacyLine, Manifest
from ingest.models import MigrationFile
from ingest.pipeline import FileOutcome

FINISHED = {MigrationFile.State.DONE, MigrationFile.State.DUPLICATE, MigrationFile.State.QUARANTINED}
PART = "#"  # journal rows of a split scan's letters: "box/scan.pdf#01"


def source_files(source: Path) -> Iterator[Path]:
    return iter_input_files([source])


def rel(source: Path, path: Path) -> str:
    return path.resolve().relative_to(source).as_posix()


@dataclass
class Summary:
    total: int = 0
    counts: Counter = field(default_factory=Counter)  # state → files
    already: int = 0  # finished by an earlier run
    report: Path | None = None

    parts: Counter = field(default_factory=Counter)  # letters cut out of bulk scans, by state

    @property
    def reconciles(self) -> bool:
        return sum(self.counts.values()) == self.total


def _state(source: Path, outcome: FileOutcome, key: str) -> tuple[str, str]:
    """Journal state and registry number for a file's outcome."""
    if outcome.status == "registered":
        return MigrationFile.State.DONE, outcome.registry_number or ""
    if outcome.status == "duplicate":
        # Another source file with these bytes already archived: a true duplicate. Otherwise the
        # file itself was archived by a run that stopped before writing the journal.
        other = (
            MigrationFile.objects.filter(source=str(source), sha256=outcome.sha256, state=MigrationFile.State.DONE)
            .exclude(rel_path=key)
            .exists()
        )
        return (MigrationFile.State.DUPLICATE if other else MigrationFile.State.DONE), outcome.registry_number or ""
    if outcome.status == "quarantined":
        return MigrationFile.State.QUARANTINED, ""
    return MigrationFile.State.FAILED, ""


def _split(source: Path, path: Path, mode: str, settings: SijillSettings, store: ObjectStore) -> list[Path] | None:
    """The letters of a bulk scan as part files (the same bytes on every run), or None when the
    file holds a single letter. The untouched scan itself is archived as the parts' source."""
    from archive.objectstore import object_key
    from ingest.intake import FileKind, read_original
    from ingest.split import groups, part_bytes

    try:
        original = read_original(path)
        kind = original.kind or detect_kind(original.data)
        if kind not in (FileKind.PDF, FileKind.TIFF):
            return None
        letters = groups(path, kind, mode)
    except (InputFileError, OSError, ValueError):
        return None  # ingest will quarantine it with the precise reason
    if len(letters) < 2:
        return None
    store.put(object_key("originals", original.sha256), original.data, kind.mime, {"filename": path.name})
    folder = settings.home / "migrations" / "parts" / original.sha256[:20]
    folder.mkdir(parents=True, exist_ok=True)
    parts = []
    for k, pages in enumerate(letters, start=1):
        part = folder / f"{path.stem}{PART}{k:02d}.pdf"
        if not part.exists():
            tmp = part.with_suffix(".tmp")
            tmp.write_bytes(part_bytes(path, kind, pages))
            tmp.replace(part)
        parts.append(part)
    MigrationFile.objects.update_or_create(
        source=str(source),
        rel_path=rel(source, path),
        defaults={"sha256": original.sha256, "size": original.size, "state": MigrationFile.State.SPLIT,
                  "reason": f"{len(parts)} letters"},
    )  # fmt: skip
    return parts


def migrate(
    source: Path,
    settings: SijillSettings,
    store: ObjectStore,
    actor: str,
    manifest: Manifest | None = None,
    on_start: Callable[[int, int, int], None] | None = None,
    on_file: Callable[[FileOutcome, str], None] | None = None,
    split: str | None = None,
) -> Summary:
    """``split``: "blank" or "sheet" to cut bulk scans into letters at separator pages."""
    import dataclasses

    source = source.resolve()
    journal = {
        r["rel_path"]: r["state"] for r in MigrationFile.objects.filter(source=str(source)).values("rel_path", "state")
    }
    summary = Summary()
    todo: list[Path] = []
    key_of: dict[str, str] = {}  # file actually ingested → its journal row
    legacy_of: dict[str, object] = {}
    for path in source_files(source):
        summary.total += 1
        r = rel(source, path)
        line = manifest.lines.get(r) if manifest else None
        state = journal.get(r)
        if state in FINISHED:
            summary.already += 1
            continue
        if manifest and r in manifest.rejected:
            MigrationFile.objects.update_or_create(
                source=str(source), rel_path=r,
                defaults={"size": path.stat().st_size, "state": MigrationFile.State.FAILED,
                          "reason": manifest.rejected[r]},
            )  # fmt: skip
            continue
        parts = _split(source, path, split, settings, store) if split else None
        if parts is None:
            todo.append(path)
            key_of[str(path)], legacy_of[str(path)] = r, line
            continue
        for k, part in enumerate(parts, start=1):
            key = f"{r}{PART}{k:02d}"
            if journal.get(key) in FINISHED:
                continue
            todo.append(part)
            key_of[str(part)] = key
            base = line or LegacyLine(file=r)
            legacy_of[str(part)] = dataclasses.replace(
                base, extra={**base.extra, "source_file": r, "part": f"{k}/{len(parts)}"}
            )
    if on_start:
        on_start(summary.total, summary.already, len(todo))

    for outcome in ingest_paths(todo, settings, store, actor, legacy_for=lambda p: legacy_of.get(str(p))):
        path = Path(outcome.path)
        key = key_of.get(str(path)) or rel(source, path)
        state, number = _state(source, outcome, key)
        MigrationFile.objects.update_or_create(
            source=str(source),
            rel_path=key,
            defaults={
                "size": path.stat().st_size if path.exists() else 0,
                "sha256": outcome.sha256 or "",
                "state": state,
                "registry_number": number,
                "reason": outcome.reason or "",
            },
        )
        if on_file:
            on_file(outcome, state)
    for row in MigrationFile.objects.filter(source=str(source)).values("rel_path", "state"):
        (summary.parts if PART in row["rel_path"] else summary.counts)[row["state"]] += 1
    summary.report = write_report(source, settings.home, store)
    schema.refresh_statistics()  # thousands of new lines: the planner's figures are stale
    return summary


def write_report(source: Path, home: Path, store: ObjectStore | None = None) -> Path:
    """Every source file → its registry number, or why it is not archived (CSV, UTF-8 with BOM).

    Written under SIJILL_HOME/migrations and kept in the object store (``reports/``), so any
    machine can read it, whichever ran the migration."""
    folder = home / "migrations"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"report-{timezone.localtime():%Y%m%d-%H%M%S}.csv"
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["file", "state", "registry_number", "sha256", "reason"])
    rows = MigrationFile.objects.filter(source=str(source)).order_by("rel_path")
    for r in rows.values_list("rel_path", "state", "registry_number", "sha256", "reason").iterator():
        w.writerow([safe_cell(v) for v in r])
    data = ("\ufeff" + buf.getvalue()).encode("utf-8")
    path.write_bytes(data)
    if store is not None:
        key = f"reports/migrations/{hashlib.sha256(str(source).encode()).hexdigest()[:12]}/{path.name}"
        store.put(key, data, "text/csv", {"source": str(source)})
    return path


@dataclass
class DryRun:
    files: int = 0
    missing: list[str] = field(default_factory=list)  # in the manifest, not in the tree
    not_in_manifest: list[str] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[list[str]] = field(default_factory=list)
    manifest_problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.missing or self.unreadable or self.manifest_problems)


def dry_run(source: Path, manifest: Manifest | None, settings: SijillSettings) -> DryRun:
    """What a migration would meet, without ingesting: each file is opened as ingest would
    (type, truncation, encryption, page and pixel limits), but not OCR'd."""
    from ingest.pages import plan_pages

    source = source.resolve()
    report = DryRun(manifest_problems=list(manifest.problems) if manifest else [])
    by_sha: dict[str, list[str]] = {}
    seen: set[str] = set()
    for path in source_files(source):
        r = rel(source, path)
        seen.add(r)
        report.files += 1
        if manifest and r not in manifest.lines:
            report.not_in_manifest.append(r)
        try:
            data = path.read_bytes()
            ocr = settings.ocr
            plan_pages(data, detect_kind(data), ocr.max_pages, ocr.max_pixels, ocr.dpi)
        except OSError as exc:
            report.unreadable.append((r, exc.strerror or str(exc)))
            continue
        except InputFileError as exc:
            report.unreadable.append((r, exc.message))
            continue
        by_sha.setdefault(hashlib.sha256(data).hexdigest(), []).append(r)
    if manifest:
        report.missing = sorted(set(manifest.lines) - seen)
    report.duplicates = [sorted(v) for v in by_sha.values() if len(v) > 1]
    return report


def _verify_split(source: Path, r: str, sha: str, journal: dict, store: ObjectStore) -> list[str]:
    from archive.objectstore import object_key

    problems = []
    try:
        if hashlib.sha256(store.get(object_key("originals", sha), sha256=sha)).hexdigest() != sha:
            problems.append(f"{r}: archived bulk scan differs from the source file")
    except SijillError as exc:
        problems.append(f"{r}: archived bulk scan unreadable: {exc.message}")
    parts = [row for key, row in journal.items() if key.startswith(f"{r}{PART}")]
    if not parts:
        problems.append(f"{r}: split, but none of its letters is in the journal")
    for row in parts:
        if row.state not in FINISHED:
            problems.append(f"{row.rel_path}: not migrated ({row.reason or row.state})")
        elif row.state != MigrationFile.State.QUARANTINED and catalogue.find_by_sha(row.sha256) is None:
            problems.append(f"{row.rel_path}: no registry entry holds this letter")
    return problems


def verify(source: Path, store: ObjectStore) -> tuple[int, list[str]]:
    """Every source file accounted for: archived (original reads back with its SHA-256) or
    quarantined with a reason. Returns (files checked, problems)."""
    source = source.resolve()
    journal = {r.rel_path: r for r in MigrationFile.objects.filter(source=str(source))}
    problems: list[str] = []
    n = 0
    for path in source_files(source):
        n += 1
        r = rel(source, path)
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        row = journal.get(r)
        if row is None or row.state == MigrationFile.State.FAILED:
            problems.append(f"{r}: not migrated" + (f" ({row.reason})" if row and row.reason else ""))
            continue
        if row.state == MigrationFile.State.SPLIT:
            problems += _verify_split(source, r, sha, journal, store)
            continue
        if row.state == MigrationFile.State.QUARANTINED:
            q = QuarantinedFile.objects.filter(sha256=sha).first()
            if q is None or not q.reason:
                problems.append(f"{r}: marked quarantined but not in quarantine")
            continue
        entry = catalogue.find_by_sha(sha)
        if entry is None:
            problems.append(f"{r}: no registry entry holds these bytes (changed since migration?)")
            continue
        try:
            data = read_original(store, entry.document)
        except SijillError as exc:
            problems.append(f"{r}: archived copy unreadable: {exc.message}")
            continue
        if hashlib.sha256(data).hexdigest() != sha:
            problems.append(f"{r}: archived copy differs from the source file")
    return n, problems


def bulk_scans() -> Iterator[Expected]:
    """The untouched bulk scans that split letters came from: archived originals too."""
    from archive.objectstore import object_key

    rows = MigrationFile.objects.filter(state=MigrationFile.State.SPLIT).values_list("sha256", "rel_path")
    for sha, rel_path in rows.iterator(chunk_size=2000):
        yield Expected(object_key("originals", sha), sha, None, f"bulk scan {rel_path}")
