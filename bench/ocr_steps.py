"""Per-step effect of the page clean-up on OCR, for ``bench/ocr.py --steps``.

Each scan page is read in-process (models loaded once per process, one process per core)
with the clean-up steps switched on one after the other; CER is computed as in bench/ocr.py.
"""

from __future__ import annotations

import math
import os
import re
import statistics
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# (label, speckle threshold, noise threshold, doubtful lines read again, Latin words read
# again, Eastern digits read, Arabic commas read by shape, dotted final ي read by shape, Arabic
# words mended against the word list, references' abbreviations read by shape, Moroccan letters
# read again with uig): inf switches a step off.
STEPS = (
    ("no clean-up", math.inf, math.inf, False, False, False, False, False, False, False, False),
    ("+ despeckle specks", None, math.inf, False, False, False, False, False, False, False, False),
    ("+ poor or empty page read cleaned", None, None, False, False, False, False, False, False, False, False),
    ("+ doubtful lines read again", None, None, True, False, False, False, False, False, False, False),
    ("+ Latin words read again", None, None, True, True, False, False, False, False, False, False),
    ("+ Eastern digits", None, None, True, True, True, False, False, False, False, False),
    ("+ Arabic commas", None, None, True, True, True, True, False, False, False, False),
    ("+ dotted final ي", None, None, True, True, True, True, True, False, False, False),
    ("+ dots mended", None, None, True, True, True, True, True, True, False, False),
    ("+ abbreviations by shape", None, None, True, True, True, True, True, True, True, False),
    ("+ Moroccan letters", None, None, True, True, True, True, True, True, True, True),
)
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿ]{3,}")


def _read(args: tuple[str, int, str]) -> list[str]:
    from ingest.intake import detect_kind
    from ingest.ocr import FEW_WORDS, NOISE_THRESHOLD, SPECKLE_THRESHOLD, ocr_image
    from ingest.pages import render_page

    path, pages, _ = args
    kind = detect_kind(Path(path).read_bytes())
    images = [render_page(Path(path), kind, i, 300) for i in range(pages)]
    out = []
    for _, speckle, noise, reread, latin, digits, commas, final_ya, mend, abbreviations, moroccan in STEPS:
        thresholds = {"speckle_threshold": speckle or SPECKLE_THRESHOLD, "noise_threshold": noise or NOISE_THRESHOLD,
                      "few_words": 0 if noise == math.inf else FEW_WORDS}  # fmt: skip
        texts = [ocr_image(img, dpi, reread_lines=reread, reread_latin=latin, reread_digits=digits,
                           read_commas=commas, read_final_ya=final_ya, mend_words=mend,
                           read_abbreviations=abbreviations, read_moroccan_letters=moroccan,
                           **thresholds).text
                 for img, dpi in images]  # fmt: skip
        out.append("\n".join(texts))
    return out


def run(rows: list[dict], corpus: Path, cer: Callable[[str, str], float]) -> None:
    scans = [r for r in rows if r["format"] != "born.pdf" and r.get("text")]
    os.environ["OMP_THREAD_LIMIT"] = "1"
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        readings = list(pool.map(_read, [(str(corpus / r["file"]), r["pages"], r["language"]) for r in scans]))
    groups: dict[str, list[list[float]]] = {}
    for r, texts in zip(scans, readings, strict=True):
        kind = "scan 0-1" if r["degradation"] <= 1 else "scan 2"
        groups.setdefault(f"{r['language']} {kind}", []).append([cer(t, r["text"]) for t in texts])
    print(f"\n== clean-up steps, mean CER ({len(scans)} scans)")
    print(f"{'group':<14}{'n':>4}" + "".join(f"{label:>34}" for label, *_ in STEPS))
    for g in sorted(groups):
        cols = list(zip(*groups[g], strict=True))
        print(f"{g:<14}{len(groups[g]):>4}" + "".join(f"{statistics.mean(c):>34.2%}" for c in cols))
    # Names and firms in Latin letters inside Arabic letters: how many of their words come out.
    latin = [(_LATIN_WORD.findall(r["text"]), texts) for r, texts in zip(scans, readings, strict=True)
             if r["language"] == "ar"]  # fmt: skip
    wanted = sum(len(w) for w, _ in latin)
    if wanted:
        found = [sum(sum(word in texts[k] for word in w) for w, texts in latin) for k in range(len(STEPS))]
        print(f"{'ar Latin words':<14}{wanted:>4}" + "".join(f"{f'{n}/{wanted}':>34}" for n in found))
