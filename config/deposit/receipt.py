"""The deposit's receipt (وصل الإيداع / accusé de réception): a bilingual A4 PDF with the registry
number, the date and time, the files with their SHA-256, the tracking code and a QR code,
sealed with the office's seal (PAdES)."""

from __future__ import annotations

import io

from django.utils import timezone

from archive.models import Deposit
from archive.register_pdf import _font, visual
from config.sijill import SijillSettings
from signing.seal import seal_key, seal_pdf


def receipt_pdf(deposit: Deposit, code: str, settings: SijillSettings, office: str) -> bytes:
    import qrcode
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    entry = deposit.entry
    when = timezone.localtime(entry.received_at)
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)
    pdf.setTitle(f"Accusé de réception {entry.number}")
    font = _font()
    w, h = A4
    left, right = 50, w - 50
    y = h - 60

    def both(ar: str, fr: str, size: int = 11) -> None:
        nonlocal y
        pdf.setFont(font, size)
        pdf.drawRightString(right, y, visual(ar, 90))
        pdf.drawString(left, y, visual(fr, 90))
        y -= size * 1.8

    def line(label_ar: str, label_fr: str, value: str) -> None:
        nonlocal y
        pdf.setFont(font, 10)
        pdf.drawString(left, y, f"{label_fr} :")
        pdf.drawRightString(right, y, visual(f"{label_ar}:", 40))
        y -= 14
        pdf.setFont(font, 12)
        pdf.drawCentredString(w / 2, y, visual(value, 90))
        y -= 22

    both("المملكة المغربية", "Royaume du Maroc", 10)
    both(office, office, 12)
    y -= 6
    both("وصل الإيداع الرقمي", "Accusé de réception — dépôt électronique", 16)
    y -= 4
    line("رقم التسجيل", "N° d'enregistrement", entry.number)
    line("تاريخ وساعة الإيداع", "Date et heure du dépôt", when.strftime("%Y-%m-%d %H:%M:%S %Z"))
    line("المودع", "Déposant", f"{deposit.name} — {deposit.id_number}")
    line("الموضوع", "Objet", deposit.subject)
    line("رمز التتبع (سري)", "Code de suivi (confidentiel)", code)
    both("الوثائق المودعة", "Pièces déposées", 11)
    pdf.setFont(font, 8)
    for f in deposit.files:
        if y < 170:
            pdf.showPage()
            y = h - 60
            pdf.setFont(font, 8)
        pdf.drawString(left, y, visual(f"{f['name']}  ({f['size']:,} o)", 110))
        y -= 11
        pdf.drawString(left + 12, y, f"SHA-256 {f['sha256']}")
        y -= 15
    url = f"{settings.web.base_url}/depot/suivi/?n={entry.number}"
    qr = qrcode.make(url, box_size=4, border=2).get_image().convert("RGB")
    pdf.drawImage(ImageReader(qr), left, 50, 100, 100)
    pdf.setFont(font, 8)
    pdf.drawString(left + 110, 120, visual("Suivi / التتبع : " + url, 100))
    pdf.drawString(
        left + 110, 106, "Ce reçu est scellé électroniquement (PAdES) : toute modification le rend invalide."
    )
    pdf.drawString(left + 110, 92, visual("هذا الوصل مختوم إلكترونيا: كل تغيير فيه يبطله.", 100))
    pdf.save()
    key = seal_key(settings)
    try:
        return seal_pdf(buf.getvalue(), key, f"Accusé de réception {entry.number}", settings.signing.tsa_url,
                        settings.signing.tsa_timeout_s)  # fmt: skip
    finally:
        key.close()
