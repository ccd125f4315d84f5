"""The starter training set: short letters composed from the examples in ``starter/``.

Each file is one language and one wording set (``ar.toml`` is set 1 of Arabic, ``ar-2.toml``
set 2): the sets are written apart, in other words and registers, so that training on one and
testing on the other measures how the model does on wording it has never seen
(``bench/wording.py``). The shipped model learns from all of them."""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from pathlib import Path

STARTER_DIR = Path(__file__).resolve().parent / "starter"
LETTERS_PER_SUBJECT = 3
_OPENINGS = {
    "ar": ["سلام تام بوجود مولانا الإمام، وبعد،", "تحية طيبة وبعد،", "السيد الرئيس المحترم،"],
    "fr": ["Monsieur le Président,", "Madame la Présidente,", "Monsieur,"],
}
_CLOSINGS = {
    "ar": ["وتقبلوا فائق عبارات التقدير والاحترام.", "والسلام.", "وشكرا مسبقا على حسن تعاونكم."],
    "fr": ["Veuillez agréer l'expression de ma haute considération.", "Avec mes remerciements anticipés."],
}


@dataclass(frozen=True)
class Example:
    type_id: str
    subject: str
    text: str
    source: str = "starter"
    wording: str = "1"  # the starter wording set it comes from


def wording_sets() -> list[str]:
    return sorted({_set_of(p) for p in STARTER_DIR.glob("*.toml")})


def _set_of(path: Path) -> str:
    return path.stem.partition("-")[2] or "1"


def starter_examples(seed: int = 13, sets: tuple[str, ...] | None = None) -> list[Example]:
    """Examples of every wording set, or of ``sets`` only."""
    rng = random.Random(seed)
    out: list[Example] = []
    for path in sorted(STARTER_DIR.glob("*.toml")):
        if sets is not None and _set_of(path) not in sets:
            continue
        lang = path.stem.partition("-")[0]
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for type_id, block in data.items():
            sentences = block.get("sentences", [])
            for subject in block.get("subjects", []):
                for _ in range(LETTERS_PER_SUBJECT):
                    body = rng.sample(sentences, k=min(len(sentences), rng.randint(1, 3)))
                    label = "الموضوع: " if lang == "ar" else "Objet : "
                    text = "\n".join([label + subject, rng.choice(_OPENINGS[lang]), *body, rng.choice(_CLOSINGS[lang])])
                    out.append(Example(type_id, subject, text, wording=_set_of(path)))
    return out
