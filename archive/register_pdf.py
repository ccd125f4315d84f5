"""The register book as a printable PDF: landscape pages with a bilingual header, page numbers,
and the same masking as the page (a hidden line keeps its number and date only)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from django.utils import timezone

from archive.models import RegistryEntry

MAX_ROWS = 5000  # one PDF; a longer span is printed month by month
FONT_CANDIDATES = (
    Path("/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf"),
    Path("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"),
)
_ARABIC = re.compile("[\u0600-\u06ff]")
HEADERS = ("الرقم / N°", "التاريخ / Date", "المرسل / Expéditeur", "المرجع / Réf.", "الموضوع / Objet",
           "النوع / Type", "الحالة / Statut")  # fmt: skip
WIDTHS = (95, 80, 150, 90, 250, 80, 70)  # points, landscape A4 less margins
CONFIDENTIAL = "سري / confidentiel"


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in FONT_CANDIDATES:
        if path.is_file():
            if "SijillRegister" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("SijillRegister", str(path)))
            return "SijillRegister"
    return "Helvetica"


def visual(text: str, limit: int) -> str:
    """One cell's text, shortened to one line and, if Arabic, shaped and put in visual order
    (the PDF draws glyphs left to right)."""
    text = " ".join((text or "").split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if not _ARABIC.search(text):
        return text
    import arabic_reshaper
    from bidi.algorithm import get_display

    return get_display(arabic_reshaper.reshape(text))


def register_pdf(rows: Iterable[RegistryEntry], hidden: set[int], title: str,
                 label: Callable[[str, str], str]) -> bytes:  # fmt: skip
    """``label(kind, value)`` gives a type's or status's name ("type", "status")."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import LongTable, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()
    data = [[visual(h, 40) for h in HEADERS]]
    rtl_cells = []
    for e in rows:
        day = timezone.localtime(e.received_at).strftime("%Y-%m-%d %H:%M")
        if e.pk in hidden:
            data.append([e.number, day, visual(CONFIDENTIAL, 40), "", "", "", ""])
            continue
        subject = e.subject + (f" — annulé / ملغى: {e.void_reason}" if e.voided_at else "")
        row = len(data)
        rtl_cells += [("ALIGN", (c, row), (c, row), "RIGHT") for c, t in ((2, e.sender), (4, subject))
                      if _ARABIC.search(t or "")]  # fmt: skip
        data.append([e.number, day, visual(e.sender, 34), visual(e.letter_reference, 18), visual(subject, 58),
                     visual(label("type", e.mail_type), 16), visual(label("status", e.status), 14)])  # fmt: skip
    buf = io.BytesIO()

    def page_number(canvas, doc) -> None:
        canvas.setFont(font, 8)
        canvas.drawRightString(landscape(A4)[0] - 30, 20, f"{doc.page}")
        canvas.drawString(30, 20, visual("سجل — Sijill", 40))

    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=30, rightMargin=30, topMargin=30,
                            bottomMargin=36, title=title, author="Sijill", invariant=1)  # fmt: skip
    heading = Table([[visual(title, 120)]], colWidths=[sum(WIDTHS)])
    heading.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 14), ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    table = LongTable(data, colWidths=WIDTHS, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *rtl_cells,
    ]))  # fmt: skip
    doc.build([heading, Spacer(0, 8), table], onFirstPage=page_number, onLaterPages=page_number)
    return buf.getvalue()
