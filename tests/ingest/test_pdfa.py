"""The archive copy's PDF/A-2b marks, and what pikepdf can and cannot vouch for."""

from __future__ import annotations

import io

import pikepdf

from ingest import searchable
from ingest.pdfa import conformance_problems
from tests.fixtures import letters


def test_a_copy_of_a_page_whose_font_is_not_embedded_is_flagged() -> None:
    original = letters.born_digital_pdf(letters.FRENCH_LETTERS[0])  # ReportLab's Helvetica: not embedded
    copy = searchable.build(original, [(0, None)])
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfaid:part") == "2" and meta.get("pdfaid:conformance") == "B"
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
        problems = conformance_problems(pdf)
    assert problems and all("not embedded" in p for p in problems)


def test_a_plain_pdf_is_not_mistaken_for_pdfa() -> None:
    with pikepdf.open(io.BytesIO(letters.born_digital_pdf(letters.FRENCH_LETTERS[0]))) as pdf:
        problems = conformance_problems(pdf)
    assert "no PDF/A-2b identification in the XMP metadata" in problems
    assert "no PDF/A output intent with an ICC profile" in problems
