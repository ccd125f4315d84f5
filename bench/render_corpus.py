"""A second evaluation corpus, rendered here: other wording, fonts and scan defects than the dev one.

    .venv/bin/python bench/render_corpus.py OUT_DIR [--letters 60] [--seed 11]

Writes OUT_DIR/NNNN.{png,jpg,tif,pdf} and OUT_DIR/truth.jsonl in the schema of
../shared/corpus/letters (file, format, pages, dpi, degradation, language, font, category,
sender, date, reference, subject, text), so ``bench/ocr.py --corpus OUT_DIR`` reads it.

Fonts the dev corpus lacks (KACST, SIL Scheherazade, Arabeyes, Noto Kufi; Liberation), and
defects it lacks: 150 dpi, skew up to 4.5°, heavy grain, grey paper with dark margins, low
JPEG quality, pages upside down, names and firms in Latin letters inside Arabic lines, and
Arabic letters typed with Eastern Arabic digits (٠١٢٣…).
Letter texts are written from templates in this file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PIL import Image, ImageFilter  # noqa: E402

from ingest.digitpaint import TO_EASTERN  # noqa: E402
from tests.fixtures import letters as L  # noqa: E402

AR_FONTS = [
    "KacstOne.ttf", "KacstBook.ttf", "KacstOffice.ttf", "Scheherazade-Regular.ttf", "ae_AlArabiya.ttf",
    "ae_Furat.ttf", "NotoKufiArabic-Regular.ttf", "NotoNaskhArabic-Regular.ttf", "Amiri-Regular.ttf",
]  # fmt: skip
FR_FONTS = ["LiberationSerif-Regular.ttf", "LiberationSans-Regular.ttf", "NotoSerif-Regular.ttf", "DejaVuSans.ttf"]
AR_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"]
FR_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]  # fmt: skip
AR_PLACES = ["تيفلت", "سيدي قاسم", "أزرو", "تاونات", "الفقيه بن صالح", "بركان", "القصر الكبير", "ميدلت"]
FR_PLACES = ["Tiflet", "Sidi Kacem", "Azrou", "Taounate", "Berkane", "Ksar El Kebir", "Midelt", "Settat"]
AR_ABBR = ["ق.م", "م.ت.ع", "ك.ع", "د.ش.ق", "م.م"]
FR_ABBR = ["DRH", "SG", "DT", "BOC", "DPE"]

# (category, subject, body lines) in several registers: citizens, companies, administrations.
AR_TEMPLATES = [
    ("etat_civil", "طلب نسخة موجزة من رسم الولادة",
     ["أرجو من سيادتكم التفضل بتسليمي نسخة موجزة من رسم ولادتي", "المسجل بسجلات الحالة المدنية لهذه الجماعة",
      "وذلك لإرفاقها بملف التسجيل الجامعي لابني"]),
    ("urbanisme", "التماس الترخيص ببناء سور واقي",
     ["أتشرف بأن ألتمس منكم الترخيص لي ببناء سور واقي", "حول القطعة الأرضية التي أملكها بالتجزئة السكنية",
      "وفق التصميم المرفق بهذا الطلب"]),
    ("reclamation", "شكاية من انقطاع الماء الصالح للشرب",
     ["نحيطكم علما بأن حينا يعاني من انقطاع متكرر للماء", "منذ ما يزيد عن أسبوعين دون أي إشعار مسبق",
      "لذا نرجو التدخل العاجل لإيجاد حل لهذا المشكل"]),
    ("ressources_humaines", "طلب رخصة إدارية استثنائية",
     ["يشرفني أن ألتمس منكم منحي رخصة إدارية استثنائية", "لمدة ثلاثة أيام ابتداء من يوم الإثنين المقبل",
      "وذلك لظروف عائلية طارئة"]),
    ("circulaire", "تنظيم الحملة الوطنية للنظافة",
     ["في إطار الحملة الوطنية للنظافة المزمع تنظيمها", "يطلب من جميع المصالح الجماعية اتخاذ التدابير اللازمة",
      "وموافاتنا بلائحة الأعوان المعبئين"]),
    ("association", "طلب دعم مالي لأنشطة الجمعية",
     ["تتشرف جمعيتنا بأن تلتمس منكم دعما ماليا", "لتمويل برنامجها السنوي الموجه لأطفال الأحياء الهامشية",
      "ونرفق طيه التقرير الأدبي والمالي للسنة الماضية"]),
]  # fmt: skip
FR_TEMPLATES = [
    ("facture", "transmission de la facture n° 4471",
     ["Nous vous prions de trouver ci-joint la facture relative", "aux travaux d'entretien de l'éclairage public",
      "réalisés au cours du trimestre écoulé."]),
    ("convocation", "convocation à la réunion de la commission technique",
     ["J'ai l'honneur de vous convier à la réunion de la commission",
      "chargée de l'examen des dossiers d'autorisation,", "qui se tiendra dans la salle des délibérations."]),
    ("acces_information", "demande d'accès à l'information",
     ["Conformément à la loi n° 31.13 relative au droit d'accès", "à l'information, je sollicite la communication",
      "du procès-verbal de la dernière session du conseil."]),
]  # fmt: skip


def _names() -> list[tuple[str, str]]:
    path = REPO / "tests" / "search" / "data" / "name_pairs.tsv"
    rows = [ln.split("\t") for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return [(a, b) for a, b in rows if " " not in a]


EASTERN_SHARE = 0.2
AR_WITH_LATIN = ["وقد كلف السيد {person} بتتبع هذا الملف", "بتنسيق مع شركة {firm}",
                 "ويمكن الاتصال بالسيدة {person} لكل غاية مفيدة"]  # fmt: skip
CITIZEN = {"etat_civil", "urbanisme", "reclamation", "acces_information"}
AR_ORGS = ["جمعية الأمل للتنمية والتضامن", "جمعية أصدقاء البيئة", "التعاونية الفلاحية النور"]
FR_ORGS = ["Société Rif Équipement SARL", "Atlas Services Techniques SA", "Bureau d'études Ouarzazate Ingénierie"]


@dataclass(frozen=True)
class Writing:
    """How one language lays a letter out (the draws from the corpus's random source differ only
    in their lists)."""

    language: str
    templates: list
    places: list[str]
    abbreviations: list[str]
    orgs: list[str]
    org_category: str  # the category written on an organisation's letterhead, not a commune's
    dated: str  # format of the place-and-date line
    months: list[str]
    country: str
    commune: str
    reference: str
    addressee: str
    subject: str
    opening: str
    closing: str
    signed: str


WRITINGS = {
    "ar": Writing("ar", AR_TEMPLATES, AR_PLACES, AR_ABBR, AR_ORGS, "association", "{place} في {d} {month} {y}",
                  AR_MONTHS, "المملكة المغربية", "جماعة {place}", "عدد: {ref}", "إلى السيد رئيس جماعة {place}",
                  "الموضوع: {subject}", "سلام تام بوجود مولانا الإمام، وبعد،",
                  "وتقبلوا فائق عبارات التقدير والاحترام.", "الإمضاء: {person}"),
    "fr": Writing("fr", FR_TEMPLATES, FR_PLACES, FR_ABBR, FR_ORGS, "facture", "{place}, le {d} {month} {y}",
                  FR_MONTHS, "ROYAUME DU MAROC", "Commune de {place}", "N° {ref}",
                  "à Monsieur le Président de la Commune de {place}", "Objet : {subject}", "Monsieur le Président,",
                  "Veuillez agréer l'expression de ma haute considération.", "Signé : {person}"),
}  # fmt: skip


def letter(rng: random.Random, arabic: bool, names: list[tuple[str, str]]) -> tuple[L.Letter, dict]:
    """A letter and its truth. As in the dev corpus, the sender is the letterhead's most specific
    line; a citizen writes without letterhead or reference and signs."""
    w = WRITINGS["ar" if arabic else "fr"]
    day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(330))
    first, last = rng.sample(names, 2)
    cat, subject, body = rng.choice(w.templates)
    place = rng.choice(w.places)
    person = f"{first[0]} {last[0]}" if arabic else f"{first[1]} {last[1]}"
    dated = w.dated.format(place=place, d=day.day, month=w.months[day.month - 1], y=day.year)
    head, ref, sender = [dated], None, person
    if cat not in CITIZEN:
        org = rng.choice(w.orgs) if cat == w.org_category else w.commune.format(place=place)
        ref = f"{rng.randint(10, 9999)}/{rng.choice(w.abbreviations)}/{day.year}"
        head, sender = [w.country, org, w.reference.format(ref=ref), dated], org
    if arabic and rng.random() < 0.5:  # a name or a firm written in Latin letters, as in many letters
        latin = f"{rng.choice(names)[1]} {rng.choice(names)[1]}"
        body = [*body, rng.choice(AR_WITH_LATIN).format(person=latin, firm=rng.choice(FR_ORGS))]
    lines = [*head, w.addressee.format(place=rng.choice(w.places)), w.subject.format(subject=subject), w.opening,
             *body, w.closing, w.signed.format(person=person)]  # fmt: skip
    truth = {"category": cat, "sender": sender, "date": day.isoformat(), "reference": ref, "subject": subject}
    return L.Letter(w.language, lines), truth


def degrade(page: Image.Image, level: int, rng: random.Random) -> Image.Image:
    if level == 0:
        return page
    if level == 1:
        return L.scan(page, angle=rng.uniform(-1.5, 1.5), blur=rng.uniform(0.5, 0.9), noise=0.0005)
    out = L.photocopy(page, paper=rng.randint(185, 225), grain=rng.uniform(10, 18), seed=rng.randrange(1000))
    out = out.rotate(rng.uniform(-2.5, 2.5), resample=Image.BICUBIC, fillcolor=70)  # up to 4.5° with the copy's
    if rng.random() < 0.3:
        out = out.rotate(180)
    return out.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--letters", type=int, default=60)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    names = _names()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(args.letters):
        arabic = rng.random() < 0.7
        lt, truth = letter(rng, arabic, names)
        # Some Arabic letters are typed with Eastern Arabic digits. Drawn apart, so that the
        # other draws (and so the other letters) stay as they were without this.
        if arabic and random.Random(args.seed * 7919 + i).random() < EASTERN_SHARE:
            lt = L.Letter(lt.language, [line.translate(TO_EASTERN) for line in lt.lines])
        font = rng.choice(AR_FONTS if arabic else FR_FONTS)
        level = rng.choice((0, 1, 1, 2, 2))
        dpi = 300 if level < 2 else rng.choice((150, 200, 300))
        page = degrade(L.render(lt, dpi, font=font, size_pt=rng.choice((12, 13, 14))), level, rng)
        fmt = rng.choice(("png", "jpg", "scan.pdf") + (("tif",) if level < 2 else ()))
        if fmt == "png":
            data = L.to_bytes(page, "PNG", dpi)
        elif fmt == "jpg":
            buf = io.BytesIO()
            page.convert("L").save(buf, "JPEG", quality=35 if level == 2 else 80, dpi=(dpi, dpi))
            data = buf.getvalue()
        elif fmt == "tif":
            data = L.to_bytes(page, "TIFF-G4", dpi)
        else:
            data = L.to_pdf([page], dpi)
        name = f"{i:04d}.{fmt.split('.')[-1]}"
        (args.out / name).write_bytes(data)
        rows.append({"file": name, "format": fmt, "pages": 1, "dpi": dpi, "degradation": level,
                     "language": lt.language, "font": font.removesuffix(".ttf"), **truth, "text": lt.text})  # fmt: skip
    with (args.out / "truth.jsonl").open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} letters in {args.out}")


if __name__ == "__main__":
    main()
