"""Post-correction of OCR text where the context makes the right reading certain."""

from __future__ import annotations

import re

# «2024|[1578», «2024[1578», «2024 | 1578»: Tesseract turns the slash of a reference into
# bars and brackets. Between two digit groups nothing but a slash is plausible.
_JUNK = r"[|\[\]\\](?: ?[|\[\]\\]){0,2}"
_SLASH_JUNK = re.compile(rf"(?<=\d) ?{_JUNK} ?(?=\d)")
_SLASH_JUNK_WIDE = re.compile(rf"(?<=\d) ?{_JUNK} ?(?=[\u0621-\u064a])|(?<=[\u0621-\u064a.]) ?{_JUNK} ?(?=\d)")
_BLANKS = re.compile(r"[ \t\u00a0]+")


def fix_reference_slashes(text: str) -> str:
    text = _SLASH_JUNK.sub("/", text)
    return _SLASH_JUNK_WIDE.sub("/", text)


_AR = "\u0621-\u064a"
# A Latin comma, or a lone guillemet Tesseract reads for «،», between Arabic words. A comma
# clings to the word before it: a «« » after a space opens a quotation whose end was lost.
_ARABIC_COMMA = re.compile(rf"(?<=[{_AR}]) ?[,»](?= ?[{_AR}])|(?<=[{_AR}])[,»«](?= ?[{_AR}]|\s|$)")


def fix_arabic_commas(text: str) -> str:
    out = []
    for line in text.splitlines():
        if line.count("«") == line.count("»") and ("«" in line):
            # Balanced guillemets are real quotation marks: only commas are fixed here.
            out.append(re.sub(rf"(?<=[{_AR}]) ?,(?= ?[{_AR}]|\s|$)", "،", line))
        else:
            out.append(_ARABIC_COMMA.sub("،", line))
    return "\n".join(out)


# A hyphen standing alone between words is a dash: the office suites that print letters turn
# «A - B» into «A – B» as it is typed, and Tesseract reads that en dash as a hyphen or an em dash.
_SPACED_DASH = re.compile(r"(?<=\S) [-‐‑−—] (?=\S)")


def fix_dashes(text: str) -> str:
    return _SPACED_DASH.sub(" – ", text)


# A shadda is never written on «ة»: one read there is its two dots, read a second time.
_SHADDA_ON_TA = re.compile("(?<=ة)ّ")


def fix_marks(text: str) -> str:
    return _SHADDA_ON_TA.sub("", text)


# Amiri's initial lam, a tall stroke curving at its foot, read as an opening bracket glued to
# the rest of the word («افتتاحي (دعوى» for «لدعوى»): an opening bracket that nothing closes,
# on its line or the next, is that lam.
_BRACKET_LAM = re.compile(rf"(?:^|(?<=\s))\((?=[{_AR}])")


def fix_bracket_lam(text: str) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if "(" not in line:
            continue
        after = "\n".join(lines[i + 1 : i + 2])
        lines[i] = _BRACKET_LAM.sub(lambda m, after=after: "(" if ")" in m.string[m.end() :] + after else "ل", line)
    return "\n".join(lines)


# «رسم.الولادة»: a speck between two Arabic words read as a stop. A stop between letters belongs
# to an abbreviation («م.ت.ع», one letter a side) or ends a sentence, and then a space follows
# (a lost one costs the stop, never the words).
_STOP_IN_WORDS = re.compile(rf"(?<=[{_AR}]{{3}})\.(?=[{_AR}]{{3}})")


def fix_stop_between_words(text: str) -> str:
    return _STOP_IN_WORDS.sub(" ", text)


def tidy_lines(text: str) -> str:
    lines = (_BLANKS.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def correct(text: str) -> str:
    text = fix_arabic_commas(fix_reference_slashes(text))
    return fix_bracket_lam(fix_marks(fix_dashes(tidy_lines(fix_stop_between_words(text)))))
