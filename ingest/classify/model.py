"""The learned layer: word and character n-grams on folded, stemmed text, logistic regression."""

from __future__ import annotations

import hashlib
import json
import pickle
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ingest.classify.starter import Example
from ingest.classify.text import folded, keys

FEATURES_VERSION = 2  # 2: concept features (concepts.toml)
CONCEPTS = Path(__file__).resolve().parent / "concepts.toml"
SUBJECT_REPEAT = 3  # the subject says more about the type than the body does
MAX_CHARS = 20_000


def model_text(subject: str, text: str) -> str:
    return "\n".join([subject] * SUBJECT_REPEAT + [text[:MAX_CHARS]])


@cache
def concept_map() -> dict[str, tuple[str, ...]]:
    """Word key → the concepts it stands for (read once per process; the file ships with the code)."""
    out: dict[str, set[str]] = {}
    for concept, entries in tomllib.loads(CONCEPTS.read_text(encoding="utf-8")).items():
        for entry in entries:
            for k in keys(entry):
                out.setdefault(k, set()).add(concept)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _word_keys(doc: str) -> list[str]:
    """The words, and what they mean: a concept feature per word the lexicon knows."""
    ks = keys(doc)
    concepts = concept_map()
    return ks + [f"§{c}" for k in ks for c in concepts.get(k, ())]


def _chars(doc: str) -> str:
    return folded(doc)


def examples_version(examples: list[Example]) -> str:
    h = hashlib.sha256(f"features-{FEATURES_VERSION}".encode())
    h.update(CONCEPTS.read_bytes())  # a changed lexicon is a changed model
    for e in sorted(examples, key=lambda e: (e.type_id, e.subject, e.text)):
        h.update(json.dumps([e.type_id, e.subject, e.text], ensure_ascii=False).encode())
    return h.hexdigest()[:12]


@dataclass
class TypeModel:
    version: str
    classes: list[str]
    pipeline: object  # a fitted sklearn Pipeline
    n_examples: int

    def predict(self, subject: str, text: str) -> tuple[str, float, dict[str, float]]:
        probs = self.pipeline.predict_proba([model_text(subject, text)])[0]
        ranked = sorted(zip(self.classes, probs, strict=True), key=lambda kv: -kv[1])
        return str(ranked[0][0]), float(ranked[0][1]), {str(c): round(float(p), 4) for c, p in ranked[:3]}

    def save(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"type-model-{self.version}.pkl"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(self))
        tmp.replace(path)
        return path

    @staticmethod
    def load(path: Path) -> TypeModel:
        return pickle.loads(path.read_bytes())


def train(examples: list[Example]) -> TypeModel:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from threadpoolctl import threadpool_limits

    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(analyzer=_word_keys, ngram_range=(1, 1), sublinear_tf=True, min_df=1),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", preprocessor=_chars, ngram_range=(2, 4), sublinear_tf=True, min_df=2
                ),
            ),
        ]
    )
    pipe = Pipeline(
        [("features", features), ("clf", LogisticRegression(C=8.0, max_iter=2000, class_weight="balanced"))]
    )
    docs = [model_text(e.subject, e.text) for e in examples]
    labels = [e.type_id for e in examples]
    # One BLAS thread: the solver's steps are small vectors, and OpenBLAS's threads wait for a
    # core in turn while OCR workers hold them all (a fit took 2.5 s instead of 0.3 s).
    with threadpool_limits(limits=1, user_api="blas"):
        pipe.fit(docs, labels)
    return TypeModel(examples_version(examples), list(pipe.classes_), pipe, len(examples))
