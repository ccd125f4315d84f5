"""The letter's own reference number: «عدد: 1234/ق.ت/2026», «N° 55/DAJ/25», «Réf. : …»."""

from __future__ import annotations

import datetime as dt
import re

from ingest.extract.fields import Found, Line, one_letter_off, strip_span
from ingest.extract.years import mend_year_text
from lang.references import reference_key

# Labels that introduce the sender's reference. «V/Réf» (the addressee's own reference) is not one.
_LABEL = re.compile(
    r"^\s*(?:رقم الإرسالية|رقم الإرسال|رقم الصادر|(?:ال)?عدد|(?:ال)?رقم|(?:ال)?مرجع|مرجعنا|"
    r"N\s*[°º]|Nº|No\.?|N/R[ée]f\.?|R[ée]f(?:[ée]rence)?\.?|Notre r[ée]f[ée]rence)\s*[:：.]?\s*",
    re.IGNORECASE,
)
# «عحد:», «عدذ:»: the Arabic label misread by one letter, still followed by its colon.
_NEAR_LABEL = re.compile(r"^\s*([\u0621-\u064a]{3,6})\s*[:：]\s*")
_LABEL_WORDS = ("عدد", "العدد", "رقم", "الرقم", "المرجع")
# Parts joined by slashes; OCR may also leave a space after an abbreviation's dot («م.ت. ع/»).
_VALUE = re.compile(r"[^\s:：،,;/]+(?:(?:\s?/\s?|(?<=[\u0621-\u064a]\.)\s(?=[\u0621-\u064a]{1,3}[./]))[^\s:：،,;/]+)*")
_HAS_DIGIT = re.compile(r"[0-9٠-٩۰-۹]")
_SLASHED = re.compile(r"[0-9٠-٩۰-۹][^\s]*\s?/\s?[^\s]+")
HEADER_LINES = 14
# Signs no reference is written with: a value holding one is a misreading («100/رذ.ش.ق/1207؟»).
# It is still proposed, below understand.FIELD_THRESHOLD, so that the register is left for the
# clerk to fill rather than given a wrong number.
_MISREAD_SIGN = re.compile(r"[؟?!|«»*#%&@<>\[\]{}]")
MISREAD_CONFIDENCE = 0.4
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_LATIN_LETTER = re.compile("[A-Za-z]")
_CAPS_WITH_S = re.compile(r"[A-Z05]*5[A-Z05]*")


# A number glued to an Arabic abbreviation («9857لك.ع»): its slash was read as a letter of
# like shape, or lost. An abbreviation spelt with dots shows which letter was the slash.
_GLUED = re.compile(r"(?<![^/])([0-9٠-٩]+)([\u0621-\u064a][^/]*)")
_DOTTED = re.compile(r"[لاأإ]([\u0621-\u064a](?:\.[\u0621-\u064a])+\.?)")


# The label glued to a dotted abbreviation by a line re-read («عدم.ض» for «عدد: …/م.ض»): a first
# element that is the label's letters and one more, beside one-letter elements.
_LABEL_GLUED = re.compile(r"^(?:عدد|عد|رقم)([\u0621-\u064a])(?=(?:\.[\u0621-\u064a])+\.?$)")


def _unglue(m: re.Match[str]) -> str:
    rest = m.group(2)
    dotted = _DOTTED.fullmatch(rest)
    return f"{m.group(1)}/{dotted.group(1) if dotted else rest}"


# An Eastern zero between two letters of an abbreviation is its dot (both are a small dot), and
# a number set apart from a dotted abbreviation by a slash-like letter lost that slash
# («٨٠٥٥ أق٠م/٢٠٢٦» → «٨٠٥٥أق.م/٢٠٢٦», which _GLUED then splits).
_ZERO_DOT = re.compile(r"(?<=[\u0621-\u064a])[٠۰](?=[\u0621-\u064a])")
_SPACED = re.compile(rf"([0-9٠-٩]+)\s+(?={_DOTTED.pattern}\s?/)")


# Spaces read around an abbreviation's dots («د. ش .١ق»): the dot holds its letters together.
_DOT_SPACED = re.compile(r"(?<=[\u0621-\u064a])(?:\s+\.\s*|\.\s+)(?=[0-9٠-٩]?[\u0621-\u064a])")


def _unspace(text: str) -> str:
    return _SPACED.sub(r"\1", _ZERO_DOT.sub(".", _DOT_SPACED.sub(".", text)))


def clean_reference(value: str) -> str:
    """Undo OCR slips that a reference's own structure gives away.

    A reference is slash-separated parts that are either numbers or letter abbreviations:
    a «0» inside a Latin abbreviation is an «O» (B0 → BO) and a «5» inside a capital one an «S»
    (5G → SG), a digit inside an Arabic
    abbreviation is a speck (ق8.ح → ق.ح), a lone hamza beside an abbreviation's dot, or
    a space after it, is noise (ق.ءت → ق.ت, م.ت. ع → م.ت.ع), and a number glued to an
    abbreviation lost the slash between them (12ق.م → 12/ق.م, 12لق.م → 12/ق.م) or read it twice
    (12/لق.م → 12/ق.م). Spaces
    beside a slash are dropped, and the label's letters glued to an abbreviation (عدم.ض → م.ض).
    """
    parts: list[str] = []
    for part in _GLUED.sub(_unglue, value).split("/"):
        part = part.strip()
        if _ARABIC_LETTER.search(part):
            part = re.sub(r"[0-9٠-٩]", "", part)
            part = re.sub(r"(?<=\.)ء|ء(?=\.)|\s+", "", part)
            part = _LABEL_GLUED.sub(r"\1", part)
            if parts and _HAS_DIGIT.search(parts[-1]) and (dotted := _DOTTED.fullmatch(part)):
                part = dotted.group(1)  # the slash read twice, once as a letter of its shape
        elif _LATIN_LETTER.search(part) and not re.search(r"[1-9]", part):
            part = part.replace("0", "O")
        elif _CAPS_WITH_S.fullmatch(part) and sum(c.isalpha() for c in part) >= sum(c.isdigit() for c in part):
            part = part.replace("0", "O").replace("5", "S")  # «5G»: a blurred «S» has a five's corner
        parts.append(part)
    return "/".join(parts)


def mend_year(value: str, today: dt.date) -> str:
    """«9058/م.ت.ع/3026» received in 2026: the year after the abbreviation misread by one digit.
    Only there is a four-digit part known to be a year; a serial number may be anything."""
    parts = value.split("/")
    if len(parts) < 2 or not (_ARABIC_LETTER.search(parts[-2]) or _LATIN_LETTER.search(parts[-2])):
        return value
    year = mend_year_text(parts[-1], today)
    return "/".join([*parts[:-1], year]) if year else value


def _label(text: str) -> tuple[re.Match[str] | None, bool]:
    """The label at the line's start, and whether it was misread by a letter."""
    m = _LABEL.match(text)
    if m is not None:
        return m, False
    near = _NEAR_LABEL.match(text)
    return (near, True) if near and one_letter_off(near.group(1), _LABEL_WORDS) else (None, False)


def find_reference(lines: list[Line], today: dt.date | None = None) -> Found | None:
    today = today or dt.date.today()
    best: Found | None = None
    for line in lines[:HEADER_LINES]:
        m, near = _label(line.text)
        if not m:
            continue
        mended = _unspace(line.text[m.end() :])
        removed = len(line.text) - m.end() - len(mended)  # spaces taken out: the span still covers them
        line = Line(line.text[: m.end()] + mended, line.start, line.index)
        v = _VALUE.match(line.text, m.end())
        if not v or not _HAS_DIGIT.search(v.group()):
            continue
        value, s, e = strip_span(line, v.start(), v.end())
        e += removed
        value = clean_reference(value)
        year_mended = value != (value := mend_year(value, today))
        # A reference is short and usually slashed; "رقم 14" in an address is not one.
        conf = (0.85 if near or year_mended else 0.95) if "/" in value else 0.6
        if len(line.text.strip()) > len(m.group()) + len(value) + 25:
            conf -= 0.3  # the label starts a sentence, not a reference line
        if _MISREAD_SIGN.search(value):
            conf = min(conf, MISREAD_CONFIDENCE)
        if best is None or conf > best.confidence:
            best = Found(value, round(conf, 2), s, e, reference_key(value))
        if conf >= 0.95:
            break
    if best is None:
        # Unlabelled but unmistakable: a slashed number alone on a header line.
        for line in lines[:HEADER_LINES]:
            t = line.text.strip()
            if _SLASHED.fullmatch(t) and len(t) <= 30:
                value, s, e = strip_span(line, 0, len(line.text))
                return Found(value, 0.5, s, e, reference_key(value))
    return best
