"""OCR of one page image: orientation, clean-up, Tesseract, confidences.

Runs in a worker process; it touches no database and no storage.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from config.errors import OcrFailed, ToolMissing
from ingest import ocr_params, orientation, preprocess, refline
from ingest.bidi import arabic_share, strip_direction_marks
from ingest.postcorrect import correct

# Above this share of isolated dots a page is despeckled before OCR.
SPECKLE_THRESHOLD = 0.10


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float
    box: tuple[int, int, int, int]  # left, top, width, height in the OCR'd image
    line: tuple[int, int, int]  # block, paragraph, line numbers


@dataclass
class PageOcr:
    text: str
    words: list[Word]
    confidence: float  # mean word confidence 0–100 (0 when no words)
    languages: list[str]
    tesseract_langs: str
    rotation: int
    skew: float
    despeckled: bool
    pdf: bytes = field(repr=False, default=b"")
    script: str | None = None


def _run(grey: Image.Image, params: dict, timeout_s: float) -> tuple[str, str, bytes]:
    """One Tesseract run producing text, word boxes with confidences, and a PDF page."""
    with tempfile.TemporaryDirectory(prefix="sijill-ocr-") as tmp:
        src = Path(tmp) / "page.png"
        grey.save(src, compress_level=1, dpi=(params["dpi"], params["dpi"]))
        base = Path(tmp) / "out"
        cmd = ["tesseract", str(src), str(base), *ocr_params.to_cli(params), "txt", "tsv", "pdf"]
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout_s, env=env, check=False)
        except FileNotFoundError:
            raise ToolMissing("Tesseract is not installed: run `sijill doctor`.") from None
        except subprocess.TimeoutExpired:
            raise OcrFailed(f"OCR gave up after {timeout_s} s on this page.") from None
        if proc.returncode != 0:
            err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise OcrFailed(f"Tesseract failed on this page: {err[-1] if err else proc.returncode}")
        return (
            base.with_suffix(".txt").read_text(encoding="utf-8"),
            base.with_suffix(".tsv").read_text(encoding="utf-8"),
            base.with_suffix(".pdf").read_bytes(),
        )


def parse_tsv(tsv: str) -> list[Word]:
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        words.append(
            Word(
                text=strip_direction_marks(text),
                confidence=max(0.0, float(row["conf"])),
                box=(int(row["left"]), int(row["top"]), int(row["width"]), int(row["height"])),
                line=(int(row["block_num"]), int(row["par_num"]), int(row["line_num"])),
            )
        )
    return words


def page_languages(text: str) -> list[str]:
    """Languages seen on a page: Arabic, French or both."""
    letters = sum(1 for c in text if c.isalpha())
    if letters < 10:
        return []
    share = arabic_share(text)
    langs = []
    if share >= 0.15:
        langs.append("ar")
    if share <= 0.85:
        langs.append("fr")
    return langs


def ocr_image(image: Image.Image, dpi: float, languages: str = "ara+fra", timeout_s: float = 180) -> PageOcr:
    grey = preprocess.to_grey(image)
    grey, dpi_i = preprocess.upscale_to(grey, dpi, 300)
    despeckled = preprocess.speckle_ratio(grey) > SPECKLE_THRESHOLD
    if despeckled:
        grey = preprocess.despeckle(grey)
    osd = orientation.detect(grey, dpi_i, timeout_s)
    grey = orientation.apply(grey, osd.applied)
    skew = preprocess.estimate_skew(grey)
    grey = preprocess.rotate(grey, skew)
    langs = ocr_params.languages_for_script(osd.script, languages)
    params = ocr_params.build(langs, dpi_i)
    txt, tsv, pdf = _run(grey, params, timeout_s)
    words = parse_tsv(tsv)
    text = correct(strip_direction_marks(txt))
    if langs == "ara":
        text = refline.reread(grey, words, text, dpi_i, min(timeout_s, 30))
    conf = sum(w.confidence for w in words) / len(words) if words else 0.0
    return PageOcr(
        text=text,
        words=words,
        confidence=round(conf, 1),
        languages=page_languages(text),
        tesseract_langs=langs,
        rotation=osd.applied,
        skew=skew,
        despeckled=despeckled,
        pdf=pdf,
        script=osd.script,
    )
