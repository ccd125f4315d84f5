"""Tesseract, wrapped once: every reading (orientation, page, one line) goes through here.

Models stay loaded in each OCR process (tesserocr against Debian's tessdata). Starting the
``tesseract`` program for each call loaded them again every time: the page, its orientation
and the reference-line re-reads were four start-ups a page (``bench/tesseract.py`` measures
both ways on the same pages).
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from PIL import Image

from config.errors import OcrFailed, ToolMissing
from ingest.bidi import strip_direction_marks
from ingest.pngfile import grey_png

TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata")
_OUTPUTS = ("tessedit_create_txt", "tessedit_create_hocr", "tessedit_create_pdf")


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float
    box: tuple[int, int, int, int]  # left, top, width, height in the OCR'd image
    line: tuple[int, int, int]  # block, paragraph, line numbers (page-wide, in reading order)


def mean_confidence(words: list[Word]) -> float:
    return sum(w.confidence for w in words) / len(words) if words else 0.0


def bounding_box(words: list[Word]) -> tuple[int, int, int, int]:
    """Left, top, right, bottom around ``words`` (a line, to cut it out and read it alone)."""
    return (
        min(w.box[0] for w in words),
        min(w.box[1] for w in words),
        max(w.box[0] + w.box[2] for w in words),
        max(w.box[1] + w.box[3] for w in words),
    )


@dataclass(frozen=True)
class PageReading:
    text: str
    words: list[Word]
    pdf: bytes  # the page image with its invisible text layer


@dataclass(frozen=True)
class LineReading:
    text: str
    confidence: float  # mean word confidence 0–100


def tessdata_dir() -> str:
    """Tesseract's own TESSDATA_PREFIX when set, else Debian's language data."""
    env = os.environ.get("TESSDATA_PREFIX")
    if env:
        return env
    for d in TESSDATA_DIRS:
        if Path(d, "osd.traineddata").exists():
            return d
    raise ToolMissing("Tesseract's language data is not installed: run `sijill doctor`.")


_TITLE = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)(?:;.*?x_wconf (\d+(?:\.\d+)?))?")
_LINES = {"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"}


class _HocrWords(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[Word] = []
        self.block = self.par = self.line = 0
        self._word: tuple[str, list[str]] | None = None  # its title, its text so far
        self._depth = 0  # elements open inside the word (<strong>, <em>)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._word is not None:
            self._depth += 1
            return
        a = dict(attrs)
        kind = a.get("class") or ""
        if kind == "ocr_carea":
            self.block += 1
        elif kind == "ocr_par":
            self.par += 1
        elif kind in _LINES:
            self.line += 1
        elif kind == "ocrx_word":
            self._word, self._depth = (a.get("title") or "", []), 0

    def handle_endtag(self, tag: str) -> None:
        if self._word is None:
            return
        if self._depth:
            self._depth -= 1
            return
        title, parts = self._word
        self._word = None
        text = strip_direction_marks("".join(parts)).strip()
        t = _TITLE.search(title)
        if t and text:
            x0, y0, x1, y1 = (int(v) for v in t.groups()[:4])
            conf = max(0.0, float(t.group(5) or 0.0))
            self.words.append(Word(text, conf, (x0, y0, x1 - x0, y1 - y0), (self.block, self.par, self.line)))

    def handle_data(self, data: str) -> None:
        if self._word is not None:
            self._word[1].append(data)


def parse_hocr(hocr: str) -> list[Word]:
    """The words of a page with their boxes, confidences and line, from Tesseract's hOCR."""
    parser = _HocrWords()
    parser.feed(hocr)
    parser.close()
    return parser.words


def _unread(timeout_s: float) -> OcrFailed:
    return OcrFailed(f"Tesseract could not read this page (or gave up after {timeout_s:g} s).")


class Tesseract:
    """The loaded models of one process; one reading at a time per language set."""

    def __init__(self, datapath: str | None = None) -> None:
        try:
            import tesserocr
        except ImportError as exc:  # the wheel is in pyproject's dependencies
            raise ToolMissing(f"tesserocr cannot be loaded ({exc}): run `make venv`.") from None
        self._tesserocr = tesserocr
        self._datapath = datapath or tessdata_dir()
        self._apis: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _api(self, lang: str, variables: dict[str, str]) -> Any:
        api = self._apis.get(lang)
        if api is None:
            t = self._tesserocr
            try:
                if lang == "osd":
                    api = t.PyTessBaseAPI(path=self._datapath, lang="osd", psm=t.PSM.OSD_ONLY)
                else:
                    api = t.PyTessBaseAPI(path=self._datapath, lang=lang, oem=t.OEM.LSTM_ONLY)
            except RuntimeError:
                raise ToolMissing(f"Tesseract's '{lang}' data is missing: run `sijill doctor`.") from None
            self._apis[lang] = api
        for key, value in variables.items():
            api.SetVariable(key, str(value))
        return api

    def page(self, grey: Image.Image, params: dict[str, Any], timeout_s: float, pdf: bool = True) -> PageReading:
        """A whole page, read once into text, words and a PDF page (``params``: ocr_params.build).
        ``pdf=False``: text and words only, for a reading whose page is not kept."""
        if not pdf:
            return self._page_text(grey, params, timeout_s)
        variables = {**params["variables"], "user_defined_dpi": params["dpi"], **dict.fromkeys(_OUTPUTS, 1)}
        with self._lock, tempfile.TemporaryDirectory(prefix="sijill-ocr-") as tmp:
            api = self._api(params["lang"], variables)
            api.SetPageSegMode(params["psm"])
            src, base = Path(tmp) / "page.png", Path(tmp) / "out"
            # Read from a file, as a whole document: only a document run writes the PDF's header
            # and trailer. The PDF renderer copies this PNG's compressed data as the page image.
            # Lossless, so the same text is read (JPEG, smaller, changed the readings).
            src.write_bytes(grey_png(grey, params["dpi"]))
            try:
                ok = api.ProcessPages(str(base), str(src), timeout=int(timeout_s * 1000))
            finally:
                for key in _OUTPUTS:
                    api.SetVariable(key, "0")
                api.Clear()
            paths = [base.with_suffix(s) for s in (".txt", ".hocr", ".pdf")]
            if not ok or not all(p.exists() for p in paths):
                raise _unread(timeout_s)
            txt, hocr = (p.read_text(encoding="utf-8") for p in paths[:2])
            return PageReading(strip_direction_marks(txt), parse_hocr(hocr), paths[2].read_bytes())

    def _page_text(self, grey: Image.Image, params: dict[str, Any], timeout_s: float) -> PageReading:
        with self._lock:
            api = self._api(params["lang"], {**params["variables"], "user_defined_dpi": params["dpi"]})
            api.SetPageSegMode(params["psm"])
            try:
                api.SetImage(grey)
                api.SetSourceResolution(params["dpi"])
                if not api.Recognize(timeout=int(timeout_s * 1000)):
                    raise _unread(timeout_s)
                txt, hocr = api.GetUTF8Text(), api.GetHOCRText(0)
            finally:
                api.Clear()
            return PageReading(strip_direction_marks(txt), parse_hocr(hocr), b"")

    def line(
        self, crop: Image.Image, lang: str, dpi: int, variables: dict[str, str], timeout_s: float, raw: bool = False
    ) -> LineReading:
        """One text line: page segmentation mode 7, or 13 (``raw``: the line is not cut into words
        first, so a right-to-left line's digit runs and abbreviation keep their order)."""
        psm = self._tesserocr.PSM
        with self._lock:
            api = self._api(lang, variables)
            api.SetPageSegMode(psm.RAW_LINE if raw else psm.SINGLE_LINE)
            try:
                api.SetImage(crop)
                api.SetSourceResolution(dpi)
                if not api.Recognize(timeout=int(timeout_s * 1000)):
                    return LineReading("", 0.0)
                confs = api.AllWordConfidences()
                text = strip_direction_marks(api.GetUTF8Text()).strip()
            finally:
                api.Clear()
            return LineReading(text, sum(confs) / len(confs) if confs else 0.0)

    def osd(self, grey: Image.Image, dpi: int) -> dict[str, Any] | None:
        """Orientation and script; None on a page with too little text to tell."""
        with self._lock:
            api = self._api("osd", {})
            try:
                api.SetImage(grey)
                api.SetSourceResolution(dpi)
                return api.DetectOrientationScript()
            finally:
                api.Clear()

    def close(self) -> None:
        with self._lock:
            for api in self._apis.values():
                api.End()
            self._apis.clear()


_engines: dict[int, Tesseract] = {}


def engine() -> Tesseract:
    """This process's loaded models (OCR runs in spawned processes; each loads its own once)."""
    pid = os.getpid()
    if pid not in _engines:
        _engines[pid] = Tesseract()
    return _engines[pid]
