"""The searchable copy: the original's pages, each with a text layer, as one PDF."""

from __future__ import annotations

import io

import pikepdf

from ingest.bidi import is_ltr_run_char
from ingest.pdfa import make_pdfa
from ingest.postcorrect import fix_arabic_commas, fix_reference_slashes


def _reverse_ltr_runs_in_word(word: str) -> str:
    out, run = [], []
    for ch in word:
        if is_ltr_run_char(ch) or (run and ch in "/.,:-" and not ch.isspace()):
            run.append(ch)
            continue
        if run:
            out.extend(_flush(run))
            run = []
        out.append(ch)
    out.extend(_flush(run))
    return "".join(out)


def _flush(run: list[str]) -> list[str]:
    # Trailing punctuation after digits («2025.») stays where it is.
    tail: list[str] = []
    while run and not is_ltr_run_char(run[-1]):
        tail.insert(0, run.pop())
    return list(reversed(run)) + tail


def fix_rtl_digits(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Make Tesseract's text layer copy as the catalogue text reads, digits included.

    Tesseract draws an Arabic line with a mirrored text matrix and each word in logical
    order, so a digit run inside it is laid out right to left and copies as «5202» for
    «2025». Reversing the left-to-right runs inside each word of a mirrored line makes
    the drawn order match how the page shows it.
    """
    ops = pikepdf.parse_content_stream(page)
    mirrored = False
    changed = False
    new_ops = []
    for operands, op in ops:
        name = str(op)
        if name == "Tm":
            mirrored = float(operands[0]) < 0
        elif name == "TJ":
            items = []
            for item in operands[0]:
                if isinstance(item, pikepdf.String):
                    raw = bytes(item)
                    text = raw.decode("utf-16-be", "ignore")
                    # The layer must copy as the catalogue text reads: same corrections.
                    fixed = fix_arabic_commas(fix_reference_slashes(text))
                    if mirrored:
                        fixed = _reverse_ltr_runs_in_word(fixed)
                    if fixed != text:
                        changed = True
                        item = pikepdf.String(fixed.encode("utf-16-be"))
                items.append(item)
            operands = [pikepdf.Array(items)]
        new_ops.append((operands, op))
    if changed:
        page.Contents = pikepdf.Stream(pdf, pikepdf.unparse_content_stream(new_ops))


def build(original_pdf: bytes | None, pages: list[tuple[int, bytes | None]]) -> bytes:
    """Join pages in order. ``pages`` holds (index, OCR page PDF or None for a text page).

    A page that already had a usable text layer is copied from the original unchanged;
    an OCR'd page comes from Tesseract's PDF renderer (image + invisible text).
    """
    out = pikepdf.new()
    source = pikepdf.open(io.BytesIO(original_pdf)) if original_pdf is not None else None
    opened: list[pikepdf.Pdf] = []
    try:
        for index, ocr_pdf in pages:
            if ocr_pdf is None:
                if source is None:
                    raise ValueError("a text-layer page needs the original PDF")
                out.pages.append(source.pages[index])
            else:
                one = pikepdf.open(io.BytesIO(ocr_pdf))
                opened.append(one)
                fix_rtl_digits(one, one.pages[0])
                out.pages.append(one.pages[0])
        make_pdfa(out)  # the archive copy: PDF/A-2b (see ingest.pdfa for what is checked)
        buf = io.BytesIO()
        # deterministic_id: the same pages give the same bytes, so a re-run after a crash
        # stores exactly what the first run stored.
        out.save(
            buf,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            deterministic_id=True,
        )
        return buf.getvalue()
    finally:
        for p in opened:
            p.close()
        if source is not None:
            source.close()
