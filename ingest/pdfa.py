"""PDF/A-2b for the searchable copies (the archive copies): XMP identification, an sRGB output
intent, a document ID. The text layer is not touched, so Arabic copies as before. (OCRmyPDF's
Ghostscript path kept the Arabic text too, and is smaller, but its bytes change from run to run:
see docs/records.md.)

What this does not prove: a full PDF/A validation (veraPDF is not within reach here). The tests
check with pikepdf what can be checked: identification, output intent, embedded fonts, no
encryption, the trailer ID. Pages copied from a born-digital original keep its fonts: if that
original did not embed them, the copy is marked PDF/A but is not conforming, and
``conformance_problems`` says so.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

ICC_CANDIDATES = (
    Path("/usr/share/color/icc/sRGB.icc"),  # icc-profiles-free
    Path("/usr/share/color/icc/colord/sRGB.icc"),
    *sorted(Path("/usr/share/ghostscript").glob("*/iccprofiles/default_rgb.icc")),  # ghostscript (ocrmypdf)
)


def _icc() -> bytes | None:
    for path in ICC_CANDIDATES:
        if path.is_file():
            return path.read_bytes()
    return None


def make_pdfa(pdf: pikepdf.Pdf) -> bool:
    """Mark ``pdf`` as PDF/A-2b and give it its output intent; False when no sRGB profile is
    installed (the copy stays a plain PDF)."""
    icc = _icc()
    if icc is None:
        return False
    # No editor stamp and no dates: the same pages must give the same bytes on a re-run.
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["dc:format"] = "application/pdf"
    profile = pikepdf.Stream(pdf, icc)
    profile["/N"] = 3
    intent = pikepdf.Dictionary(Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
                                OutputConditionIdentifier="sRGB IEC61966-2.1", Info="sRGB IEC61966-2.1",
                                DestOutputProfile=pdf.make_indirect(profile))  # fmt: skip
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
    return True


def conformance_problems(pdf: pikepdf.Pdf) -> list[str]:
    """What pikepdf can check of PDF/A-2b."""
    problems = []
    if pdf.is_encrypted:
        problems.append("encrypted")
    meta = pdf.open_metadata()
    if meta.get("pdfaid:part") != "2" or meta.get("pdfaid:conformance") != "B":
        problems.append("no PDF/A-2b identification in the XMP metadata")
    intents = pdf.Root.get("/OutputIntents")
    if not intents or not any(i.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i for i in intents):
        problems.append("no PDF/A output intent with an ICC profile")
    if "/ID" not in pdf.trailer:
        problems.append("no document ID in the trailer")
    for n, page in enumerate(pdf.pages, 1):
        for name, font in (page.Resources.get("/Font") or {}).items():
            if not _embedded(font):
                problems.append(f"page {n}: font {name} ({font.get('/BaseFont')}) is not embedded")
    return problems


def _embedded(font) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True
    fonts = [font, *(font.get("/DescendantFonts") or [])]
    for f in fonts:
        desc = f.get("/FontDescriptor")
        if desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            return True
    return False
