"""Scanners' hot folders: each complete file is handed to the task queue, then moved aside.

A network scanner writes slowly (over SMB, a page at a time), so a file is taken only once its
size and modification time have not changed for ``settle_s`` and it can be opened. A batch
with Sijill's separator sheets is cut into letters, each routed as its sheet says. Once every
letter of a file is final, the file is moved, bytes untouched, to ``DIR/.done/`` or to
``DIR/.quarantine/`` next to a ``.reason.txt``. A restart adopts the tasks of files already
handed over (by the file's SHA-256), so nothing is queued twice.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from config.errors import InputFileError
from ingest.intake import FileKind, detect_kind
from ingest.models import QueuedTask
from ingest.queue.service import TaskQueue

log = logging.getLogger("sijill.hotfolder")
DONE, QUARANTINE = ".done", ".quarantine"
OK_STATUSES = {"registered", "duplicate"}


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float


@dataclass
class _Handed:
    sha256: str
    tasks: list[int] = field(default_factory=list)


@dataclass
class Moved:
    path: Path
    to: Path
    outcomes: list[tuple[str, str, str]]  # (file, status, registry number or reason)


class HotFolder:
    def __init__(
        self, queue: TaskQueue, folders: dict[Path, str | None], actor: str = "scanner", settle_s: float = 3.0
    ) -> None:
        """``folders``: each folder with the service its letters go to (None: as read)."""
        self.queue, self.folders, self.actor, self.settle_s = queue, folders, actor, settle_s
        self._seen: dict[Path, _Seen] = {}
        self._handed: dict[Path, _Handed] = {}

    # --- one pass ---

    def poll(self) -> list[Moved]:
        """Hand over the files that became complete; move those whose letters are all final."""
        for folder, service in self.folders.items():
            for path in sorted(folder.iterdir()) if folder.is_dir() else []:
                if path.name.startswith(".") or not path.is_file() or path in self._handed:
                    continue
                if self._complete(path):
                    self._hand_over(path, service)
        return [moved for path in list(self._handed) if (moved := self._settle(path)) is not None]

    def _complete(self, path: Path) -> bool:
        try:
            st = path.stat()
            now = time.monotonic()
            seen = self._seen.get(path)
            if seen is None or (seen.size, seen.mtime_ns) != (st.st_size, st.st_mtime_ns):
                self._seen[path] = _Seen(st.st_size, st.st_mtime_ns, now)
                return False
            if now - seen.since < self.settle_s or st.st_size == 0:
                return False
            with path.open("rb"):  # still locked by the writer on some shares
                return True
        except OSError:
            self._seen.pop(path, None)
            return False

    def _hand_over(self, path: Path, service: str | None) -> None:
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        self._seen.pop(path, None)
        known = list(QueuedTask.objects.filter(sha256=sha, actor=self.actor).values_list("pk", flat=True)) or list(
            QueuedTask.objects.filter(actor=self.actor, options__source_sha256=sha).values_list("pk", flat=True)
        )
        if known:  # handed over before a restart: follow those tasks
            self._handed[path] = _Handed(sha, known)
            return
        batch = str(uuid.uuid4())
        base = {"via": "hotfolder", "source_sha256": sha, "source_file": path.name}
        handed = _Handed(sha)
        for name, part, info in _letters(path, data):
            routed = info.get("service") or service
            options = {**base, "services": [routed] if routed else []}
            handed.tasks.append(self.queue.submit_bytes(name, part, self.actor, batch, options).pk)
        self._handed[path] = handed
        log.info("%s: handed to the queue as %d letter(s)", path, len(handed.tasks))

    def _settle(self, path: Path) -> Moved | None:
        handed = self._handed[path]
        tasks = list(QueuedTask.objects.filter(pk__in=handed.tasks))
        if len(tasks) < len(handed.tasks) or any(t.status not in QueuedTask.FINAL for t in tasks):
            return None
        outcomes = [(t.filename, t.status, t.registry_number or t.reason) for t in tasks]
        good = all(status in OK_STATUSES for _, status, _ in outcomes)
        target = _free_name(path.parent / (DONE if good else QUARANTINE), path.name)
        target.parent.mkdir(exist_ok=True)
        if not good:
            reasons = [f"{name}: {status} — {why}" for name, status, why in outcomes]
            target.with_name(target.name + ".reason.txt").write_text("\n".join(reasons) + "\n", encoding="utf-8")
        path.replace(target)  # a rename: the bytes are not rewritten
        del self._handed[path]
        log.info("%s → %s", path, target)
        return Moved(path, target, outcomes)

    # --- running ---

    def run(self, stop: threading.Event, poll_s: float = 1.0, polling: bool = False, on_moved=None) -> None:
        """Until ``stop``: watch the folders (inotify, or polling for network shares where
        inotify sees nothing) and check them at least every ``poll_s`` anyway."""
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        wake = threading.Event()

        class Wake(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                wake.set()

        observer = PollingObserver() if polling else Observer()
        for folder in self.folders:
            folder.mkdir(parents=True, exist_ok=True)
            observer.schedule(Wake(), str(folder), recursive=False)
        observer.start()
        try:
            while not stop.is_set():
                for moved in self.poll():
                    if on_moved is not None:
                        on_moved(moved)
                wake.wait(poll_s)
                wake.clear()
        finally:
            observer.stop()
            observer.join()


def _letters(path: Path, data: bytes) -> list[tuple[str, bytes, dict[str, str]]]:
    """The file's letters: cut at separator sheets when it has any, else the file as it is."""
    from ingest.split import letters, part_bytes

    try:
        kind = detect_kind(data)
        parts = letters(path, kind) if kind in (FileKind.PDF, FileKind.TIFF) else []
    except (InputFileError, OSError, ValueError):
        parts = []  # the worker quarantines it with the precise reason
    whole_with_sheet = len(parts) == 1 and parts[0][1] and len(parts[0][0]) > 0
    if len(parts) < 2 and not whole_with_sheet:
        info = parts[0][1] if parts else {}
        return [(path.name, data, info)]
    stem = path.stem
    return [(f"{stem}#{k:02d}.pdf", part_bytes(path, kind, pages), info) for k, (pages, info) in enumerate(parts, 1)]


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    k = 2
    while target.exists():
        target = folder / f"{Path(name).stem} ({k}){Path(name).suffix}"
        k += 1
    return target
