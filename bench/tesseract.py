"""Tesseract with models kept loaded (ingest.tesseract) against a program start-up per call.

    .venv/bin/python bench/tesseract.py [--corpus DIR] [--limit N]

Both ways do the same calls on the same prepared pages, one core, one thread: orientation
(OSD on a 200 dpi copy), the page (text, words and PDF) and, on Arabic pages, the reference
line read alone twice (``ara`` and ``fra``). The baseline is what Sijill did before: the
``tesseract`` program started for each call.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

    from ingest.tesseract import Tesseract

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "corpus" / "letters"
os.environ["OMP_THREAD_LIMIT"] = "1"


def pages(corpus: Path | None, limit: int) -> list[tuple[Image.Image, int, str]]:
    """(grey image at 300 dpi, dpi, languages) for single-page scans."""
    from PIL import Image

    from ingest import preprocess

    out = []
    if corpus is not None:
        for line in (corpus / "truth.jsonl").open(encoding="utf-8"):
            r = json.loads(line)
            if r.get("file") and r["format"] in ("png", "jpg"):
                grey = preprocess.to_grey(Image.open(corpus / r["file"]))
                grey, dpi = preprocess.upscale_to(grey, r.get("dpi") or 300, 300)
                out.append((grey, dpi, "ara" if r["language"] == "ar" else "fra"))
    else:
        from tests.fixtures import letters as L

        for letter in [*L.ARABIC_LETTERS, *L.FRENCH_LETTERS]:
            out.append((L.scan(L.render(letter, 300)).convert("L"), 300, "ara" if letter.language == "ar" else "fra"))
    return out[:limit] if limit else out


def _cli(args: list[str]) -> None:
    subprocess.run(["tesseract", *args], capture_output=True, check=False)


def with_startups(grey: Image.Image, dpi: int, lang: str, tmp: Path) -> None:
    from PIL import Image

    from ingest import ocr_params

    small = grey.resize((grey.width * 2 // 3, grey.height * 2 // 3), Image.BILINEAR)
    small.save(tmp / "small.png", dpi=(200, 200))
    _cli([str(tmp / "small.png"), "-", "--psm", "0", "--dpi", "200"])
    grey.save(tmp / "page.png", compress_level=1, dpi=(dpi, dpi))
    params = ocr_params.to_cli(ocr_params.build(lang, dpi))
    _cli([str(tmp / "page.png"), str(tmp / "out"), *params, "txt", "tsv", "pdf"])
    if lang == "ara":
        grey.crop((0, 0, grey.width, dpi // 3)).save(tmp / "line.png", dpi=(dpi, dpi))
        for model in ("ara", "fra"):
            _cli([str(tmp / "line.png"), "-", "-l", model, "--psm", "7", "--oem", "1", "--dpi", str(dpi)])


def loaded(engine: Tesseract, grey: Image.Image, dpi: int, lang: str) -> None:
    from PIL import Image

    from ingest import ocr_params

    engine.osd(grey.resize((grey.width * 2 // 3, grey.height * 2 // 3), Image.BILINEAR), 200)
    engine.page(grey, ocr_params.build(lang, dpi), 180)
    if lang == "ara":
        for model in ("ara", "fra"):
            engine.line(grey.crop((0, 0, grey.width, dpi // 3)), model, dpi, ocr_params.KEEP_ALL_LINES, 30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=SHARED if SHARED.exists() else None)
    ap.add_argument("--limit", type=int, default=12)
    args = ap.parse_args()
    from ingest.tesseract import Tesseract

    work = pages(args.corpus, args.limit)
    print(f"{len(work)} pages ({sum(1 for w in work if w[2] == 'ara')} Arabic), one core")
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        for grey, dpi, lang in work:
            with_startups(grey, dpi, lang, Path(d))
        base = (time.perf_counter() - t) / len(work)
    engine = Tesseract()
    t = time.perf_counter()
    for grey, dpi, lang in work:
        loaded(engine, grey, dpi, lang)
    mine = (time.perf_counter() - t) / len(work)
    engine.close()
    print(f"{'program started per call (baseline)':<40}{base:>8.2f} s/page")
    print(f"{'models kept loaded (ingest.tesseract)':<40}{mine:>8.2f} s/page   {base / mine:.2f}x")


if __name__ == "__main__":
    main()
