"""The destruction certificate (procès-verbal d'élimination / محضر الإتلاف): a bilingual PDF
listing what an executed disposal destroyed and who approved it, sealed with the office's seal
and archived write-once. Letters are named by number, date and type only (never their subject:
some were confidential)."""

from __future__ import annotations

import io

from django.utils import timezone

from archive.models import DisposalItem, DisposalList
from archive.objectstore import ObjectStore
from archive.register_pdf import _font, visual
from config.sijill import SijillSettings
from signing.seal import seal_key, seal_pdf


def certificate_pdf(lst: DisposalList, items: list[DisposalItem], office: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)
    pdf.setTitle(f"Procès-verbal d'élimination n° {lst.pk}")
    font = _font()
    w, h = A4
    left, right, y = 50, w - 50, h - 60

    def both(ar: str, fr: str, size: int = 11) -> None:
        nonlocal y
        pdf.setFont(font, size)
        pdf.drawRightString(right, y, visual(ar, 80))
        pdf.drawString(left, y, visual(fr, 80))
        y -= size * 1.8

    def when(value) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"

    both("المملكة المغربية", "Royaume du Maroc", 10)
    both(office, office, 12)
    both(f"محضر الإتلاف رقم {lst.pk}", f"Procès-verbal d'élimination n° {lst.pk}", 16)
    both("طبقا للقانون 69-99 المتعلق بالأرشيف", "En application de la loi 69-99 relative aux archives", 9)
    for ar, fr, who, at in (("اقتراح", "Proposé par", lst.proposed_by, lst.proposed_at),
                            ("مراجعة", "Vérifié par", lst.reviewed_by, lst.reviewed_at),
                            ("مصادقة", "Approuvé par", lst.approved_by, lst.approved_at),
                            ("تنفيذ", "Exécuté le", "", lst.executed_at)):  # fmt: skip
        both(f"{ar}: {who} {when(at)}", f"{fr} : {who} {when(at)}", 10)
    both(f"جدول مدد الحفظ: {lst.calendar_version}", f"Calendrier de conservation : {lst.calendar_version}", 9)
    destroyed = [i for i in items if i.outcome == "destroyed"]
    kept = [i for i in items if i.outcome != "destroyed"]
    both(f"الرسائل المتلفة: {len(destroyed)}", f"Lettres éliminées : {len(destroyed)}", 11)
    pdf.setFont(font, 8)
    for i in destroyed + kept:
        if y < 60:
            pdf.showPage()
            pdf.setFont(font, 8)
            y = h - 60
        e = i.entry
        mark = "" if i.outcome == "destroyed" else "  — conservée (gel) / محفوظة (تجميد)"
        sha = e.document.sha256[:16] if e.document else ""
        line = (
            f"{e.number}   {timezone.localtime(e.received_at):%Y-%m-%d}   {e.mail_type or '—'}   échéance {i.fate_due}"
        )
        pdf.drawString(left, y, visual(f"{line}   SHA-256 {sha}…{mark}", 130))
        y -= 11
    pdf.save()
    return buf.getvalue()


def certify(lst: DisposalList, items: list[DisposalItem], settings: SijillSettings, store: ObjectStore) -> str:
    """Seal the certificate and archive it; returns its key in the object store."""
    key = seal_key(settings)
    try:
        sealed = seal_pdf(certificate_pdf(lst, items, settings.web.office_name), key,
                          f"Procès-verbal d'élimination n° {lst.pk}", settings.signing.tsa_url,
                          settings.signing.tsa_timeout_s)  # fmt: skip
    finally:
        key.close()
    object_key = f"certificates/disposal-{lst.pk:06d}.pdf"
    store.put(object_key, sealed, "application/pdf", {"disposal": str(lst.pk)})
    return object_key
