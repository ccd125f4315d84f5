"""Read a PDF page's own text layer, in logical order, and judge whether it is usable.

PDF text layers of Arabic letters are a known trap: some tools return them in visual
order (reversed), as presentation forms (U+FB50–U+FEFF), with lam-alef ligatures
decomposed backwards (لا → ال) and digits/slashes shuffled around RTL runs. We rebuild
each line from glyph positions instead of trusting the content-stream order.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ingest.bidi import (
    fold_presentation_forms,
    is_strong_rtl,
    looks_reversed,
    reverse_ltr_runs,
)
from lang.chains import forms
from lang.tokens import words

LAM = "\u0644"
ALEF_VARIANTS = set("\u0627\u0623\u0625\u0622\u0649\u0671")
# Blocks a Moroccan letter's text layer legitimately contains. Anything else is almost
# always a font's private glyph mapped to a wrong code point, and is dropped.
_ALLOWED_BLOCKS = (
    (0x0009, 0x024F),  # Latin
    (0x0370, 0x03FF),  # Greek (units, symbols)
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x2000, 0x214F),  # punctuation, currency, letterlike (№)
    (0x2190, 0x22FF),
    (0x2D30, 0x2D7F),  # Tifinagh
    (0xFB00, 0xFB06),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
MIN_USABLE_CHARS = 20
MAX_JUNK_RATIO = 0.05
# Function words (في، من، على / de, la, le) make 6–15% of an Arabic letter's words and 30–45%
# of a French one's. A layer whose fonts map glyphs to the wrong letters (a missing or wrong
# ToUnicode map) has almost none: at most 0.9% and 8.6% on 600 letters with shifted maps.
MIN_FUNCTION_WORD_SHARE = {"ar": 0.03, "latin": 0.15}
MIN_WORDS_TO_JUDGE = 40  # fewer words of a script: too few to tell
# Glyphs drawn invisible (text render mode 3) over a page image are another program's OCR.
MAX_INVISIBLE_SHARE = 0.5


@dataclass(frozen=True)
class Glyph:
    ch: str
    box: tuple[float, float, float, float]  # left, bottom, right, top
    generated: bool = False

    @property
    def centre(self) -> float:
        return (self.box[0] + self.box[2]) / 2


@dataclass(frozen=True)
class TextLayer:
    text: str
    char_count: int
    junk_ratio: float
    usable: bool
    reason: str = ""


def _allowed(ch: str) -> bool:
    o = ord(ch)
    return ch in "\n\r" or any(lo <= o <= hi for lo, hi in _ALLOWED_BLOCKS)


def _is_ligature_part(g: Glyph, prev: Glyph) -> bool:
    return not g.generated and g.box == prev.box and g.box[0] != g.box[2]


def _stacked(g: Glyph, prev: Glyph) -> bool:
    """Calligraphic fonts (Amiri) stack letters vertically; their x order means nothing."""
    if not (is_strong_rtl(g.ch) and is_strong_rtl(prev.ch)):
        return False
    overlap = min(g.box[2], prev.box[2]) - max(g.box[0], prev.box[0])
    narrower = min(g.box[2] - g.box[0], prev.box[2] - prev.box[0])
    return narrower > 0 and overlap >= 0.6 * narrower


def _clusters(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Group glyphs that must stay together: a base with its marks, ligature parts, stacks."""
    out: list[list[Glyph]] = []
    for g in glyphs:
        if out and (
            unicodedata.category(g.ch) == "Mn" or _is_ligature_part(g, out[-1][-1]) or _stacked(g, out[-1][-1])
        ):
            out[-1].append(g)
        else:
            out.append([g])
    return out


def _ligatures(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Runs of glyphs sharing one box: the letters of a single ligature glyph."""
    out: list[list[Glyph]] = []
    for g in glyphs:
        if unicodedata.category(g.ch) == "Mn":
            continue
        if out and _is_ligature_part(g, out[-1][-1]):
            out[-1].append(g)
        else:
            out.append([g])
    return [run for run in out if len(run) > 1]


def ligatures_reversed(glyphs: list[Glyph]) -> bool:
    """True when this PDF writer maps ligature glyphs to their letters backwards.

    A lam-alef ligature always begins with lam in reading order, so when most of a page's
    lam-alef ligatures come out alef-first («السلام» read as «السالم»), every other
    ligature on the page was written backwards too.
    """
    forward = backward = 0
    for run in _ligatures(glyphs):
        a, b = run[0].ch, run[1].ch
        if a == LAM and b in ALEF_VARIANTS:
            forward += 1
        elif b == LAM and a in ALEF_VARIANTS:
            backward += 1
    return backward > forward


def _cluster_text(cluster: list[Glyph], reverse_ligatures: bool) -> str:
    out: list[str] = []
    i = 0
    while i < len(cluster):
        j = i + 1
        while j < len(cluster) and _is_ligature_part(cluster[j], cluster[j - 1]):
            j += 1
        letters = [g.ch for g in cluster[i:j]]
        if len(letters) > 1 and all(is_strong_rtl(c) for c in letters):
            if reverse_ligatures:
                letters.reverse()
            elif letters[1] == LAM and letters[0] in ALEF_VARIANTS:
                letters[0], letters[1] = letters[1], letters[0]
        out.extend(letters)
        i = j
    return "".join(out)


def logical_line(glyphs: list[Glyph], reverse_ligatures: bool = False) -> str:
    """One line of text in reading order, whatever order the PDF drew it in."""
    glyphs = [g for g in glyphs if g.ch not in "\r\n"]
    if not glyphs:
        return ""
    if not any(is_strong_rtl(g.ch) for g in glyphs):
        return "".join(g.ch for g in glyphs)
    # Generated glyphs (spaces pdfium infers between words) have no real position: place
    # them between their neighbours in stream order.
    placed: list[Glyph] = []
    for i, g in enumerate(glyphs):
        if g.generated:
            prev = next((h for h in reversed(glyphs[:i]) if not h.generated), None)
            nxt = next((h for h in glyphs[i + 1 :] if not h.generated), None)
            xs = [h.centre for h in (prev, nxt) if h is not None]
            x = sum(xs) / len(xs) if xs else 0.0
            g = Glyph(g.ch, (x, g.box[1], x, g.box[3]), True)
        placed.append(g)
    clusters = _clusters(placed)
    clusters.sort(key=lambda c: -c[0].centre)  # right to left; stable for equal centres
    chars: list[str] = []
    for c in clusters:
        chars.extend(_cluster_text(c, reverse_ligatures))
    return "".join(reverse_ltr_runs(chars))


def unreadable_script(text: str) -> str | None:
    """The script ("ar" or "latin") whose words do not read as language, or None."""
    seen = {"ar": [0, 0], "latin": [0, 0]}
    for w in words(text):
        f = forms(w)
        if f.script in seen and not w.isdigit():
            seen[f.script][0] += 1
            seen[f.script][1] += f.stop
    for kind, (n, function_words) in seen.items():
        if n >= MIN_WORDS_TO_JUDGE and function_words / n < MIN_FUNCTION_WORD_SHARE[kind]:
            return kind
    return None


def assemble(glyphs: list[Glyph], invisible_share: float = 0.0) -> TextLayer:
    """Text of a page from its glyphs (pdfium order, lines split on newlines).
    ``invisible_share``: the part of the glyphs drawn invisible."""
    kept = [g for g in glyphs if _allowed(g.ch)]
    junk = len(glyphs) - len(kept)
    lines: list[list[Glyph]] = [[]]
    for g in kept:
        if g.ch == "\n":
            lines.append([])
        else:
            lines[-1].append(g)
    rev = ligatures_reversed(kept)
    text = "\n".join(s for s in (logical_line(line, rev).strip() for line in lines) if s)
    text = fold_presentation_forms(text)
    visible = sum(1 for c in text if not c.isspace())
    junk_ratio = junk / max(1, visible + junk)
    if visible < MIN_USABLE_CHARS:
        return TextLayer(text, visible, junk_ratio, False, "no text layer")
    if junk_ratio > MAX_JUNK_RATIO:
        return TextLayer(text, visible, junk_ratio, False, "text layer is mostly unmapped glyphs")
    if looks_reversed(text):
        return TextLayer(text, visible, junk_ratio, False, "Arabic text layer reads backwards")
    if invisible_share > MAX_INVISIBLE_SHARE:
        # Sijill's reading of Arabic is measured; another program's is not (OCRmyPDF's --redo-ocr).
        return TextLayer(text, visible, junk_ratio, False, "text layer is another program's OCR (invisible text)")
    if (kind := unreadable_script(text)) is not None:
        what = "Arabic" if kind == "ar" else "Latin"
        reason = f"the {what} words of the text layer are not words (its fonts map glyphs to wrong letters)"
        return TextLayer(text, visible, junk_ratio, False, reason)
    return TextLayer(text, visible, junk_ratio, True)


def read_pdfium_page(page) -> TextLayer:  # page: pypdfium2.PdfPage
    """Glyphs of a pypdfium2 page, assembled. pdfium calls must be serialised by the caller."""
    import pypdfium2.raw as raw

    tp = page.get_textpage()
    try:
        glyphs = []
        invisible = drawn = 0
        n = tp.count_chars()
        for i in range(n):
            code = raw.FPDFText_GetUnicode(tp, i)
            if code == 0:
                continue
            ch = chr(code)
            generated = bool(raw.FPDFText_IsGenerated(tp, i))
            if not generated and not ch.isspace():
                drawn += 1
                obj = raw.FPDFText_GetTextObject(tp, i)
                invisible += bool(obj) and raw.FPDFTextObj_GetTextRenderMode(obj) == raw.FPDF_TEXTRENDERMODE_INVISIBLE
            box = tuple(round(v, 2) for v in tp.get_charbox(i))
            glyphs.append(Glyph(ch, box, generated))  # type: ignore[arg-type]
        return assemble(glyphs, invisible / drawn if drawn else 0.0)
    finally:
        tp.close()
