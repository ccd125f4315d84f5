"""The searchable copy: the original's pages, each with a text layer, as one PDF."""

from __future__ import annotations

import io

import pikepdf


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
                out.pages.append(one.pages[0])
        buf = io.BytesIO()
        out.save(buf, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buf.getvalue()
    finally:
        for p in opened:
            p.close()
        if source is not None:
            source.close()
