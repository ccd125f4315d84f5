"""The starter training set: short letters composed from the examples in ``starter/``."""

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


def starter_examples(seed: int = 13) -> list[Example]:
    rng = random.Random(seed)
    out: list[Example] = []
    for path in sorted(STARTER_DIR.glob("*.toml")):
        lang = path.stem
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for type_id, block in data.items():
            sentences = block.get("sentences", [])
            for subject in block.get("subjects", []):
                for _ in range(LETTERS_PER_SUBJECT):
                    body = rng.sample(sentences, k=min(len(sentences), rng.randint(1, 3)))
                    label = "الموضوع: " if lang == "ar" else "Objet : "
                    text = "\n".join([label + subject, rng.choice(_OPENINGS[lang]), *body, rng.choice(_CLOSINGS[lang])])
                    out.append(Example(type_id, subject, text))
    return out
