"""Named points where a test can make a real command crash, to prove that a re-run after a
crash at any step registers the file exactly once.

``SIJILL_FAILPOINT=name:kill`` kills the process (SIGKILL, as the OOM killer or ``kill -9``
would); ``name:kill_once`` does so only the first time across processes (a marker file named
by ``SIJILL_FAILPOINT_MARK`` remembers it); ``name:raise:N`` raises ``ConnectionError`` there,
a transient failure, the first N times this process passes it. Unset, each point costs one dictionary look-up.
"""

from __future__ import annotations

import os
import signal

_raised: dict[str, int] = {}  # per process: how often each point has raised

POINTS = ("in_ocr_worker", "after_ocr", "after_original_put", "after_searchable_put", "before_commit", "after_commit")


def hit(name: str) -> None:
    spec = os.environ.get("SIJILL_FAILPOINT")
    if not spec:
        return
    point, _, action = spec.partition(":")
    if point != name:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if action == "kill_once":
        try:
            os.close(os.open(os.environ["SIJILL_FAILPOINT_MARK"], os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return
        os.kill(os.getpid(), signal.SIGKILL)
    if action.startswith("raise"):
        times = int(action.partition(":")[2] or 1)
        if _raised.get(name, 0) < times:
            _raised[name] = _raised.get(name, 0) + 1
            raise ConnectionError(f"failpoint {name}")
        return
    raise ValueError(f"SIJILL_FAILPOINT action must be kill or raise, got {action!r}")
