"""The visible stamp on a signed letter: Arabic and French lines, the departure number and a QR.

pyHanko shapes each line with HarfBuzz, which lays out a whole line in one direction. Lines
are therefore built one language each; inside an Arabic line, a run of digits or Latin letters
(a number, a date, a name) is written reversed, so that the right-to-left layout puts it back
in reading order — the bidi reordering HarfBuzz does not do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from config.errors import ToolMissing

FONT_CANDIDATES = (
    Path("/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf"),
    Path("/usr/share/fonts/truetype/fonts-hosny-amiri/Amiri-Regular.ttf"),
)
_LTR_RUN = re.compile(r"[0-9A-Za-z\u00c0-\u024f](?:[0-9A-Za-z\u00c0-\u024f .:/\-]*[0-9A-Za-z\u00c0-\u024f])?")
_ARABIC = re.compile("[\u0600-\u06ff]")


@dataclass(frozen=True)
class StampInfo:
    number: str  # D-2026-000045
    signed_at: dt.datetime
    signer: str  # as in the certificate
    function_ar: str = ""
    function_fr: str = ""
    signer_ar: str = ""


def rtl_line(text: str) -> str:
    """An Arabic line ready for a right-to-left shaper: embedded LTR runs pre-reversed."""
    if not _ARABIC.search(text):
        return text
    return _LTR_RUN.sub(lambda m: m.group()[::-1], text)


def stamp_lines(info: StampInfo) -> list[str]:
    when = info.signed_at.strftime("%Y-%m-%d %H:%M")
    lines = [rtl_line(f"وقع إلكترونيا من طرف: {info.signer_ar or info.signer}")]
    if info.function_ar:
        lines.append(rtl_line(f"الصفة: {info.function_ar}"))
    lines.append(f"Signé électroniquement par : {info.signer}")
    if info.function_fr:
        lines.append(f"Fonction : {info.function_fr}")
    lines.append(f"N° {info.number} · {when}")
    return lines


def font_path(configured: str | None = None) -> Path:
    for p in ([Path(configured)] if configured else []) + list(FONT_CANDIDATES):
        if p.is_file():
            return p
    raise ToolMissing(
        "The stamp font (Amiri) is missing: install it with `apt install fonts-hosny-amiri` "
        "or set SIJILL_STAMP_FONT to an OpenType font with Arabic and Latin letters."
    )


def stamp_style(font: Path):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import QRStampStyle

    return QRStampStyle(
        stamp_text="%(lines)s",
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(font), font_size=9), leading=12),
        border_width=1,
        background=None,
    )


def visa_lines(signer: str, when: dt.datetime, name_ar: str = "") -> list[str]:
    return [rtl_line(f"تأشيرة: {name_ar or signer}"), f"Visa : {signer} · {when.strftime('%Y-%m-%d %H:%M')}"]


def visa_style(font: Path):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(
        stamp_text="%(lines)s",
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(font), font_size=7), leading=9),
        border_width=1,
    )
