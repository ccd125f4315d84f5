"""Peak memory of a benchmark run, split the way an operator sizes a machine.

``ru_maxrss`` alone counts the index files Tantivy maps into memory once they are read: page
cache the kernel drops when memory is short, not memory the process holds. The watcher
samples the process and its children (the analysis workers) from /proc and keeps the peak of
each part: private (anonymous) memory, which must fit in RAM, and file-backed mapped pages.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Peak:
    rss_mb: float = 0.0  # everything resident, process + children, at one instant
    private_mb: float = 0.0  # anonymous memory, process + children
    mapped_files_mb: float = 0.0  # resident pages of mapped files (the index), process only


def _status_kb(pid: int, keys: tuple[str, ...]) -> dict[str, int]:
    out = dict.fromkeys(keys, 0)
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in out:
                out[name] = int(value.split()[0])
    except (OSError, ValueError):
        pass  # the process ended between listing and reading
    return out


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            kids += [int(k) for k in (task / "children").read_text().split()]
    except OSError:
        pass
    return kids


class MemoryWatch:
    """``with MemoryWatch() as w: ...`` then ``w.peak``."""

    def __init__(self, every_s: float = 0.2) -> None:
        self.every_s = every_s
        self.peak = Peak()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-watch", daemon=True)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            self.sample()

    def sample(self) -> None:
        me = os.getpid()
        own = _status_kb(me, ("RssAnon", "RssFile", "RssShmem"))
        kids = [_status_kb(k, ("RssAnon", "VmRSS")) for k in _children(me)]
        private = own["RssAnon"] + sum(k["RssAnon"] for k in kids)
        total = own["RssAnon"] + own["RssFile"] + own["RssShmem"] + sum(k["VmRSS"] for k in kids)
        p = self.peak
        p.rss_mb = max(p.rss_mb, total / 1024)
        p.private_mb = max(p.private_mb, private / 1024)
        p.mapped_files_mb = max(p.mapped_files_mb, own["RssFile"] / 1024)
