"""Which languages a letter is written in."""

from __future__ import annotations

import re

_ARABIC = re.compile("[\u0621-\u064a\u0671-\u06d3]")
_LATIN = re.compile("[A-Za-z\u00c0-\u017f]")
_TIFINAGH = re.compile("[\u2d30-\u2d7f]")


def languages(text: str) -> tuple[str, ...]:
    """'ar' and/or 'fr' (Latin script is taken as French; Tifinagh is 'zgh'), main one first."""
    counts = {
        "ar": len(_ARABIC.findall(text)),
        "fr": len(_LATIN.findall(text)),
        "zgh": len(_TIFINAGH.findall(text)),
    }
    total = sum(counts.values())
    if total < 20:
        return ()
    present = [k for k, v in sorted(counts.items(), key=lambda kv: -kv[1]) if v / total >= 0.15]
    return tuple(present)
