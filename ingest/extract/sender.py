"""Who writes: the most specific letterhead line above the reference/date, else the signature."""

from __future__ import annotations

import re

from ingest.extract.dates import names_a_month
from ingest.extract.fields import Found, Line, ends_mid_phrase, one_letter_off, starts_lower, strip_span
from lang.places import place_one_letter_off

# The country and a bare ministry name head every official letter: they say who the writer
# belongs to, not who writes. "Ministry – Directorate …" names a writer and is kept.
_GENERIC = re.compile(
    r"^\s*(?:المملكة المغربية|royaume du maroc|(?:وزارة|minist[eè]re)[^–\-،,:]{0,40})\s*$",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"(?:^|[\s،,])(?:زنقة|شارع|حي|الحي|حى|الحى|تجزئة|عمارة|العمارة|شقة|الشقة|إقامة|اقامة|دوار|ص\.?\s?ب|طريق|كلم|الهاتف|هاتف|"
    r"الفاكس|rue|avenue|av\.|bd|boulevard|quartier|lotissement|r[ée]sidence|immeuble|appt|app\.|b\.?p\.?|douar|route|"
    r"km|hay|angle|t[ée]l[ée]?|fax|gsm|e-?mail|courriel)(?:[\s.،,:]|$)|@|\d{2}[\s.]?\d{2}[\s.]?\d{2}[\s.]?\d{2}",
    re.IGNORECASE,
)
# «الي»: how «إلى» is often typed, and how OCR leaves «الى» once its final «ي» shows dots.
_ADDRESSEE = re.compile(r"^\s*(?:إلى|الى|الي|à|a\s+monsieur|a\s+madame|destinataire)\b", re.IGNORECASE)
# The colon after the label may be read as a semicolon («الإمضاء؛»): its lower dot is the same.
# On a poor copy its two dots may run into one stroke, read as a lone «1», «!» or «|».
_SIGNATURE = re.compile(
    r"^\s*(?:الإمضاء|الامضاء|التوقيع|توقيع|sign[ée]|signature|le signataire)(?:\s*[:：؛;]|\s+[1!|]\s)\s*",
    re.IGNORECASE,
)
_LETTERS = re.compile(r"[^\W\d_]{3}")
# «القصر الكبير في 6 يونيو 20426», «Rabat, le 3 mars 2O26»: a place-and-date line, even when
# its date is misread past recognition, is not who writes (nor is one whose day is lost:
# ``names_a_month``).
# So is one that ends in a year after «في» / «le», whatever became of its day and month
# («سيدي قاسم في * مي ٢٠٢٦»).
_DATED = re.compile(
    r"(?:^|\s)(?:في|le)\s+(?:\d{1,2}\s+[^\W\d_]{3,}|.*(?<![\d٠-٩])(?:19|20|١٩|٢٠)[\d٠-٩]{2}\s*$)", re.IGNORECASE
)
# A colon between two Arabic words of a letterhead line is a speck («المحكمة: الإدارية»): the
# lines labelled with a colon (reference, date, subject) are not letterhead.
_SPECK_COLON = re.compile(r"(?<=[\u0621-\u064a])\s?[:：](?=\s+[\u0621-\u064a])")
# A number beside a slash: a reference line whose label was misread («عبد د 014 1/ د . ش»).
_NUMBERED = re.compile(r"\d\s*/|/\s*\d")
_SALUTATION = re.compile(r"^\s*(?:سلام|السلام|تحية|بعد التحية|monsieur|madame|messieurs)\b", re.IGNORECASE)


# The words that head a writer's name: an institution or a title. OCR drops or swaps a dot or a
# stroke in them («بماعة», «جماعم», «جمعبة»): a first word of the same length one letter off
# exactly one of them is it. Only words of five letters or more: four-letter ones have
# namesakes («شركة», «بركة»). The place after «جماعة», «عمالة»… is mended the same way
# against the towns ``lang.places`` knows («جماعة ميدات» → «جماعة ميدلت»).
_HEADS = ("جماعة", "الجماعة", "جمعية", "الجمعية", "عمالة", "وزارة", "ولاية", "المحكمة", "محكمة", "التعاونية",
          "تعاونية", "مديرية", "المديرية", "الوكالة", "المجلس", "مقاطعة", "قيادة", "باشوية", "المندوبية",
          "مندوبية", "مؤسسة", "ودادية", "نقابة", "السيدة", "الأستاذ", "الأستاذة", "الدكتور", "الشركة")  # fmt: skip


# Heads followed by a place: «جماعة تيفلت», «عمالة إقليم الحوز».
_PLACE_HEADS = {"جماعة", "الجماعة", "عمالة", "إقليم", "ولاية", "باشوية", "قيادة", "بلدية", "مقاطعة"}


# A short vowel is not written on a letterhead: one alone on a writer's name is a speck read as
# a mark («جماعة ميدلتِ»). A name written with its vowels carries several and keeps them.
_SHORT_VOWEL = re.compile("[\u064e-\u0650\u0652]")


def _mend_head(value: str) -> str:
    if len(_SHORT_VOWEL.findall(value)) == 1:
        value = _SHORT_VOWEL.sub("", value)
    first, _, rest = value.partition(" ")
    if len(first) >= 5 and first not in _HEADS:
        near = [h for h in one_letter_off(first, _HEADS) if len(h) == len(first)]
        first = near[0] if len(near) == 1 else first
    words = [first, *rest.split()]
    heads = 0
    while heads < len(words) - 1 and words[heads] in _PLACE_HEADS:
        heads += 1
    if heads and (place := place_one_letter_off(" ".join(words[heads:]))):
        words[heads:] = [place]
    return " ".join(words) if words != [*value.split()] else value


def find_sender(lines: list[Line], stops_at: int | None) -> Found | None:
    """``stops_at``: index of the first line that is no longer letterhead (reference, date…);
    None when nothing shows where the letterhead ends (then only a signature can say)."""
    head = lines[: max(0, stops_at)] if stops_at is not None else []
    candidates = [
        ln
        for ln in head
        if ln.text.strip()
        and not _GENERIC.match(ln.text)
        and not _ADDRESS.search(ln.text)
        and not _ADDRESSEE.match(ln.text)
        and not _DATED.search(ln.text)
        and not names_a_month(ln.text)
        and not _NUMBERED.search(ln.text)
        and not _mostly_digits(ln.text)
        and len(ln.text.strip()) <= 120
        and _LETTERS.search(ln.text)
    ]
    # A short line right after an address line is the address wrapping («…, province de / Khémisset»).
    candidates = [
        ln
        for ln in candidates
        if not (ln.index > 0 and _ADDRESS.search(lines[ln.index - 1].text) and len(ln.text.split()) <= 2)
    ]
    if candidates:
        ln = candidates[-1]
        value, s, e = strip_span(ln, 0, len(ln.text))
        prev = lines[ln.index - 1] if ln.index > 0 else None
        if prev is not None and prev in candidates and (starts_lower(ln.text) or ends_mid_phrase(prev.text)):
            # The line continues the one above: it starts in lower case, or the one above stops
            # on a preposition («… près la Cour d'appel de / Rabat»).
            value, s = f"{prev.text.strip()} {value}", prev.start + len(prev.text) - len(prev.text.lstrip())
        value = _mend_head(_SPECK_COLON.sub("", value))
        after = lines[ln.index + 1].text if ln.index + 1 < len(lines) else ""
        conf = 0.85 if (_ADDRESS.search(after) or ln.index + 1 >= (stops_at or 0)) else 0.65
        return Found(value, conf, s, e, value)
    for ln in reversed(lines[-8:]):
        m = _SIGNATURE.match(ln.text)
        if m:
            value, s, e = strip_span(ln, m.end(), len(ln.text))
            if value:
                return Found(value, 0.8, s, e, value)
    return None


def _mostly_digits(text: str) -> bool:
    """A line read as junk («1 .4 7 الزئءااع، 1 1 1/5»): as many pieces with digits as words
    without. A writer's name holds a number at most («جمعية 20 غشت»)."""
    pieces = text.split()
    numbered = sum(any(c.isdigit() for c in p) for p in pieces)
    return numbered > 0 and numbered >= len(pieces) - numbered


def letterhead_end(lines: list[Line], marks: list[int]) -> int | None:
    """The first line after the letterhead: the earliest of the given field lines, an addressee
    or a salutation; None if there is none of these (not laid out as a letter)."""
    stops = [m for m in marks if m >= 0]
    for ln in lines[:20]:
        if _ADDRESSEE.match(ln.text) or _SALUTATION.match(ln.text):
            stops.append(ln.index)
            break
    return min(stops) if stops else None
