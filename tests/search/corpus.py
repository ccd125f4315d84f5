"""A small archive written for the search tests (Arabic, French, mixed; incoming and outgoing)."""

from __future__ import annotations

import datetime as dt

from search.document import IndexDocument


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day + "T10:00:00+01:00")


LETTERS = [
    IndexDocument(
        id=1,
        registry_number="A-2026-000001",
        direction="A",
        received_at=_at("2026-09-15"),
        letter_date=dt.date(2026, 9, 14),
        sender="سعيد الوردي",
        subject="طلب رخصة إصلاح سقف منزل",
        letter_reference="2026/1432",
        department="urbanisme",
        mail_type="urbanisme",
        status="registered",
        languages=("ar",),
        text="\n".join(
            [
                "المملكة المغربية",
                "جماعة وادي الزهور",
                "عدد: 2026/1432",
                "إلى السيد رئيس مصلحة التعمير بالإدارة الجماعية",
                "الموضوع: طلب رخصة إصلاح سقف منزل",
                "يشرفني أن أتقدم إليكم بطلبي هذا قصد الحصول على رخصة لإصلاح سقف المنزل الكائن بزنقة الياسمين",
                "الإمضاء: سعيد الوردي",
            ]
        ),
    ),
    IndexDocument(
        id=2,
        registry_number="A-2026-000002",
        direction="A",
        received_at=_at("2026-12-03"),
        letter_date=dt.date(2026, 12, 1),
        sender="جمعية النخيل للتنمية المحلية",
        subject="طلب استعمال قاعة الاجتماعات",
        letter_reference="88/ج.ن/2026",
        department="affaires_culturelles",
        mail_type="association",
        status="assigned",
        tags=("urgent",),
        languages=("ar",),
        text="\n".join(
            [
                "جمعية النخيل للتنمية المحلية",
                "رقم: ٨٨/ج.ن/٢٠٢٦",
                "السيد المدير العام للمصالح",
                "الموضوع: طلب استعمال قاعة الاجتماعات",
                "نلتمس منكم الموافقة على استعمال قاعة الاجتماعات يوم السبت لتنظيم الجمع العام للجمعية",
                "وفي انتظار ردكم تقبلوا فائق التقدير، والسلام.",
            ]
        ),
    ),
    IndexDocument(
        id=3,
        registry_number="A-2026-000003",
        direction="A",
        received_at=_at("2026-11-06"),
        letter_date=dt.date(2026, 11, 5),
        sender="Société Atlas Fournitures SARL",
        subject="facture des fournitures de bureau",
        letter_reference="317/AF/2026",
        department="finances",
        mail_type="facture",
        status="in_progress",
        languages=("fr",),
        text="\n".join(
            [
                "ROYAUME DU MAROC",
                "Société Atlas Fournitures SARL",
                "N° 317/AF/2026",
                "Rabat, le 5 novembre 2026",
                "Objet : facture des fournitures de bureau",
                "Nous avons l'honneur de vous adresser la facture relative à la livraison du mois d'octobre.",
                "Veuillez agréer nos salutations distinguées.",
            ]
        ),
    ),
    IndexDocument(
        id=4,
        registry_number="A-2025-000917",
        direction="A",
        received_at=_at("2025-03-20"),
        letter_date=dt.date(2025, 3, 18),
        sender="M. Abdelkrim Benjelloun",
        subject="Réclamation au sujet de l'éclairage public",
        department="travaux",
        mail_type="reclamation",
        status="closed",
        tags=("rappel", "urgent"),
        languages=("fr",),
        text="\n".join(
            [
                "M. Abdelkrim Benjelloun",
                "Quartier Al Massira, Témara",
                "Objet : Réclamation au sujet de l'éclairage public",
                "Les lampadaires de notre rue sont éteints depuis trois semaines; l'éclairage public est",
                "indispensable à la sécurité des habitants. Je vous prie d'intervenir rapidement.",
            ]
        ),
    ),
    IndexDocument(
        id=5,
        registry_number="A-2026-000005",
        direction="A",
        received_at=_at("2026-10-01"),
        sender="شركة الأنوار للكهرباء",
        subject="Décompte provisoire n° 3",
        department="travaux",
        mail_type="facture",
        status="registered",
        languages=("ar", "fr"),
        text="\n".join(
            [
                "شركة الأنوار للكهرباء",
                "الموضوع: Décompte provisoire n° 3 – travaux d'aménagement de la voirie",
                "نرفق لكم طيه الكشف المؤقت رقم 3 المتعلق بأشغال تهيئة الطرق والإنارة العمومية",
            ]
        ),
    ),
    IndexDocument(
        id=6,
        registry_number="D-2026-000001",
        direction="D",
        received_at=_at("2026-10-20"),
        sender="رئيس المجلس الجماعي",
        subject="جواب على طلب رخصة",
        department="urbanisme",
        mail_type="urbanisme",
        status="answered",
        languages=("ar",),
        text="\n".join(
            [
                "جواب على طلبكم المتعلق برخصة إصلاح السقف",
                "يؤسفني إخباركم بأن الملف ينقصه التصميم الهندسي، وعليه يتعين استكمال الوثائق.",
            ]
        ),
    ),
]
