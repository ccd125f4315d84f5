"""Mail type on wording the model has never seen: a split by wording, never a random split.

    .venv/bin/python bench/wording.py

The starter examples come in wording sets written apart (``ingest/classify/starter``: set 1
and set 2 use other words, registers and senders for the same types). The model is trained
on one set and tested on letters of the other, both ways. Printed per direction and language:
macro-F1 of the classifier as it runs in Sijill (taxonomy rules, then the model), of the
model alone, and, as the baseline in the same run, of the model trained *and* tested on the
same set (what a random split would report). Then how confidence sorts the doubtful ones:
accuracy above and below the review threshold, and the share of errors sent to review.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[0] = str(REPO)

from bench.understand import macro_f1  # noqa: E402
from config.taxonomy import load  # noqa: E402
from ingest.classify.classifier import Classifier  # noqa: E402
from ingest.classify.model import train  # noqa: E402
from ingest.classify.starter import Example, starter_examples, wording_sets  # noqa: E402


def language(e: Example) -> str:
    return "ar" if any("\u0600" <= c <= "\u06ff" for c in e.subject) else "fr"


def main() -> None:
    sets = wording_sets()
    if len(sets) < 2:
        raise SystemExit("needs two wording sets in ingest/classify/starter")
    taxonomy = load()
    print(f"{'train → test':<13} {'lang':<4} {'n':>4}  {'Sijill F1':>9} {'model F1':>8}  {'same-set F1':>11}")
    confident_ok = confident_n = doubtful_ok = doubtful_n = 0
    for train_set in sets:
        for test_set in (s for s in sets if s != train_set):
            model = train(starter_examples(sets=(train_set,)))
            clf = Classifier(taxonomy, model)
            unseen = starter_examples(seed=101, sets=(test_set,))
            seen = starter_examples(seed=101, sets=(train_set,))  # other letters, same wording
            for lang in ("ar", "fr", "all"):
                rows = [e for e in unseen if lang == "all" or language(e) == lang]
                same = [e for e in seen if lang == "all" or language(e) == lang]
                truth = [e.type_id for e in rows]
                decisions = [clf.classify(e.subject, e.text) for e in rows]
                full = [d.type_id for d in decisions]
                alone = [model.predict(e.subject, e.text)[0] for e in rows]
                baseline = [model.predict(e.subject, e.text)[0] for e in same]
                print(
                    f"{train_set + ' → ' + test_set:<13} {lang:<4} {len(rows):>4}  {macro_f1(truth, full):>9.3f} "
                    f"{macro_f1(truth, alone):>8.3f}  {macro_f1([e.type_id for e in same], baseline):>11.3f}"
                )
                if lang == "all":
                    for d, t in zip(decisions, truth, strict=True):
                        if d.needs_review:
                            doubtful_n += 1
                            doubtful_ok += d.type_id == t
                        else:
                            confident_n += 1
                            confident_ok += d.type_id == t
    misfiled, caught = confident_n - confident_ok, doubtful_n - doubtful_ok
    print(
        f"\nConfidence on unseen wording (both directions): {confident_n} proposed without doubt, "
        f"{confident_ok / max(1, confident_n):.3f} of them right ({misfiled} wrong); {doubtful_n} marked doubtful "
        f"for the review queue ({doubtful_ok} of them right)."
    )
    print(f"Of the {misfiled + caught} wrong proposals, {caught / max(1, misfiled + caught):.0%} were marked doubtful.")


if __name__ == "__main__":
    main()
