"""The unit of parallel work: OCR of one page, in a worker process.

Kept free of Django and storage so that a worker can be spawned cheaply and can never
write to the catalogue.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from config import failpoints
from ingest.intake import FileKind
from ingest.ocr import ocr_image
from ingest.pages import render_page

LOW_CONFIDENCE = 60.0


@dataclass
class PageResult:
    index: int
    text: str
    confidence: float
    languages: list[str]
    rotation: int
    skew: float
    low_confidence_words: list[str] = field(default_factory=list)
    pdf: bytes = field(default=b"", repr=False)


def init_worker(parent_pid: int | None = None) -> None:
    # One Tesseract thread per process: OpenMP threads were 2–5× slower on 2 cores than
    # running pages side by side.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import cv2

    cv2.setNumThreads(1)  # the same for OpenCV's median: the pages are the parallel work
    from threadpoolctl import threadpool_limits

    # And for numpy's OpenBLAS (the digit shapes' distances): with every core reading a page,
    # its second thread waits for one, and a product took 2.5 ms instead of 1.6.
    threadpool_limits(limits=1, user_api="blas")
    # Ctrl-C (or the SIGINT a service manager sends the whole group) is the parent's to handle:
    # it lets running pages finish, then stops its processes.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent_pid)


def _die_with_parent(parent_pid: int | None) -> None:
    """A command killed with SIGKILL cannot stop its OCR processes; without this they lived on,
    holding its output pipes open and the machine's cores busy."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except OSError:
        return
    if parent_pid is not None and os.getppid() != parent_pid:  # the parent died before prctl
        os._exit(1)


def ocr_page(path: str, kind: str, index: int, dpi: int, languages: str, timeout_s: float) -> PageResult:
    failpoints.hit("in_ocr_worker")
    image, image_dpi = render_page(Path(path), FileKind(kind), index, dpi)
    res = ocr_image(image, image_dpi, languages, timeout_s)
    low = [w.text for w in res.words if w.confidence < LOW_CONFIDENCE][:100]
    return PageResult(
        index=index,
        text=res.text,
        confidence=res.confidence,
        languages=res.languages,
        rotation=res.rotation,
        skew=res.skew,
        low_confidence_words=low,
        pdf=res.pdf,
    )
