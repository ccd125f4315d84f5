"""Born-digital text layers from other writers: every Arabic font Debian ships, printed by
Chromium, LibreOffice and WeasyPrint, read back by Sijill and, as the baseline in the same run,
by pdftotext (poppler) and pdfium's own text order.

    .venv/bin/python bench/textlayers.py [--fonts N] [--writers chromium,libreoffice,weasyprint]

The letter is the test suite's own (tests/fixtures/writers.py), laid out twice per font:
13 pt ranged right, and 10 pt justified (LibreOffice then draws kashidas). Prints the mean
character error rate per writer over the layers Sijill keeps (a refused layer is OCR'd
instead), the PDFs read without an error, and each error left.
"""

from __future__ import annotations

import argparse
import difflib
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import pypdfium2 as pdfium  # noqa: E402
from ocr import cer, norm  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402
from rich.table import Table  # noqa: E402

from ingest.textlayer import read_pdfium_page  # noqa: E402
from tests.fixtures import writers  # noqa: E402

LAYOUTS = {"13pt right": ("13pt", "right"), "10pt justified": ("10pt", "justify")}
TRUTH = "\n".join(writers.ARABIC_LETTER)


def arabic_families() -> list[str]:
    out = subprocess.run(["fc-list", ":lang=ar", "family"], capture_output=True, text=True, check=True).stdout
    return sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})


def sijill_text(pdf: bytes) -> tuple[str, str]:
    doc = pdfium.PdfDocument(pdf)
    layers = [read_pdfium_page(doc[i]) for i in range(len(doc))]
    refused = "; ".join(sorted({layer.reason for layer in layers if layer.text and not layer.usable}))
    return "\n".join(layer.text for layer in layers), refused


def pdfium_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def pdftotext(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def word_errors(got: str) -> str:
    want, have = norm(TRUTH).split(), norm(got).split()
    parts = []
    for op, a, b, c, d in difflib.SequenceMatcher(None, want, have, autojunk=False).get_opcodes():
        if op != "equal":
            parts.append(f"{' '.join(want[a:b]) or '∅'} → {' '.join(have[c:d]) or '∅'}")
    return "; ".join(parts)


def render(writer: str, fonts: list[str], on_done: Callable[[], None]) -> dict[tuple[str, str], bytes]:
    markups = {(font, layout): writers.letter_html(writers.ARABIC_LETTER, font, size=size, align=align)
               for font in fonts for layout, (size, align) in LAYOUTS.items()}  # fmt: skip
    pdfs: dict[tuple[str, str], bytes] = {}
    if writer == "libreoffice":
        keys = list(markups)
        made = writers.libreoffice_pdfs({str(i): markups[k] for i, k in enumerate(keys)})
        for i, key in enumerate(keys):
            pdfs[key] = made[str(i)]
            on_done()
    elif writer == "chromium":
        with writers.chromium() as to_pdf:
            for key, markup in markups.items():
                pdfs[key] = to_pdf(markup)
                on_done()
    else:
        for key, markup in markups.items():
            pdfs[key] = writers.weasyprint_pdf(markup)
            on_done()
    return pdfs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fonts", type=int, default=0, help="only the first N Arabic font families")
    parser.add_argument("--writers", default="chromium,libreoffice,weasyprint")
    args = parser.parse_args()
    fonts = arabic_families()[: args.fonts or None]
    chosen = [w.strip() for w in args.writers.split(",") if w.strip()]
    console = Console()
    console.print(f"{len(fonts)} Arabic font families (fc-list :lang=ar), {len(LAYOUTS)} layouts, writers: {chosen}")

    rows: dict[str, list[tuple[str, str, float, float, float, str, str]]] = {}
    with Progress(console=console, transient=True) as progress:
        for writer in chosen:
            task = progress.add_task(f"{writer}: writing", total=len(fonts) * len(LAYOUTS))
            pdfs = render(writer, fonts, lambda task=task: progress.advance(task))
            for (font, layout), pdf in pdfs.items():
                text, refused = sijill_text(pdf)
                rows.setdefault(writer, []).append(
                    (font, layout, cer(text, TRUTH), cer(pdftotext(pdf), TRUTH), cer(pdfium_text(pdf), TRUTH),
                     refused, word_errors(text))
                )  # fmt: skip

    table = Table(title="Arabic text layers: character error rate (lower is better)")
    for col in ("writer", "PDFs", "layers refused (OCR'd)", "Sijill: mean CER, layers kept", "kept without an error",
                "pdftotext", "pdfium order"):  # fmt: skip
        table.add_column(col, justify="right" if col != "writer" else "left")
    for writer, results in rows.items():
        kept = [r for r in results if not r[5]]
        table.add_row(
            writer, str(len(results)), str(len(results) - len(kept)),
            f"{statistics.mean(r[2] for r in kept):.3%}" if kept else "–",
            f"{sum(r[2] == 0 for r in kept)}/{len(kept)}",
            f"{statistics.mean(r[3] for r in results):.3%}", f"{statistics.mean(r[4] for r in results):.3%}",
        )  # fmt: skip
    console.print(table)
    for writer, results in rows.items():
        for font, layout, own, _, _, refused, errors in sorted(results, key=lambda r: -r[2]):
            if own > 0 or refused:
                note = f" (layer refused: {refused})" if refused else ""
                console.print(f"{writer}, {font}, {layout}: CER {own:.2%}{note}: {errors}")


if __name__ == "__main__":
    main()
