"""Eastern numbers painted over in Western digits for the page's second reading, and written
back in Eastern digits afterwards (``easterndigits`` finds them)."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ingest.digitglyphs import EASTERN, WESTERN, arabic_fonts, glyph_model
from ingest.easterndigits import Glyph
from lang.folding import DIGITS as _TO_WESTERN

SPREAD = 0.3  # Western digits painted in may reach this share of their height into the spaces
TO_EASTERN = str.maketrans(WESTERN, EASTERN)


def _western_font(path: str | None, height_px: int) -> ImageFont.FreeTypeFont:
    """``path`` (DejaVu Sans when None) at the size that makes its digits ``height_px`` tall."""
    if path is None:
        path = next((f for f in arabic_fonts() if f.endswith("/DejaVuSans.ttf")), None)
    if path is None:
        return ImageFont.load_default(height_px)
    font = ImageFont.truetype(path, 100)
    box = font.getbbox("0123456789")
    return ImageFont.truetype(path, max(8, round(100 * height_px / max(box[3] - box[1], 1))))


def paint_western(page: Image.Image, numbers: list[list[Glyph]]) -> Image.Image:
    """``page`` with each number painted over in Western digits of the same height, drawn in
    the font whose Eastern digits look most like the page's: the number then looks as it would
    had the writer typed Western digits, and the model reads it as well."""
    model = glyph_model()
    votes = Counter(g.font for n in numbers for g in n if g.label in EASTERN and g.font in model.western)
    font_file = votes.most_common(1)[0][0] if votes else None
    out = page.copy()
    draw = ImageDraw.Draw(out)
    grey = np.asarray(page)
    for number in numbers:
        left, top = min(g.left for g in number), min(g.top for g in number)
        right, bottom = max(g.right for g in number), max(g.bottom for g in number)
        around = grey[max(0, top - 4) : bottom + 4, max(0, left - 4) : right + 4]
        paper, ink = int(np.percentile(around, 90)), int(np.percentile(around, 2))
        tall = [g for g in number if g.label != "٠" and g.label in EASTERN] or number
        height = max(g.bottom - g.top for g in tall)
        text = western(number)
        font = _western_font(font_file, height)
        width = draw.textlength(text, font=font)
        room = right - left + SPREAD * height
        if width > room:  # Western digits are wider: shrink them to keep the spaces around
            font = _western_font(font_file, int(height * room / width))
            width = draw.textlength(text, font=font)
        draw.rectangle((left - 1, top - 1, right + 1, bottom + 1), fill=paper)
        base = int(np.median([g.bottom for g in tall]))
        draw.text(((left + right - width) / 2, base), text, font=font, fill=ink, anchor="ls")
    return out


def western(number: list[Glyph]) -> str:
    """The number in Western digits, as painted in."""
    return "".join(g.label for g in number).translate(_TO_WESTERN)


def write_back(text: str, numbers: list[str]) -> str:
    """``text`` with the numbers painted in Western digits written back in Eastern ones, as the
    page shows them (each as many times as it was painted)."""
    left = list(numbers)

    def back(m: re.Match[str]) -> str:
        if m.group(0) in left:
            left.remove(m.group(0))
            return m.group(0).translate(TO_EASTERN)
        return m.group(0)

    return re.sub(r"[0-9][0-9/.]*[0-9]|[0-9]", back, text)
