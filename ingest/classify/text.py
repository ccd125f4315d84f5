"""The normalised word keys both rules and the model see: folded, stemmed, stop words out."""

from __future__ import annotations

import re

from lang.chains import forms
from lang.folding import fold_text
from lang.tokens import words

# The article and the particles glued before it, where three letters remain (folded spelling).
_ARTICLE = re.compile(r"^(?:وال|فال|بال|كال|لل|ال)(?=.{3})")


def keys(text: str) -> list[str]:
    """One key per content word: the stem where there is one, else the folded word."""
    return [k for k, _ in keyed(text)]


def keyed(text: str) -> list[tuple[str, str]]:
    """(key, the folded word without its article) per content word: the rules need both."""
    out = []
    for w in words(text):
        f = forms(w)
        if not f.stop:
            out.append((f.arabic or f.french or f.exact, _ARTICLE.sub("", f.exact) if f.arabic else f.exact))
    return out


def folded(text: str) -> str:
    return fold_text(text)
