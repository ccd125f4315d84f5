"""Arabic words read with a dot or a hamza wrong, mended against Tesseract's own word list.

Most Arabic letters differ only by their dots (ب ت ث ن ي, ج ح خ, س ش, ف ق…). On a poor copy
the dots are the first ink to go or to grow, and Tesseract reads «استثنائية» as «استتنانية» or
«شكاية» as «شكابة». The bare skeleton (the rasm) is still right. A word that is not in the
language's word list becomes the listed word with the same skeleton and the fewest letters
changed, within what Tesseract's confidence allows; it is left as read when there is none or
a tie (a name, a rare word). The list is the one in the installed ``ara.traineddata``: broad
written Arabic, not this project's letters.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from ingest.tesseract import Word, tessdata_dir
from lang.folding import ARABIC_MARKS, strip_marks

# Letters that share a skeleton inside a word. At a word's end ن and ي/ى have tails of their
# own, and ق a round bowl, so they only share one with each other there (ي/ى).
_MIDDLE = str.maketrans("بتثنيىئجحخذزشضظغقةأإآٱؤ", "ٮٮٮٮٮٮٮحححدرسصطعڡهااااو")
_END = {"ن": "ں", "ي": "ى", "ى": "ى", "ئ": "ى", "ق": "ٯ"}
# A word ending in one of these does not join the next letter, so Tesseract may see a gap
# inside the word after it («أ صدقاء»).
_NON_JOINING = set("اأإآٱدذرزوؤة")
_ALIFS = set("اأإآٱ")
# An alif with a hamza below looks like «!», a bare one like «|».
_ALIF_LOOKALIKES = {"!": "إ", "|": "ا"}
# How many letters a word may have changed, by Tesseract's confidence in it: on the dev and the
# rendered corpora, words it was surer of were more often right and only missing from the list.
_CHANGES_BELOW = ((80.0, 2), (90.0, 1))
# What a change of shape, not of dots, counts as (Lexicon._final_heh, Lexicon._mim_as_waw):
# only words Tesseract was unsure of (below 80) are changed so.
SHAPE_CHANGES = 2
_WORD = re.compile(rf"[\u0621-\u063a\u0641-\u064a{ARABIC_MARKS}]+")
_LISTED = re.compile(r"[\u0621-\u063a\u0641-\u064a]{2,}")
# A madda read where the copy has a hamza above the alif keeps a mark above it: that reading is
# nearer than the bare alif, which would need the mark invented («الآمل» is «الأمل», not «الامل»).
# Some fonts' «أ» is read so on every copy, clean ones too.
_NEAR_LETTERS = {("آ", "أ"): 0.5}
# A word standing alone, not a piece of a reference («4201/قم/2026») or of a code.
_FREE_WORD = re.compile(rf"(?<![\w/\\-]){_WORD.pattern}(?![\w/\\-])")


def skeleton(word: str) -> str:
    """The word without its dots and hamzas: what survives a blurred or speckled copy."""
    word = strip_marks(word)
    if not word:
        return ""
    return word[:-1].translate(_MIDDLE) + _END.get(word[-1], word[-1].translate(_MIDDLE))


def _invents_final_dots(listed: str, read: str) -> bool:
    """Whether ``listed`` needs the final «ة» read to have been an «ه»: two dots the copy
    would have had to make up. On six corpora none of the eight such mends was right: the word
    had lost a stacked ligature's lam («احملة» for «الحملة», in Amiri); it was not «احمله»."""
    return read.endswith("ة") and listed.endswith("ه")


def _changes(listed: str, read: str) -> float:
    return sum(0 if a == b else _NEAR_LETTERS.get((b, a), 1) for a, b in zip(listed, read, strict=True))


class Lexicon:
    """The words of a word list, and which of them share each skeleton."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w for w in words if _LISTED.fullmatch(w))
        self._by_skeleton: dict[str, list[str]] = {}
        for w in self.words:
            self._by_skeleton.setdefault(skeleton(w), []).append(w)

    def __contains__(self, word: str) -> bool:
        return word in self.words

    def __len__(self) -> int:
        return len(self.words)

    def mend(self, word: str, most: int = 2) -> str | None:
        """The one listed word this unlisted word may be misread from, with at most ``most``
        letters changed; else None."""
        bare = strip_marks(word)
        if len(bare) < 3 or bare in self.words:
            return None
        if word.endswith("مّ") and bare[:-1] + "ة" in self.words:
            return bare[:-1] + "ة"  # «نسخمّ»: a final «ة» whose two dots were read as a shadda
        found = [
            w
            for w in self._by_skeleton.get(skeleton(bare), ())
            # A hamza on the first alif is the writer's choice, not a misreading («ألتمس»).
            if len(w) == len(bare) and (w[0] == bare[0] or bare[0] not in _ALIFS)
        ]
        # The fewest letters changed wins («استتنانية» is «استثنائية», not «إستثنائية»); a tie
        # is left as read.
        cost = sorted((_changes(w, bare), w) for w in found)
        if cost and _invents_final_dots(cost[0][1], bare) and most >= 1 and (article := self._article(bare)):
            return article
        if not cost:
            # The article's lam, lost or misread, is mended up to where a dot may be: on six
            # corpora every unlisted word read so at 80 to 90 was right once mended (3 of 3).
            if most >= 1 and (single := self._doubled(bare) or self._article(bare)):
                return single
            if most >= SHAPE_CHANGES and (reshaped := self._final_heh(bare) or self._mim_as_waw(bare)):
                return reshaped
            return self._ligature(bare)
        # A mark read as its neighbour (half a change) is mended however sure Tesseract was:
        # this font's «أ» is read «آ» at 95 as readily as at 60.
        if cost[0][0] > max(most, min(_NEAR_LETTERS.values())) or (len(cost) > 1 and cost[0][0] == cost[1][0]):
            return None
        return cost[0][1]

    def _article(self, bare: str) -> str | None:
        """«اجمعية», «ابجمعية» → «الجمعية»: the lam of the article lost or read as another
        letter, a misreading of its own (the lam and the letter after it are drawn as one)."""
        if len(bare) < 5:
            return None
        if bare[0] == "ل" and bare[1] in "إأاآي":
            # After the preposition «ل» the article is its lam alone («للجماعات»), drawn as a
            # second tall stroke that is read as an alif or a «ي»: «لإجماعات», «ليجماعات».
            return "لل" + bare[2:] if "لل" + bare[2:] in self.words else None
        if bare[0] != "ا" or bare[1] == "ل":
            return None
        lost, misread = "ال" + bare[1:], "ال" + bare[2:]
        return next((w for w in (lost, misread) if w in self.words), None)

    def _doubled(self, bare: str) -> str | None:
        """«جماعةة», «استغللال» → «جماعة», «استغلال»: one letter read twice, which a line's
        decoder does on a blurred stroke. Dropping any other letter would strip the prefixes and
        suffixes the word list lacks («بزنقة», «وأتعهد»), and adding one made more words wrong
        than right on three corpora: only a repeat is undone. Not a final «هه» (a pronoun after
        a root's «ه», «تنبيهه») or an opening «لل» (the preposition before the article)."""
        last = len(bare) - 2
        repeats = [i for i in range(last + 1) if bare[i] == bare[i + 1]]
        kept = [i for i in repeats if not (i == last and bare[i] == "ه") and not (i == 0 and bare[i] == "ل")]
        found = {bare[:i] + bare[i + 1 :] for i in kept} & self.words
        return found.pop() if len(found) == 1 else None

    def _mim_as_waw(self, bare: str) -> str | None:
        """«الووضوع», «الوسجل» → «الموضوع», «المسجل»: an initial or middle «م» is a small loop
        on the baseline, read as the head of «و» when its join is faint (one «و» changed)."""
        if len(bare) < 5:
            return None
        # Not a first «و»: that is the conjunction («وطابق» is no «مطابق»).
        found = {bare[:i] + "م" + bare[i + 1 :] for i in range(1, len(bare) - 1) if bare[i] == "و"} & self.words
        return found.pop() if len(found) == 1 else None

    def _ligature(self, bare: str) -> str | None:
        """«القاس» → «التماس»: Naskh fonts (Amiri) stack «تم» into one shape, a bowl under two
        dots, that is read as «ق», with a confidence of 84 to 90: so this is tried however sure
        Tesseract was, and the word list decides (no unlisted word of the corpora's texts that
        holds a «ق» becomes a listed one so)."""
        if len(bare) < 4:
            return None
        found = {bare[:i] + "تم" + bare[i + 1 :] for i, c in enumerate(bare) if c == "ق"} & self.words
        return found.pop() if len(found) == 1 else None

    def _final_heh(self, bare: str) -> str | None:
        """«الفقيم», «التعاونيم» → «الفقيه», «التعاونية»: a word's final «ة» or «ه», a loop on
        the baseline, read as the loop of «م» when its tail is faint."""
        if len(bare) < 4 or bare[-1] != "م":
            return None
        found = [w for w in (bare[:-1] + "ة", bare[:-1] + "ه") if w in self.words]
        return found[0] if len(found) == 1 else None  # both listed: a tie, left as read


@cache
def tesseract_lexicon(lang: str = "ara") -> Lexicon:
    """The word list inside Tesseract's installed model for ``lang`` (empty when absent)."""
    data = Path(tessdata_dir()) / f"{lang}.traineddata"
    if not data.exists():
        return Lexicon(())
    with tempfile.TemporaryDirectory(prefix="sijill-dawg-") as tmp:
        dawg, charset, out = (Path(tmp) / n for n in ("w.lstm-word-dawg", "w.lstm-unicharset", "words.txt"))
        run = {"capture_output": True, "timeout": 60, "check": False}
        subprocess.run(["combine_tessdata", "-e", str(data), str(dawg), str(charset)], **run)
        if dawg.exists() and charset.exists():
            subprocess.run(["dawg2wordlist", str(charset), str(dawg), str(out)], **run)
        words = out.read_text(encoding="utf-8").split() if out.exists() else []
    return Lexicon(words)


def _join_gaps(tokens: list[str], lexicon: Lexicon) -> list[str]:
    """Join «أ صدقاء» into «أصدقاء»: two unlisted pieces whose join is a listed word. A word's
    first alif read as a sign and cut off («! دارية»), or left glued («!دارية»), is joined back
    the same way."""
    out: list[str] = []
    for tok in tokens:
        glued, rest = _ALIF_LOOKALIKES.get(tok[:1], ""), tok[1:]
        if glued and _WORD.fullmatch(rest) and rest not in lexicon and glued + rest in lexicon:
            tok = glued + rest
        prev = out[-1] if out else ""
        alif = _ALIF_LOOKALIKES.get(prev, "")
        if alif and _WORD.fullmatch(tok) and tok not in lexicon and alif + tok in lexicon:
            out[-1] = alif + tok
        elif (
            prev
            and _WORD.fullmatch(prev)
            and _WORD.fullmatch(tok)
            and prev[-1] in _NON_JOINING
            and (len(prev) == 1 or prev not in lexicon)
            and tok not in lexicon
            and prev + tok in lexicon
        ):
            out[-1] = prev + tok
        else:
            out.append(tok)
    return out


def changes_allowed(confidence: float | None) -> int:
    """Letters a word read with this confidence may have changed (None: a word no reading
    scored, i.e. written by a line re-read)."""
    if confidence is None:
        return _CHANGES_BELOW[0][1]
    return next((n for limit, n in _CHANGES_BELOW if confidence < limit), 0)


def word_confidences(words: Iterable[Word]) -> dict[str, float]:
    """Each Arabic word's lowest confidence on the page."""
    out: dict[str, float] = {}
    for w in words:
        for piece in _WORD.findall(w.text):
            out[piece] = min(out.get(piece, 100.0), w.confidence)
    return out


def mend_text(text: str, lexicon: Lexicon, confidences: dict[str, float]) -> tuple[str, int]:
    """The text with unlisted Arabic words mended; and how many were."""
    if not lexicon:
        return text, 0
    mended = 0
    lines = []
    for line in text.split("\n"):
        joined = " ".join(_join_gaps(line.split(" "), lexicon))

        def mend(m: re.Match[str]) -> str:
            nonlocal mended
            better = lexicon.mend(m.group(), changes_allowed(confidences.get(m.group())))
            mended += better is not None
            return better or m.group()

        lines.append(_FREE_WORD.sub(mend, joined))
    return "\n".join(lines), mended
