"""Plain text as an A4 PDF (Arabic shaped and right-aligned, French left-aligned): an e-mail
body kept as a letter, or a receipt's lines. Deterministic: the same text gives the same bytes."""

from __future__ import annotations

import io
import re
import textwrap

from archive.register_pdf import _font, visual

_ARABIC = re.compile("[\u0600-\u06ff]")
MAX_LINES = 2000


def text_pdf(title: str, lines: list[str], width_chars: int = 90) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)
    pdf.setTitle(title[:200])
    font = _font()
    w, h = A4
    margin, size = 50, 11
    y = h - margin

    def new_page() -> float:
        pdf.showPage()
        return h - margin

    wrapped: list[str] = []
    for line in lines[:MAX_LINES]:
        wrapped += textwrap.wrap(" ".join(line.split()), width_chars) or [""]
    for line in wrapped:
        if y < margin:
            y = new_page()
        pdf.setFont(font, size)
        shown = visual(line, width_chars + 10)
        if _ARABIC.search(line):
            pdf.drawRightString(w - margin, y, shown)
        else:
            pdf.drawString(margin, y, shown)
        y -= size * 1.5
    pdf.save()
    return buf.getvalue()
