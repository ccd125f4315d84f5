"""Names across scripts: «Khalid Safir» finds «خالد سفير», «Benjelloun» finds «بنجلون».

Each word gets consonant-skeleton keys that an Arabic spelling and its Moroccan French
spellings share: vowels and long-vowel letters are dropped (Latin writes short vowels that
Arabic does not, Arabic writes long ones as letters), letters a French spelling cannot tell
apart share a class (ص/س «s», ط/ت «t», ق/ك «k»), doubled letters collapse (Benjelloun,
Mohammed), and the French digraphs map to one class (kh خ, gh غ, ch/sh ش, dj ج, ou و).
The article «ال» (el-, al-, and the assimilated es-, en-, er-…) and the particles of
compound names («بن» ben, «عبد» abdel, «بو» bou, «ولد» ould, «آيت» ait) are keyed both
with and without their word, so «Ben Jelloun» meets «بنجلون» and «Abdelaziz» «عبد العزيز».

A key is prefixed with the script it was made from (``a:`` or ``l:``): a search looks up only
the other script's keys, since within one script the spelling itself is searched.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise, product

from lang.folding import fold, fold_latin, prepare, script
from lang.tokens import words

MIN_CONSONANTS = 2  # one-consonant keys («Ali»: «l») would match every «على» and «الى»…
RARE_ALONE = set("cxgjz")  # …except for letters no common short word is made of (Aicha, Aziz)
MAX_VARIANTS = 8

_ARABIC = {
    **dict.fromkeys("بپ", "b"),
    **dict.fromkeys("تطث", "t"),
    **dict.fromkeys("دضذظ", "d"),
    **dict.fromkeys("سص", "s"),
    **dict.fromkeys("كقڭݣگ", "k"),
    **dict.fromkeys("حه", "h"),
    **dict.fromkeys("فڤ", "f"),
    "ج": "j",
    "ز": "z",
    "ش": "c",
    "غ": "g",
    "خ": "x",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ر": "r",
}
# Dropped: alef forms, hamza seats, waw and yeh (vowels or glides), ain (French spellings
# leave it out: Abdelali, Saad), teh marbuta (a final vowel: Fatima, Aicha).
_ARABIC_SILENT = set("اأإآٱءؤئوىيیعة")

# Longest first; each maps to the classes it may stand for.
_LATIN = [
    ("kh", ("x",)),
    ("gh", ("g",)),
    ("ch", ("c",)),
    ("sh", ("c",)),
    ("dj", ("j",)),
    ("th", ("t",)),
    ("ph", ("f",)),
    ("qu", ("k",)),
    ("ck", ("k",)),
    ("gu", ("k", "j")),  # Guessous (ڭ), Benguerir (ج)
    ("x", ("ks",)),
]
_LATIN_ONE = {
    **dict.fromkeys("bp", "b"),
    **dict.fromkeys("fv", "f"),
    "d": "d",
    "h": "h",
    "j": "j",
    "k": "k",
    "q": "k",
    "l": "l",
    "m": "m",
    "n": "n",
    "r": "r",
    "s": "s",
    "t": "t",
    "z": "z",
}
_VOWELS = set("aeiouyw")

_AR_PARTICLES = ("ابن", "بن", "عبد", "ابو", "بو", "ولد", "ايت", "اولاد", "مولاي", "سيدي")
_LATIN_PARTICLES = (
    "abdel", "abdal", "abdul", "abd", "ben", "bin", "ibn", "ibnou", "bou", "abou", "ould", "ouled",
    "ait", "moulay", "sidi",
)  # fmt: skip
_SUN = set("tdsznrlc")
_SUN_ARTICLE = re.compile("ال(?=[تثدذرزسشصضطظلن])")  # letters an article assimilates to: Essafi, Ennaciri, Ettaoudi


def _collapse(key: str) -> str:
    return "".join(c for i, c in enumerate(key) if i == 0 or c != key[i - 1])


def _latin_classes(word: str) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        for graph, classes in _LATIN:
            if word.startswith(graph, i):
                out.append(classes)
                i += len(graph)
                break
        else:
            ch = word[i]
            nxt = word[i + 1] if i + 1 < len(word) else ""
            if ch == "c":
                out.append(("s",) if nxt in "eiy" else ("k",))
            elif ch == "g":
                out.append(("j",) if nxt in "eiy" else ("k", "j"))
            elif ch in _LATIN_ONE:
                out.append((_LATIN_ONE[ch],))
            i += 1
    return out


def _latin_keys(word: str) -> set[str]:
    classes = _latin_classes(word)
    keys = set()
    for combo in product(*classes):
        keys.add(_collapse("".join(combo)))
        if len(keys) >= MAX_VARIANTS:
            break
    return keys


def _arabic_keys(word: str) -> set[str]:
    spellings = {word}
    if _SUN_ARTICLE.search(word):  # «عبد الرحيم» is said and spelt Abderrahim
        spellings.add(_SUN_ARTICLE.sub("ا", word))
    keys = set()
    for w in spellings:
        key = "".join(_ARABIC.get(c, "") for c in w if c not in _ARABIC_SILENT)
        keys.add(_collapse(key))
        if w.endswith("ه") and key.endswith("h"):  # ة typed or read as ه
            keys.add(_collapse(key[:-1]))
        if w.endswith(("ة", "ه")):  # and said «t» before a name: Najat, Hayat
            keys.add(_collapse(key.removesuffix("h") + "t"))
    return keys


def _without_article(word: str, kind: str) -> str | None:
    if kind == "ar":
        return word[2:] if word.startswith("ال") and len(word) > 3 else None
    if len(word) > 4 and word[0] in "ae" and word[1] == "l" and word[2] not in _VOWELS:
        return word[2:]  # el-fassi, alaoui is «a»+«laoui» and stays whole
    if len(word) > 4 and word[0] == "e" and word[1] in _SUN and word[2] == word[1]:
        return word[2:]  # essafi → safi
    return None


def _particle_parts(word: str, kind: str) -> list[str]:
    """A compound name's parts: «بنعبدالله» → بن, عبد, الله; «abdelaziz» → abd, alaziz."""
    for p in _AR_PARTICLES if kind == "ar" else _LATIN_PARTICLES:
        if word.startswith(p) and len(word) - len(p) >= 3:
            rest = word[len(p) :]
            if kind == "latin" and p.startswith("abd") and len(p) == 5:  # abdel+aziz: عبد + العزيز
                p, rest = "abd", "al" + rest
            return [p, *_particle_parts(rest, kind)]
    return [word]


def _long_enough(key: str) -> bool:
    return len(key) >= MIN_CONSONANTS or key in RARE_ALONE


def _keys_of(word: str, kind: str) -> set[str]:
    return _arabic_keys(word) if kind == "ar" else _latin_keys(word)


@lru_cache(maxsize=200_000)
def word_keys(word: str, split: bool = True) -> frozenset[str]:
    """The script-prefixed keys of one word (``split``: also its particle's and its rest's)."""
    base = prepare(word).replace("-", "")
    kind = script(base)
    if kind == "other":
        return frozenset()
    if kind == "latin":
        base = fold_latin(base.replace("ç", "s"))
    forms = [base]
    if bare := _without_article(base, kind):
        forms.append(bare)
    if split and len(parts := _particle_parts(base, kind)) > 1:
        forms += [p for part in parts for p in (part, _without_article(part, kind)) if p]
    keys = {k for f in forms for k in _keys_of(f, kind) if _long_enough(k)}
    prefix = "a:" if kind == "ar" else "l:"
    return frozenset(prefix + k for k in keys)


_JOINERS = frozenset({*_AR_PARTICLES, *_LATIN_PARTICLES, "ال", "el", "al"})


# Second parts of compound first names that the other script writes joined: نور الدين is
# Noureddine, «Nour Eddine» is نورالدين. (A first part that is a particle is in _JOINERS.)
_JOINED_AFTER = frozenset({"الدين", "الله", "eddine", "dine", "allah", "ellah"})


def text_keys(text: str) -> list[str]:
    """Every key of a text (see ``keys_of_words``)."""
    return keys_of_words([fold(w) for w in words(text)])


def keys_of_words(folded_words: list[str]) -> list[str]:
    """Every key of a text's words (folded, as ``lang.chains`` indexes them): of each word, and
    of two neighbouring words written as one in the other script («بن جلون» / Benjelloun)."""
    distinct = set(folded_words)
    keys: set[str] = set().union(*map(word_keys, distinct))
    firsts, seconds = distinct & _JOINERS, distinct & _JOINED_AFTER
    if firsts or seconds:
        for a, b in pairwise(folded_words):
            if a in firsts or b in seconds:
                keys |= word_keys(a + b, split=False)
    return sorted(keys)


def query_keys(word: str, before: str | None = None, after: str | None = None) -> tuple[str, ...]:
    """The other script's keys a typed word should also match. With its neighbours written as
    one word too: «نور الدين» is Noureddine, «Ben Jelloun» is بنجلون."""
    mine = set(word_keys(word, split=False))
    for joined in (before + word if before else None, word + after if after else None):
        if joined and script(joined) != "other":
            mine |= word_keys(joined, split=False)
    other = {"a:": "l:", "l:": "a:"}
    return tuple(sorted(other[k[:2]] + k[2:] for k in mine))
