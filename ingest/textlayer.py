"""Read a PDF page's own text layer, in logical order, and judge whether it is usable.

PDF text layers of Arabic letters are a known trap: some tools return them in visual
order (reversed), as presentation forms (U+FB50–U+FEFF), with lam-alef ligatures
decomposed backwards (لا → ال) and digits/slashes shuffled around RTL runs. We rebuild
each line from glyph positions instead of trusting the content-stream order.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from ingest.bidi import (
    fold_presentation_forms,
    is_strong_rtl,
    looks_reversed,
    reverse_ltr_runs,
)
from lang.chains import forms
from lang.tokens import words

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
# Words with the article «ال» (also «وال», «بال», «لل»…) make 28% to 60% of an Arabic letter's
# words (357 letters). A font map that gives the plain alef another letter's code (WeasyPrint
# with SIL Scheherazade writes every «ال» as «أل») leaves almost none.
MIN_ARTICLE_SHARE = 0.08
_ARTICLE = re.compile(r"(?:[وفبك]?ال|لل)")
# Glyphs drawn invisible (text render mode 3) over a page image are another program's OCR.
MAX_INVISIBLE_SHARE = 0.5
# Chromium draws 29% to 100% of a page's spaces with no width (depending on the font),
# LibreOffice 0% to 12% (leftovers at the ends of its text runs, around digits and «/»).
_WIDTHLESS_SHARE = 0.2


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


def _grouped(glyphs: list[Glyph], together: Callable[[Glyph, Glyph], bool]) -> list[list[Glyph]]:
    out: list[list[Glyph]] = []
    for g in glyphs:
        if out and (unicodedata.category(g.ch) == "Mn" or together(g, out[-1][-1])):
            out[-1].append(g)
        else:
            out.append([g])
    return out


def _clusters(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Group glyphs that must stay together: a base with its marks, ligature parts, stacks."""
    return _grouped(glyphs, lambda g, prev: _is_ligature_part(g, prev) or _stacked(g, prev))


def _units(cluster: list[Glyph]) -> list[list[Glyph]]:
    """A cluster's letters, each with its marks; a ligature's letters make one unit."""
    return _grouped(cluster, _is_ligature_part)


# The name of God is one ligature glyph in most Arabic fonts (U+FDF2).
_ALLAH = frozenset({"\u0644\u0644\u0647", "\u0627\u0644\u0644\u0647"})
# Letters that never join the letter after them: inside a ligature glyph (letters drawn
# joined) they can only come last.
_RIGHT_JOINING = frozenset("\u0627\u0623\u0625\u0622\u0671\u062f\u0630\u0631\u0632\u0648\u0624\u0629")


def _joins(letters: list[str]) -> bool:
    return not any(c in _RIGHT_JOINING for c in letters[:-1])


def _settled(letters: list[str]) -> bool | None:
    """True: the ligature's letters are written backwards; False: forwards; None: cannot tell.
    («ال» as one glyph is lam-alef backwards: alef never joins what follows it.)"""
    text = "".join(letters)
    if text in _ALLAH or text[::-1] in _ALLAH:  # its letters all join: only the word tells
        return text not in _ALLAH
    forwards, backwards = _joins(letters), _joins(letters[::-1])
    return None if forwards == backwards else backwards


def _ligature_letters(unit: list[Glyph]) -> list[str]:
    return [g.ch for g in unit if unicodedata.category(g.ch) != "Mn"]


@dataclass(frozen=True)
class WriterHabits:
    """How the program that wrote a page's PDF draws Arabic, learnt from the page itself."""

    # Ligature glyphs mapped to their letters backwards, in words drawn right to left (logical
    # order) and in words drawn left to right (visual order).
    logical_ligatures_backwards: bool = False
    visual_ligatures_backwards: bool = False
    # Spaces drawn with no width mark word breaks (Chromium draws many of its spaces so);
    # otherwise they do only on lines with no other space (see _stream_words).
    widthless_spaces_break: bool = True

    def ligatures_backwards(self, visual: bool) -> bool:
        return self.visual_ligatures_backwards if visual else self.logical_ligatures_backwards


def writer_habits(lines: list[list[Glyph]]) -> WriterHabits:
    """Ligatures: voted by those whose order is settled (most hold a letter that never joins
    the next one: lam-alef, «بر»); the others («لم», «ين») follow the vote. Votes are kept
    apart by the direction the word was drawn in: Chromium maps a ligature backwards in words
    it draws right to left, forwards in those it draws left to right."""
    votes = {False: [0, 0], True: [0, 0]}
    spaces = [g for line in lines for g in line if g.ch == " " and not g.generated]
    widthless = sum(g.box[0] == g.box[2] for g in spaces)
    for line in lines:
        for cluster, visual in (c for w in _stream_words(line) for c in w):
            for unit in _units(cluster):
                letters = _ligature_letters(unit)
                if len(letters) > 1 and (settled := _settled(letters)) is not None:
                    votes[visual][settled] += 1
    return WriterHabits(
        votes[False][1] > votes[False][0], votes[True][1] > votes[True][0], widthless > _WIDTHLESS_SHARE * len(spaces)
    )


def _cluster_text(cluster: list[Glyph], visual: bool, habits: WriterHabits) -> str:
    units = _units(cluster)
    if visual:
        units.reverse()  # stacked letters drawn left to right
    out: list[str] = []
    for unit in units:
        letters = _ligature_letters(unit)
        if len(letters) > 1 and all(is_strong_rtl(c) for c in letters):
            settled = _settled(letters)
            if settled if settled is not None else habits.ligatures_backwards(visual):
                letters.reverse()
            out.extend(letters)
            out.extend(g.ch for g in unit if unicodedata.category(g.ch) == "Mn")
        else:
            out.extend(g.ch for g in unit)
    return "".join(out)


def _drawn_left_to_right(stream: list[Glyph], first: int, last: int) -> bool:
    """Whether the PDF drew the word around ``stream[first:last + 1]`` left to right (visual
    order), judged by the letters drawn just before or after it in the same word."""
    centre = sum(g.centre for g in stream[first : last + 1]) / (last - first + 1)
    if first > 0 and is_strong_rtl(stream[first - 1].ch):
        return stream[first - 1].centre < centre
    if last + 1 < len(stream) and is_strong_rtl(stream[last + 1].ch):
        return stream[last + 1].centre > centre
    return False


Cluster = tuple[list[Glyph], bool]  # glyphs that stay together, and whether their word was drawn left to right


def _stream_words(glyphs: list[Glyph], widthless_breaks: bool = True) -> list[list[Cluster]]:
    """A line's words as the PDF lists them: the clusters between two spaces of the content
    stream, whatever order the words and their letters were drawn in."""
    glyphs = [g for g in glyphs if g.ch not in "\r\n"]
    if not widthless_breaks and any(g.ch == " " and not g.generated and g.box[0] < g.box[2] for g in glyphs):
        # A page whose spaces have widths, and a line whose word breaks have theirs: spaces with
        # no width are leftovers at the ends of text runs (LibreOffice, around digits and «/»).
        # A line with no other space (WeasyPrint's justified lines) keeps them as its breaks.
        glyphs = [g for g in glyphs if not (g.ch == " " and not g.generated and g.box[0] == g.box[2])]
    words: list[list[Cluster]] = [[]]
    first = 0
    for cluster in _clusters(glyphs):
        last = first + len(cluster) - 1
        if cluster[0].ch.isspace():
            words.append([])
        else:
            words[-1].append((cluster, _drawn_left_to_right(glyphs, first, last)))
        first = last + 1
    return [w for w in words if w]


def _extent(clusters: list[Cluster]) -> tuple[float, float]:
    return min(g.box[0] for c, _ in clusters for g in c), max(g.box[2] for c, _ in clusters for g in c)


def _apart(words: list[list[Cluster]]) -> bool:
    """Whether the words stand side by side, as words of a line do (not interleaved)."""
    spans = sorted((_extent(w) for w in words), key=lambda span: -span[1])
    for (left, right), (next_left, next_right) in itertools.pairwise(spans):
        narrower = min(right - left, next_right - next_left)
        if next_right - left > 0.3 * narrower:
            return False
    return True


def logical_line(glyphs: list[Glyph], habits: WriterHabits | None = None) -> str:
    """One line of text in reading order, whatever order the PDF drew it in.

    The content stream's spaces say which letters make a word, even where a space's own
    position means nothing (Chromium draws many with no width, at another letter's origin, and
    pdfium infers others); positions say where each word and each letter stands.
    """
    glyphs = [g for g in glyphs if g.ch not in "\r\n"]
    if not glyphs:
        return ""
    if not any(is_strong_rtl(g.ch) for g in glyphs):
        return "".join(g.ch for g in glyphs)
    habits = habits or writer_habits([glyphs])
    words = _stream_words(glyphs, habits.widthless_spaces_break)
    if not _apart(words):
        # The stream's spaces do not split it into words: trust positions alone, and the
        # spaces that have a width of their own.
        spaces = [([g], False) for g in glyphs if g.ch == " " and g.box[0] < g.box[2]]
        words = [[c for w in words for c in w] + spaces]
    words.sort(key=lambda w: -_extent(w)[1])  # right to left
    chars: list[str] = []
    for word in words:
        if chars:
            chars.append(" ")
        for cluster, visual in sorted(word, key=lambda c: -c[0][0].centre):  # stable for equal centres
            chars.extend(_cluster_text(cluster, visual, habits))
    return "".join(reverse_ltr_runs(_without_kashidas(chars)))


def _stray(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c == "?")


def _without_kashidas(chars: list[str]) -> list[str]:
    """Drop one to three Latin letters, digits or «?» between two Arabic letters: no text has
    them there, but the kashidas LibreOffice draws to justify a line come out so in many fonts
    («H», «L», «N» in Noto Kufi or DejaVu Sans, «9» in KACST fonts)."""
    out: list[str] = []
    i = 0
    while i < len(chars):
        j = i
        while j < len(chars) and _stray(chars[j]):
            j += 1
        if 0 < j - i <= 3 and out and is_strong_rtl(out[-1]) and j < len(chars) and is_strong_rtl(chars[j]):
            i = j
            continue
        out.extend(chars[i : max(j, i + 1)])
        i = max(j, i + 1)
    return out


def unreadable_script(text: str) -> str | None:
    """The script ("ar" or "latin") whose words do not read as language, or None."""
    seen = {"ar": [0, 0], "latin": [0, 0]}
    articles = 0
    for w in words(text):
        f = forms(w)
        if f.script in seen and not w.isdigit():
            seen[f.script][0] += 1
            seen[f.script][1] += f.stop
            articles += f.script == "ar" and bool(_ARTICLE.match(w))
    for kind, (n, function_words) in seen.items():
        if n >= MIN_WORDS_TO_JUDGE and function_words / n < MIN_FUNCTION_WORD_SHARE[kind]:
            return kind
    n_ar = seen["ar"][0]
    if n_ar >= MIN_WORDS_TO_JUDGE and articles / n_ar < MIN_ARTICLE_SHARE:
        return "ar"
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
    habits = writer_habits(lines)
    text = "\n".join(s for s in (logical_line(line, habits).strip() for line in lines) if s)
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
            # Digits by their advance: their ink leaves wide, uneven margins («1») that would
            # read as word gaps. Letters by their ink: joined Arabic letters' advances overlap
            # and hide the gaps between words.
            box = tuple(round(v, 2) for v in tp.get_charbox(i, loose=ch.isdigit()))
            glyphs.append(Glyph(ch, box, generated))  # type: ignore[arg-type]
        return assemble(glyphs, invisible / drawn if drawn else 0.0)
    finally:
        tp.close()
