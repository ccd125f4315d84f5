"""Fixity: every archived object re-hashed against the catalogue (`sijill fsck`).

Reports, per object: missing (not readable by the version the catalogue names), changed (its
bytes no longer hash to the catalogue's SHA-256), overwritten (a newer version hides it, on S3)
or deleted (a delete marker hides it, on S3) — the last two change nothing Sijill serves, but
someone with the bucket's keys tried — and orphaned (an object no catalogue row names).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from archive.models import Document, QuarantinedFile, RegistryEntry
from archive.objectstore import ObjectStore
from config.errors import IntegrityFailure, ObjectMissing, SijillError, TransientError


@dataclass(frozen=True)
class Expected:
    key: str
    sha256: str
    version_id: str | None
    what: str  # "original A-2026-000001", "signed D-2026-000003", "quarantined file.pdf"


@dataclass
class FsckReport:
    checked: int = 0
    problems: list[dict[str, str]] = field(default_factory=list)
    sampled: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, kind: str, key: str, what: str, detail: str) -> None:
        self.problems.append({"kind": kind, "key": key, "what": what, "detail": detail})

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def expected_objects() -> Iterator[Expected]:
    """Every write-once object the catalogue names, with the hash it must have."""
    numbers = dict(RegistryEntry.objects.filter(document__isnull=False).values_list("document_id", "number"))
    # A destroyed document's objects are gone on purpose (an approved disposal, with its certificate).
    docs = (
        Document.objects.filter(destroyed_at__isnull=True)
        .order_by("id")
        .values_list("id", "original_key", "sha256", "original_version")
    )
    for doc_id, key, sha, version in docs.iterator(chunk_size=2000):
        yield Expected(key, sha, version or None, f"original {numbers.get(doc_id, sha[:12])}")
    signed = RegistryEntry.objects.exclude(signed_key="").order_by("id").values_list("number", "signed_key")
    for number, key in signed.iterator(chunk_size=2000):
        yield Expected(key, key.rsplit("/", 1)[-1].removesuffix(".pdf"), None, f"signed {number}")
    quarantined = QuarantinedFile.objects.order_by("id").values_list("storage_key", "sha256", "original_name")
    for key, sha, name in quarantined.iterator(chunk_size=2000):
        yield Expected(key, sha, None, f"quarantined {name}")


def check(
    store: ObjectStore,
    sample: int | None = None,
    extra: Iterable[Expected] = (),
    on_progress: Callable[[int], None] | None = None,
) -> FsckReport:
    """``extra``: objects named elsewhere than the catalogue's own tables (a migration's bulk scans)."""
    items = [*expected_objects(), *extra]
    report = FsckReport(sampled=sample is not None)
    if sample is not None and sample < len(items):
        items = random.sample(items, sample)
    for item in items:
        _check_one(store, item, report)
        report.checked += 1
        if on_progress:
            on_progress(1)
    if sample is None:
        _orphans(store, report, {i.key for i in items})
    return report


def _check_one(store: ObjectStore, item: Expected, report: FsckReport) -> None:
    try:
        store.get(item.key, sha256=item.sha256, version_id=item.version_id)
    except ObjectMissing as exc:
        report.add("missing", item.key, item.what, exc.message)
        return
    except IntegrityFailure as exc:
        report.add("changed", item.key, item.what, exc.message)
        return
    except TransientError:
        raise  # the store is away: no verdict on the objects at all
    except SijillError as exc:
        report.add("unreadable", item.key, item.what, exc.message)
        return
    if item.version_id is None:
        return
    current = store.stat(item.key)
    if current is None:
        report.add("deleted", item.key, item.what, "a delete marker hides it (the locked version is intact)")
    elif current.version_id != item.version_id:
        report.add(
            "overwritten", item.key, item.what,
            f"a newer version {current.version_id} was written over it (the locked version is intact)",
        )  # fmt: skip


def _orphans(store: ObjectStore, report: FsckReport, known: set[str]) -> None:
    for prefix in ("originals/", "signed/", "quarantine/"):
        for key in store.keys(prefix):
            if key not in known:
                report.add("orphaned", key, "", "no catalogue row names this object")
