"""The administrator's rules: words and phrases matched whatever the spelling."""

from __future__ import annotations

import re
from dataclasses import dataclass

from config.taxonomy import Rule, Taxonomy
from ingest.classify.text import folded, keys

SUBJECT_WEIGHT = 3.0  # a match in the subject says more than one in the body
TEXT_CAP = 2.0  # body matches add at most this much per type


@dataclass(frozen=True)
class RuleVerdict:
    type_id: str | None
    confidence: float
    scores: dict[str, float]
    matched: tuple[str, ...]  # the phrases that decided


def _contains(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    if not n or n > len(hay):
        return False
    first = needle[0]
    return any(hay[i] == first and hay[i : i + n] == needle for i in range(len(hay) - n + 1))


class RuleSet:
    def __init__(self, taxonomy: Taxonomy) -> None:
        self._rules: list[tuple[str, Rule, list[list[str]], list[list[str]], re.Pattern | None]] = []
        for t in taxonomy.types.values():
            for r in t.rules:
                self._rules.append(
                    (
                        t.id,
                        r,
                        [keys(p) for p in r.any],
                        [keys(p) for p in r.all],
                        re.compile(r.regex) if r.regex else None,
                    )
                )

    def _hits(self, rule: Rule, any_k, all_k, rx, text_keys, text_folded) -> list[str]:
        hits = [" ".join(k) for k in any_k if _contains(text_keys, k)]
        if all_k:
            if all(_contains(text_keys, k) for k in all_k):
                hits.append(" + ".join(" ".join(k) for k in all_k))
            elif not any_k and not rx:
                return []
        if rx is not None and rx.search(text_folded):
            hits.append(f"/{rx.pattern}/")
        return hits

    def decide(self, subject: str, text: str) -> RuleVerdict:
        subj_k, subj_f = keys(subject), folded(subject)
        body_k, body_f = keys(text), folded(text)
        scores: dict[str, float] = {}
        body: dict[str, float] = {}
        matched: dict[str, list[str]] = {}
        for type_id, rule, any_k, all_k, rx in self._rules:
            if subject:
                hits = self._hits(rule, any_k, all_k, rx, subj_k, subj_f)
                if hits:
                    scores[type_id] = scores.get(type_id, 0.0) + SUBJECT_WEIGHT * rule.weight * len(hits)
                    matched.setdefault(type_id, []).extend(hits)
            if rule.where == "text" or not subject:
                hits = self._hits(rule, any_k, all_k, rx, body_k, body_f)
                if hits:
                    body[type_id] = body.get(type_id, 0.0) + rule.weight * len(hits) * 0.5
                    matched.setdefault(type_id, []).extend(hits)
        for type_id, v in body.items():
            scores[type_id] = scores.get(type_id, 0.0) + min(TEXT_CAP, v)
        if not scores:
            return RuleVerdict(None, 0.0, {}, ())
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        top, top_score = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        # Decisive only with a subject match and a clear margin over the next type.
        if top_score < SUBJECT_WEIGHT or top_score < 2 * second:
            return RuleVerdict(None, 0.0, scores, tuple(matched.get(top, ())))
        confidence = min(0.97, 0.6 + 0.4 * (top_score - second) / top_score)
        return RuleVerdict(top, round(confidence, 2), scores, tuple(dict.fromkeys(matched[top])))
