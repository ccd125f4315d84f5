"""Rules first, then the model; below the threshold the letter is left to the clerk as "autre"."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from config.taxonomy import FALLBACK_TYPE, Taxonomy
from ingest.classify.model import TypeModel
from ingest.classify.rules import RuleSet
from ingest.classify.text import keys

THRESHOLD = 0.2  # below this the proposal is "autre" and the clerk decides
# A model's proposal this unsure, or this close to the runner-up, is kept but marked doubtful:
# on letters-text and the rendered corpus every wrong proposal of the model was below both, and
# no right one (bench/wording.py reports how many misfiled letters reach the review queue).
DOUBTFUL = 0.3
MARGIN = 0.1
# The model overrules a rule only when it is this sure of another type: what clerks taught it
# (corrections of letters a rule got wrong) then wins over a rule written in advance.
OVERRULE = 0.8
MIN_WORDS = 5  # fewer content words than this is not a letter one can classify


@dataclass(frozen=True)
class TypeDecision:
    type_id: str
    service_id: str
    confidence: float
    layer: str  # "rule", "model" or "none"
    model_version: str | None = None
    rules_version: str = ""  # fingerprint of the taxonomy file the rules came from
    needs_review: bool = False
    matched: tuple[str, ...] = ()
    alternatives: dict[str, float] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["matched"] = list(self.matched)
        return out


class Classifier:
    def __init__(self, taxonomy: Taxonomy, model: TypeModel | None) -> None:
        self.taxonomy = taxonomy
        self.rules = RuleSet(taxonomy)
        self.model = model

    def _decision(self, type_id: str, conf: float, layer: str, doubtful: bool = False, **kw: Any) -> TypeDecision:
        if type_id not in self.taxonomy.types:  # a model trained before a type was removed
            type_id = FALLBACK_TYPE
        review = conf < THRESHOLD or doubtful
        if conf < THRESHOLD:
            type_id = FALLBACK_TYPE
        return TypeDecision(
            type_id,
            self.taxonomy.types[type_id].service,
            round(conf, 3),
            layer,
            rules_version=self.taxonomy.fingerprint,
            needs_review=review,
            **kw,
        )

    def classify(self, subject: str, text: str) -> TypeDecision:
        if len(keys(subject + "\n" + text[:5000])) < MIN_WORDS:
            return self._decision(FALLBACK_TYPE, 0.05, "none")
        verdict = self.rules.decide(subject, text)
        version = self.model.version if self.model else None
        if self.model is None:
            if verdict.type_id is not None:
                return self._decision(verdict.type_id, verdict.confidence, "rule", matched=verdict.matched)
            return self._decision(FALLBACK_TYPE, 0.1, "none")
        type_id, conf, top = self.model.predict(subject, text)
        if verdict.type_id is not None and not (type_id != verdict.type_id and conf >= OVERRULE):
            return self._decision(
                verdict.type_id, verdict.confidence, "rule", model_version=version, matched=verdict.matched
            )
        runner_up = sorted(top.values(), reverse=True)[1] if len(top) > 1 else 0.0
        doubtful = conf < DOUBTFUL or conf - runner_up < MARGIN
        return self._decision(type_id, conf, "model", doubtful, model_version=version, alternatives=top)
