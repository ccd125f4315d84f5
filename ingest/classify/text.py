"""The normalised word keys both rules and the model see: folded, stemmed, stop words out."""

from __future__ import annotations

from lang.chains import forms
from lang.folding import fold_text
from lang.tokens import words


def keys(text: str) -> list[str]:
    """One key per content word: the stem where there is one, else the folded word."""
    out = []
    for w in words(text):
        f = forms(w)
        if not f.stop:
            out.append(f.arabic or f.french or f.exact)
    return out


def folded(text: str) -> str:
    return fold_text(text)
