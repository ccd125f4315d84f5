"""Eastern Arabic digits (٠١٢٣٤٥٦٧٨٩) on scanned Arabic pages.

Tesseract's Arabic models cannot read them: ``ara`` turns «٢٠٢٦» into «2025» and «٤٥٧٥» into
«هلاه»; Debian's ``script/Arabic`` and ``fas`` do no better with ٥ and ٦. Letters typed with
Western digits come out with Eastern ones when the writer's font or settings draw them so
(KacstOne does, Word's «Hindi» digits do), and a registry number or date read wrong registers
the letter wrong.

Unlike letters, these digits never join: each is one glyph, told apart by its shape
(``digitglyphs``). In the lines with doubtful words, each run of them is found and painted over
with the same number in Western digits (``digitpaint``), which the model reads reliably; the page is read again
(``ocr.ocr_image``), and the numbers painted in are written back in Eastern digits at the end. A
page is changed only when its runs hold at least ``MIN_DIGITS`` digits: one stray shape is not
a page written in Eastern digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np
from PIL import Image
from scipy import ndimage

from ingest.digitglyphs import DOT, EASTERN, OTHER, WESTERN, GlyphModel, glyph_model
from ingest.preprocess import otsu
from ingest.tesseract import Word

SURE = 90.0  # Tesseract reads Western digits surer than this; such a word is left alone
SLASHED = 60.0  # a word with a slash read less surely than this may hold misread digits
UNREAD = 10.0  # a word read less surely than this was not read at all
MAX_DISTANCE = 5.0  # farther than this from every drawn shape, a glyph is not read
SURE_DIGITS = 3  # a page in Eastern digits has a number this long (a year, a reference)
MIN_DIGITS = 4  # Eastern digits a page's numbers must hold in all before it is read again
TEXT_SHARE = 0.6  # of a line's cut-out (padded above and below) that its letters take
SPECK = 0.04  # a component smaller than this share of the letters' height on both sides is dirt
WIDEST = 1.2  # no digit (nor slash) is wider than this share of the letters' height
MARK = 0.45  # a component lower than this share of the letters' height may be a letter's mark
# An Eastern zero is this share of its digits' height: a speck is smaller, a slash larger.
ZERO, MAX_ZERO = 0.1, 0.5
MAX_GAP = 0.8  # between two digits of one number, at most this share of their height
# A number of one digit stands apart, as a word does: ١ is drawn as an alef is, and an alef
# (which never joins the next letter) stands this close to the rest of its word.
APART = 0.3
STRAY = 2.0  # a «١» at a number's end this many times farther off than its digits is an alef
# A glyph nearest a letter's shape is taken for a digit beside digits when its nearest digit
# shape is at most LIKE_DIGIT farther and no farther than LIKE_NEAR (``_like_digits``), and it
# keeps within their height give or take LIKE_BAND of it.
LIKE_DIGIT, LIKE_NEAR, LIKE_BAND = 1.0, 4.0, 0.25
OVER_PAD = 0.25  # a doubtful word's box widened by this share of the digits' height (_over)
_DIGIT = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]")
# Punctuation that follows a word in Arabic typing: read as a word of its own, it is a digit's
# shape (٤ as «؛»; ٢٤ as «؛؟»). A lone «؟» is left alone: some type a space before it.
_MARKS = frozenset("؛؟")


def _lone_marks(text: str) -> bool:
    return set(text) <= _MARKS and (text == "؛" or 2 <= len(text) <= 4)


@dataclass(frozen=True)
class Glyph:
    left: int
    top: int
    right: int
    bottom: int
    label: str  # a digit, SLASH, DOT, "." or OTHER
    font: str = ""  # the font whose shape is nearest
    # A glyph nearest a letter's shape: the Eastern digit it is nearly as near (LIKE_DIGIT), if
    # any. Beside digits, it is that digit (``_like_digits``).
    digit: str = ""


def binarise(grey: np.ndarray) -> np.ndarray:
    """Ink (True) by Otsu's threshold of the crop: a line is small enough for one threshold."""
    return grey <= otsu(grey)


def glyphs(ink: np.ndarray, model: GlyphModel, spans: list[tuple[int, int]] | None = None) -> list[Glyph]:
    """The line's glyphs from left to right: its components, with a small mark put with the
    body it stands above or below (a letter's dots, hamza). Those within ``spans`` (left and
    right; all when None) are read by the model, the others are OTHER."""
    height = TEXT_SHARE * ink.shape[0]
    labelled, _ = ndimage.label(ink, structure=np.ones((3, 3)))
    boxes = []
    for sl in ndimage.find_objects(labelled):
        t, b, left, r = sl[0].start, sl[0].stop, sl[1].start, sl[1].stop
        if b - t >= SPECK * height or r - left >= SPECK * height:
            boxes.append([left, t, r, b])
    boxes.sort()
    merged: list[list[int]] = []
    for box in boxes:
        last = merged[-1] if merged else None
        if last is not None:
            overlap = min(last[2], box[2]) - max(last[0], box[0])
            small = min(last[3] - last[1], box[3] - box[1]) < MARK * height
            if small and overlap >= 0.3 * min(last[2] - last[0], box[2] - box[0]):
                merged[-1] = [min(last[0], box[0]), min(last[1], box[1]), max(last[2], box[2]), max(last[3], box[3])]
                continue
        merged.append(box)

    # Letters joined into a word are wider than any digit: only the others are compared.
    def wanted(box: list[int]) -> bool:
        inside = spans is None or any(box[0] < right and box[2] > left for left, right in spans)
        return inside and box[2] - box[0] <= WIDEST * height

    readings = iter(model.read([ink[t:b, left:r] for left, t, r, b in merged if wanted([left, t, r, b])]))
    found: list[Glyph] = []
    letters: list[tuple[int, float]] = []  # (index in found, distance) of those read as OTHER
    for left, t, r, b in merged:
        if not wanted([left, t, r, b]):
            found.append(Glyph(left, t, r, b, OTHER))
            continue
        label, distance, font = next(readings)
        found.append(Glyph(left, t, r, b, label if distance <= MAX_DISTANCE else OTHER, font))
        if label == OTHER:
            letters.append((len(found) - 1, distance))
    # Nearest a letter's shape: how near is each to a digit's?
    crops = [ink[found[i].top : found[i].bottom, found[i].left : found[i].right] for i, _ in letters]
    for (i, distance), (digit, to_digit) in zip(letters, model.nearest_of(crops, EASTERN), strict=True):
        if to_digit <= min(LIKE_NEAR, distance + LIKE_DIGIT):
            found[i] = replace(found[i], digit=digit)
    return _mend_broken(found, ink, model, WIDEST * height)


def _mend_broken(found: list[Glyph], ink: np.ndarray, model: GlyphModel, widest: float) -> list[Glyph]:
    """Two glyphs that touch, one of them unread, read as one when the whole is nearer a digit
    than either piece is to anything: a thin stroke the scan broke leaves a digit in pieces (the
    hook of «٦» apart from its stem, which alone may pass for «١»)."""
    out: list[Glyph] = []
    for g in found:
        last = out[-1] if out else None
        if (
            last is not None
            and OTHER in (last.label, g.label)
            and last.font
            and g.font
            and g.left <= last.right + 1
            and max(last.top, g.top) <= min(last.bottom, g.bottom) + 2
            and max(last.right, g.right) - last.left <= widest
        ):
            whole = Glyph(last.left, min(last.top, g.top), max(last.right, g.right), max(last.bottom, g.bottom), OTHER)
            parts = [ink[p.top : p.bottom, p.left : p.right] for p in (last, g, whole)]
            (_, to_last, _), (_, to_g, _), (label, distance, font) = model.read(parts)
            if label in EASTERN and distance <= MAX_DISTANCE and distance < min(to_last, to_g):
                out[-1] = replace(whole, label=label, font=font)
                continue
        out.append(g)
    return out


def _is_digit(label: str) -> bool:
    return label in EASTERN or label in WESTERN


def runs(found: list[Glyph]) -> list[list[Glyph]]:
    """Numbers drawn in Eastern digits, each as its glyphs from left to right: digits close
    together, with slashes and stops between them. A small round glyph among them is a zero when
    it sits at their mid-height, a full stop on their baseline."""
    found = _like_digits(found)
    glyphs_ = [_dot(i, found) if g.label == DOT or _inside_number(i, found) else g for i, g in enumerate(found)]
    out: list[list[Glyph]] = []
    start = None  # index of the current number's first glyph
    for i in range(len(glyphs_) + 1):
        g = glyphs_[i] if i < len(glyphs_) else None
        if start is not None:
            prev = glyphs_[i - 1]
            tall = [c for c in glyphs_[start : i + 1] if _is_digit(c.label) and c.label != "٠"]
            height = max((c.bottom - c.top for c in tall), default=prev.bottom - prev.top)
            if g is None or g.label == OTHER or g.left - prev.right > MAX_GAP * height:
                end = i
                while not _is_digit(glyphs_[end - 1].label):
                    end -= 1
                number = _without_stray_alef(glyphs_[start:end])
                eastern = sum(c.label in EASTERN for c in number)
                western = any(c.label in WESTERN for c in number)
                if eastern and not western and (eastern > 1 or _apart(glyphs_, start, end)):
                    out.append(number)
                start = None
        if g is not None and start is None and _is_digit(g.label):
            start = i
    return out


def _like_digits(found: list[Glyph]) -> list[Glyph]:
    """Glyphs nearly as near a digit's shape as a letter's, read as that digit when they stand
    beside an Eastern digit read by its own shape, as high as it and as close as digits stand:
    some fonts draw «٥» as round as «ه», and a number is not broken by a letter in its middle.
    Never from one taken so to the next: a row of letters would all become digits."""
    return [
        replace(g, label=g.digit)
        if g.label == OTHER and g.digit and any(_beside(g, found[j]) for j in (i - 1, i + 1) if 0 <= j < len(found))
        else g
        for i, g in enumerate(found)
    ]


def _beside(g: Glyph, digit: Glyph) -> bool:
    if digit.label not in EASTERN or digit.label == "٠":
        return False
    height = digit.bottom - digit.top
    gap = max(g.left - digit.right, digit.left - g.right)
    return (
        gap <= MAX_GAP * height
        and g.right - g.left <= height  # no Eastern digit is wider than tall; a word is
        and g.bottom - g.top >= 0.5 * height
        and g.top >= digit.top - LIKE_BAND * height
        and g.bottom <= digit.bottom + LIKE_BAND * height
    )


def _without_stray_alef(number: list[Glyph]) -> list[Glyph]:
    """The number without a «١» at either end that stands farther off than its digits stand
    from one another: the alef of the next word («١٤ أكتوبر» read as ١١٤)."""
    while len(number) >= 3:
        gaps = [b.left - a.right for a, b in pairwise(number)]
        usual = float(np.median(gaps[1:-1])) if len(gaps) > 2 else float(min(gaps))
        height = max(g.bottom - g.top for g in number)
        far = max(STRAY * usual, APART * height)
        if number[0].label == "١" and gaps[0] > far:
            number = number[1:]
        elif number[-1].label == "١" and gaps[-1] > far:
            number = number[:-1]
        else:
            break
    return number


def _apart(found: list[Glyph], start: int, end: int) -> bool:
    """Whether found[start:end] stands apart from the glyphs on either side of it."""
    height = max(g.bottom - g.top for g in found[start:end])
    before = found[start].left - found[start - 1].right if start > 0 else height
    after = found[end].left - found[end - 1].right if end < len(found) else height
    return min(before, after) >= APART * height


def _dot(i: int, found: list[Glyph]) -> Glyph:
    """A zero, a full stop or a letter's dot, by where it sits beside the digits around it."""
    g = found[i]
    near = [c for c in found[max(0, i - 2) : i + 3] if c.label in EASTERN]
    label = OTHER
    if near:
        top = float(np.median([c.top for c in near]))
        bottom = float(np.median([c.bottom for c in near]))
        span = max(bottom - top, 1.0)
        centre = ((g.top + g.bottom) / 2 - top) / span
        size = max(g.bottom - g.top, g.right - g.left)
        if not ZERO * span <= size <= MAX_ZERO * span:
            label = OTHER  # a speck, or a mark as large as a digit
        elif 0.25 <= centre <= 0.75:
            label = "٠"
        elif 0.75 < centre <= 1.1:
            label = "."
    return Glyph(g.left, g.top, g.right, g.bottom, label, g.font)


def _inside_number(i: int, found: list[Glyph]) -> bool:
    """An unread glyph between two Eastern digits: a zero the shapes did not recognise (five
    pixels square at 300 dpi, a zero is compared with drawn shapes on too few pixels), which
    ``_dot`` then tells from a stop or a letter's dot by its size and height."""
    return (
        found[i].label == OTHER
        and 0 < i < len(found) - 1
        and found[i - 1].label in EASTERN
        and found[i + 1].label in EASTERN
    )


def _candidate(w: Word) -> bool:
    """A word Tesseract may have misread from Eastern digits: it reads them as digits of
    either kind mixed with junk, with little assurance. (An Arabic word it is unsure of is no
    candidate: the shapes of ١, ٥ and ٠ are pieces of letters too: alef, heh, a dot.)"""
    if _DIGIT.search(w.text):
        return w.confidence < SURE or any(c in EASTERN for c in w.text)
    if _lone_marks(w.text):
        return True  # «في ؛ يناير»: a four read as a semicolon, which never stands alone
    return "/" in w.text and w.confidence < SLASHED  # a reference's number read as letters


def eastern_numbers(grey: Image.Image, words: list[Word]) -> list[list[Glyph]]:
    """The numbers of a page drawn in Eastern digits, in page coordinates; none unless they
    hold ``MIN_DIGITS`` digits in all."""
    model = glyph_model()
    if not model.labels:
        return []
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    page = grey if grey.mode == "L" else grey.convert("L")
    found: list[list[Glyph]] = []
    for line_words in lines.values():
        doubtful = [w for w in line_words if _candidate(w)]
        if not doubtful:
            continue
        # On a line that holds a number, a word Tesseract could make nothing of may be more of
        # it: «٩٨٢/ك.ع/٢٠٢٦» read «كلك .ع/7 20», its first part as letters at confidence 0.
        doubtful += [w for w in line_words if w.confidence < UNREAD and w not in doubtful]
        left = min(w.box[0] for w in line_words)
        top = min(w.box[1] for w in line_words)
        right = max(w.box[0] + w.box[2] for w in line_words)
        bottom = max(w.box[1] + w.box[3] for w in line_words)
        pad = max(4, (bottom - top) // 3)
        x0, y0 = max(0, left - pad), max(0, top - pad)
        crop = page.crop((x0, y0, right + pad, bottom + pad))
        # Only glyphs around the doubtful words are read, widened by a letter's height:
        # Tesseract's box of a misread number may leave out its first or last digit.
        spans = [(a - x0, b - x0) for a, b in _spans_around(doubtful, bottom - top)]
        for number in runs(glyphs(binarise(np.asarray(crop)), model, spans)):
            number = [Glyph(g.left + x0, g.top + y0, g.right + x0, g.bottom + y0, g.label, g.font) for g in number]
            if _over(number, doubtful):
                found.append(number)
    # A page typed in Eastern digits has a year or a number of several digits; a few letters
    # that look like one or two digits do not make one.
    if not any(_sure(n) for n in found) or sum(g.label in EASTERN for n in found for g in n) < MIN_DIGITS:
        return []
    return found


def _spans_around(words: list[Word], pad: int) -> list[tuple[int, int]]:
    """Left and right of the stretches of a line that hold ``words``, each widened by ``pad``."""
    spans: list[list[int]] = []
    for w in sorted(words, key=lambda w: w.box[0]):
        left, right = max(0, w.box[0] - pad), w.box[0] + w.box[2] + pad
        if spans and left <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], right)
        else:
            spans.append([left, right])
    return [(a, b) for a, b in spans]


def _sure(number: list[Glyph]) -> bool:
    return sum(g.label in EASTERN for g in number) >= SURE_DIGITS


def _over(number: list[Glyph], doubtful: list[Word]) -> bool:
    """Whether the number lies mostly within doubtful words, each widened by a quarter of the
    digits' height: Tesseract boxes a digit it read as a mark («٤» as «؛») by the mark's width."""
    left, right = min(g.left for g in number), max(g.right for g in number)
    pad = OVER_PAD * max(g.bottom - g.top for g in number)
    covered = sum(max(0, min(right, w.box[0] + w.box[2] + pad) - max(left, w.box[0] - pad)) for w in doubtful)
    return covered >= 0.5 * max(right - left, 1)
