"""Text layers as Chromium, LibreOffice and WeasyPrint write them, in Debian's Arabic fonts:
read back line for line. (`bench/textlayers.py` runs every Arabic font Debian ships.)"""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from ingest.textlayer import read_pdfium_page
from tests.fixtures import writers
from tests.fixtures.chromium import CHROMIUM

FONTS = ["Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "KacstOne", "KacstBook", "DejaVu Sans"]


def _lines(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    layers = [read_pdfium_page(doc[i]) for i in range(len(doc))]
    assert all(layer.usable for layer in layers if layer.text), [layer.reason for layer in layers]
    return [" ".join(line.split()) for layer in layers for line in layer.text.splitlines()]


def _same_text(got: list[str], written_by: str) -> None:
    # A long paragraph wraps where the writer chooses: compare the words, and the short lines whole.
    assert " ".join(got).split() == " ".join(writers.ARABIC_LETTER).split(), f"{written_by}: {got}"
    for line in writers.ARABIC_LETTER[:6]:
        assert line in got, f"{written_by}: {got}"


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it)")
def test_chromium_print_to_pdf_reads_back_in_every_font() -> None:
    with writers.chromium() as to_pdf:
        for font in FONTS:
            for align in ("right", "justify"):
                got = _lines(to_pdf(writers.letter_html(writers.ARABIC_LETTER, font, align=align)))
                _same_text(got, f"Chromium, {font}, {align}")


@pytest.mark.skipif(writers.SOFFICE is None, reason="LibreOffice is not installed (make test installs it)")
def test_libreoffice_pdf_reads_back_in_every_font() -> None:
    markups = {f"{i}-{align}": writers.letter_html(writers.ARABIC_LETTER, font, size="10pt", align=align)
               for i, font in enumerate(FONTS) for align in ("right", "justify")}  # fmt: skip
    for name, pdf in writers.libreoffice_pdfs(markups).items():
        got = _lines(pdf)
        _same_text(got, f"LibreOffice, {FONTS[int(name.split('-')[0])]}, {name}")


def test_weasyprint_pdf_reads_back() -> None:
    for font in ("Noto Naskh Arabic", "KacstOne", "DejaVu Sans"):
        got = _lines(writers.weasyprint_pdf(writers.letter_html(writers.ARABIC_LETTER, font, align="justify")))
        _same_text(got, f"WeasyPrint, {font}")
