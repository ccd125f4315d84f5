"""The administrator's rules: words and phrases matched whatever the spelling."""

from __future__ import annotations

import re
from dataclasses import dataclass

from config.taxonomy import Rule, Taxonomy
from ingest.classify.text import folded, keyed

SUBJECT_WEIGHT = 3.0  # a match in the subject says more than one in the body
TEXT_CAP = 2.0  # body matches add at most this much per type


@dataclass(frozen=True)
class RuleVerdict:
    type_id: str | None
    confidence: float
    scores: dict[str, float]
    matched: tuple[str, ...]  # the phrases that decided


# The Arabic stemmer cuts some words to three letters that other words share: «دورية»
# (a circular), «الدورة» (a council's session) and «دوري» (a league) are all «دور». A rule of one
# such word also wants the word itself, less its article and feminine ending, to begin the
# letter's word («جمعية» still finds «الجمعيات»).
SHORT_STEM = 3


@dataclass(frozen=True)
class Phrase:
    keys: list[str]
    guard: str = ""  # what a one-word rule's word must begin with, besides having its key

    @staticmethod
    def of(text: str) -> Phrase:
        ks = keyed(text)
        if len(ks) == 1 and len(ks[0][0]) <= SHORT_STEM and ks[0][1] != ks[0][0]:
            key, bare = ks[0]
            stem_cut = bare.removesuffix("ه")
            return Phrase([key], stem_cut if len(stem_cut) > len(key) else "")
        return Phrase([k for k, _ in ks])

    def __bool__(self) -> bool:
        return bool(self.keys)


def _contains(hay: list[tuple[str, str]], needle: Phrase) -> bool:
    n = len(needle.keys)
    if not n or n > len(hay):
        return False
    first, guard = needle.keys[0], needle.guard
    for i in range(len(hay) - n + 1):
        if hay[i][0] != first or (guard and not hay[i][1].startswith(guard)):
            continue
        if all(hay[i + j][0] == k for j, k in enumerate(needle.keys)):
            return True
    return False


class RuleSet:
    def __init__(self, taxonomy: Taxonomy) -> None:
        self._rules: list[tuple[str, Rule, list[Phrase], list[Phrase], re.Pattern | None]] = []
        for t in taxonomy.types.values():
            for r in t.rules:
                self._rules.append(
                    (
                        t.id,
                        r,
                        [Phrase.of(p) for p in r.any],
                        [Phrase.of(p) for p in r.all],
                        re.compile(r.regex) if r.regex else None,
                    )
                )

    def _hits(self, rule: Rule, any_k, all_k, rx, text_keys, text_folded) -> list[str]:
        hits = [" ".join(k.keys) for k in any_k if _contains(text_keys, k)]
        if all_k:
            if all(_contains(text_keys, k) for k in all_k):
                hits.append(" + ".join(" ".join(k.keys) for k in all_k))
            elif not any_k and not rx:
                return []
        if rx is not None and rx.search(text_folded):
            hits.append(f"/{rx.pattern}/")
        return hits

    def decide(self, subject: str, text: str) -> RuleVerdict:
        subj_k, subj_f = keyed(subject), folded(subject)
        body_k, body_f = keyed(text), folded(text)
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
