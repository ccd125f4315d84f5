"""Synthetic archive for the search benchmark: Arabic/French administrative mail, Zipf-like.

Vocabulary written for this benchmark; names and places are generated from syllables so the
index has the long tail of rare words a real archive has.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from search.document import IndexDocument

AR_WORDS = """
طلب رخصة البناء الجماعة المملكة المغربية وزارة الداخلية عمالة إقليم قيادة السيد الرئيس المجلس الجماعي
الموضوع المرجع شهادة الحالة المدنية عقد الازدياد الزواج الطلاق الوفاة تسجيل تصحيح الاسم العائلي
شكاية المواطن الطريق الإنارة العمومية النظافة الماء الصالح للشرب الصرف الصحي الحي السكني التجزئة
استغلال الملك العمومي مقهى محل تجاري سيارة أجرة الصنف الثاني تجديد نقل ملكية الترخيص المؤقت
الموظف الإدارة الترقية الرخصة الإدارية الانتقال التقاعد التعويض الراتب الأجر المباراة التوظيف
الجمعية الدعم المنحة الشراكة الاتفاقية المشروع الرياضة الثقافة الشباب المرأة التنمية البشرية
القانون رقم المادة الفصل الظهير المرسوم القرار الدورية المذكرة المنشور التعليمات التنفيذ الحكم
المحكمة الابتدائية الإدارية الاستئناف المفوض القضائي الدعوى التعرض الخبرة النزاع الأداء الفاتورة
الصفقة الأشغال التهيئة الطرق المسالك الصيانة التجهيز المعدات الكشف المؤقت النهائي الضمان الكفالة
الاجتماع الدورة العادية الاستثنائية اللجنة الدائمة الميزانية الحساب الإداري جدول الأعمال المحضر
يشرفني أن أتقدم إليكم بطلبي هذا قصد الحصول على وتفضلوا بقبول فائق عبارات التقدير والاحترام بناء
المعلومات الحق في الوصول الوثائق النسخة المطابقة للأصل الإشهاد الإمضاء تصحيح التوقيع الوكالة
المقاولة الشركة الضريبة الرسوم الجبائية الأداء المتأخر الغرامة الإعفاء الاستخلاص القابض الخزينة
التعمير التصميم الهندسي المهندس المعماري التصفيف الارتفاق المنطقة الخضراء الطابق السطح الواجهة
""".split()

FR_WORDS = """
demande autorisation construire commune royaume maroc ministère intérieur préfecture province caïdat
monsieur madame président conseil communal objet référence certificat état civil acte naissance mariage
divorce décès inscription rectification nom famille réclamation citoyen route éclairage public propreté
eau potable assainissement quartier lotissement exploitation domaine café local commercial taxi
renouvellement transfert propriété permis provisoire fonctionnaire administration avancement mutation
retraite indemnité salaire concours recrutement association subvention partenariat convention projet
sport culture jeunesse femme développement humain loi article décret arrêté circulaire note instruction
exécution jugement tribunal première instance administratif appel huissier justice recours opposition
expertise litige paiement facture marché travaux aménagement voirie entretien équipement décompte
réception définitive garantie caution réunion session ordinaire extraordinaire commission budget compte
ordre jour procès-verbal honneur solliciter bienveillance veuillez agréer expression considération
distinguée information droit accès documents copie conforme légalisation signature procuration
entreprise société impôt taxe pénalité exonération recouvrement trésorerie urbanisme plan architecte
alignement servitude zone verte étage terrasse façade délai dossier pièces jointes avis favorable
""".split()

SYLLABLES_AR = "بن عبد الله محمد أحمد علي حسن حسين فاطمة زينب خديجة إدريس يوسف عمر سعيد رشيد نور الدين كريم".split()
NAME_PARTS_AR = "ال ب ت ن م ك س ر ي و ه ش ع ف ق ل د ز ج خ".split()
SYLLABLES_LAT = "ab al be ben da di el fa ha ka la ma mou na ou ra sa ta za ch ri ni lo de mi".split()
PLACES = "الرباط سلا تمارة القنيطرة فاس مكناس مراكش أكادير طنجة وجدة تطوان الصخيرات سطات الجديدة".split()
TYPES = [
    "etat_civil", "urbanisme", "reclamation", "acces_information", "circulaire", "convocation",
    "facture", "contentieux", "association", "ressources_humaines", "autorisation_economique",
]  # fmt: skip
DEPARTMENTS = ["etat_civil", "urbanisme", "affaires_juridiques", "ressources_humaines", "finances",
               "travaux", "affaires_culturelles", "secretariat"]  # fmt: skip
STATUSES = ["registered", "assigned", "in_progress", "answered", "closed"]
AR_PREFIX = ["", "", "", "و", "ب", "ل", "ال", "وال", "بال", "لل"]
AR_SUFFIX = ["", "", "", "ة", "ات", "ين", "ها", "هم", "ية"]
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@dataclass
class Vocabulary:
    arabic: list[str]
    french: list[str]
    names_ar: list[str]
    names_lat: list[str]


def vocabulary(rng: random.Random, names: int = 20000) -> Vocabulary:
    arabic = list(dict.fromkeys(AR_WORDS))
    # Inflected forms: the long tail of Arabic morphology.
    for w in list(arabic):
        base = w[2:] if w.startswith("ال") else w
        for _ in range(4):
            arabic.append(rng.choice(AR_PREFIX) + base + rng.choice(AR_SUFFIX))
    arabic = list(dict.fromkeys(arabic))
    french = list(dict.fromkeys(FR_WORDS))
    for w in list(french):
        french += [w + "s", w + "ment"] if len(w) > 4 else []
    names_ar = list(
        dict.fromkeys(
            rng.choice(SYLLABLES_AR) + "".join(rng.choice(NAME_PARTS_AR) for _ in range(rng.randint(2, 4)))
            for _ in range(names)
        )
    )
    names_lat = list(
        dict.fromkeys(
            ("".join(rng.choice(SYLLABLES_LAT) for _ in range(rng.randint(2, 4)))).capitalize() for _ in range(names)
        )
    )
    return Vocabulary(arabic, french, names_ar, names_lat)


def _zipf_pick(rng: random.Random, words: list[str]) -> str:
    # Rank ~ Pareto: a few very common words, a long tail of rare ones.
    i = int(rng.paretovariate(1.1)) - 1
    return words[i % len(words)]


def document(i: int, rng: random.Random, v: Vocabulary, words_per_doc: int = 300) -> IndexDocument:
    arabic = rng.random() < 0.7
    received = dt.datetime(2019, 1, 1, 9, tzinfo=dt.UTC) + dt.timedelta(minutes=rng.randint(0, 8 * 365 * 24 * 60))
    number = f"A-{received.year}-{i:06d}"
    department = DEPARTMENTS[i % len(DEPARTMENTS)]
    ref = f"{rng.randint(1, 30000)}/{rng.choice(['ق.ت', 'م.ش', 'DAJ', 'DSC', 'BO'])}/{received.year}"
    sender = rng.choice(v.names_ar if arabic else v.names_lat) + " " + rng.choice(v.names_ar if arabic else v.names_lat)
    lines = [
        "المملكة المغربية" if arabic else "Royaume du Maroc",
        sender,
        (f"عدد: {ref}" if arabic else f"N° {ref}"),
        rng.choice(PLACES) + " " + received.date().isoformat(),
    ]
    body: list[str] = []
    main, other = (v.arabic, v.french) if arabic else (v.french, v.arabic)
    for _ in range(words_per_doc):
        r = rng.random()
        if r < 0.03:
            body.append(rng.choice(v.names_ar if arabic else v.names_lat))
        elif r < 0.06:
            body.append(
                str(rng.randint(1, 2030)) if rng.random() < 0.8 else str(rng.randint(1, 2030)).translate(EASTERN)
            )
        elif r < 0.10:
            body.append(_zipf_pick(rng, other))
        else:
            body.append(_zipf_pick(rng, main))
    for k in range(0, len(body), 25):
        lines.append(" ".join(body[k : k + 25]))
    return IndexDocument(
        id=i,
        registry_number=number,
        direction="A" if rng.random() < 0.8 else "D",
        received_at=received,
        text="\n".join(lines),
        letter_date=(received - dt.timedelta(days=rng.randint(0, 20))).date(),
        sender=sender,
        letter_reference=ref,
        department=department,
        mail_type=rng.choice(TYPES),
        status=rng.choice(STATUSES),
        tags=tuple(rng.sample(["urgent", "confidentiel", "rappel", "copie"], k=rng.randint(0, 2))),
        languages=("ar",) if arabic else ("fr",),
        # One letter in ten is confidential (its service only); the rest are open to broad roles.
        # The tokens archive.access_tokens.entry_access_tokens gives such letters.
        access=(f"svc:{department}",) if i % 10 == 0 else ("all", f"svc:{department}"),
    )
