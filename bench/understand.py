"""Understanding benchmark: fields, type and service read off letters, against a paperless-style
baseline, trained only on Sijill's own starter examples.

    .venv/bin/python bench/understand.py [--skip-ocr] [--ocr-limit N]

Evaluates on ../shared/corpus/letters-text/truth.jsonl (600 letters: text and labels) and on
../shared/corpus/letters (scanned and born-digital files, run through `sijill ingest`, so OCR,
reading and classification are measured end to end). Prints type accuracy and macro-F1, service
accuracy, and exact match of reference, date, subject and sender, per language; the same type
figures for a baseline built like paperless-ngx's classifier (CountVectorizer word 1–2-grams,
min_df 0.01, MLPClassifier, no Arabic normalisation) trained on the same examples; and a
learning curve after 0, 10, 50 and 200 clerk corrections drawn from letters-text.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[0] = str(REPO)

from config.taxonomy import load as load_taxonomy  # noqa: E402
from ingest.classify.classifier import Classifier  # noqa: E402
from ingest.classify.model import train  # noqa: E402
from ingest.classify.starter import Example, starter_examples  # noqa: E402
from ingest.classify.text import keys  # noqa: E402
from ingest.extract.reader import read_letter  # noqa: E402
from ingest.understand import Reader  # noqa: E402
from lang.references import reference_key  # noqa: E402

SHARED = REPO.parent / "shared" / "corpus"
LETTERS_TEXT = SHARED / "letters-text" / "truth.jsonl"
LETTERS = SHARED / "letters"
FIELDS = ("reference", "date", "subject", "sender")


def norm_space(s: str | None) -> str:
    return " ".join((s or "").split())


def macro_f1(truth: list[str], pred: list[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(truth, pred, average="macro", labels=sorted(set(truth)), zero_division=0))


# --- service names: the corpus names services in its own words; match them to ours -------------


def service_matcher(taxonomy):
    ours = {sid: set(keys(f"{s.ar} {s.fr}")) for sid, s in taxonomy.services.items()}

    def match(department: str) -> str | None:
        k = set(keys(department))
        if not k:
            return None
        best = max(ours, key=lambda sid: len(k & ours[sid]) / len(k | ours[sid]))
        return best if k & ours[best] else None

    return match


# --- baseline ------------------------------------------------------------------------------------


def paperless_baseline(examples: list[Example]):
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.neural_network import MLPClassifier

    vec = CountVectorizer(ngram_range=(1, 2), min_df=0.01)
    x = vec.fit_transform([e.text for e in examples])
    clf = MLPClassifier(tol=0.01, random_state=0)
    clf.fit(x, [e.type_id for e in examples])
    return lambda text: str(clf.predict(vec.transform([text]))[0])


# --- evaluation ----------------------------------------------------------------------------------


def field_values(u) -> dict[str, str | None]:
    e = u.extraction
    return {
        "reference": e.reference.normalized if e.reference else None,
        "date": e.letter_date.value if e.letter_date else None,
        "subject": norm_space(e.subject.value) if e.subject else None,
        "sender": norm_space(e.sender.value) if e.sender else None,
    }


def truth_values(r: dict) -> dict[str, str | None]:
    return {
        "reference": reference_key(r["reference"]) if r.get("reference") else None,
        "date": r.get("date"),
        "subject": norm_space(r.get("subject")),
        "sender": norm_space(r.get("sender")),
    }


class Tally:
    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = defaultdict(list)

    def add(self, lang: str, **row) -> None:
        self.rows[lang].append(row)
        self.rows["all"].append(row)

    def report(self, title: str) -> None:
        print(f"\n{title}")
        head = (
            f"{'lang':<5} {'n':>4}  {'type acc':>8} {'macro-F1':>8}  {'service':>7}  "
            + " ".join(f"{f:>9}" for f in FIELDS)
            + f"   {'baseline acc':>12} {'F1':>6}"
        )
        print(head)
        print("-" * len(head))
        for lang in ("ar", "fr", "all"):
            rows = self.rows.get(lang)
            if not rows:
                continue
            t = [r["type_true"] for r in rows]
            p = [r["type_pred"] for r in rows]
            b = [r["base_pred"] for r in rows]
            acc = sum(a == c for a, c in zip(t, p, strict=True)) / len(rows)
            bacc = sum(a == c for a, c in zip(t, b, strict=True)) / len(rows)
            svc = [r["service_ok"] for r in rows if r["service_ok"] is not None]
            line = f"{lang:<5} {len(rows):>4}  {acc:>8.3f} {macro_f1(t, p):>8.3f}  "
            line += f"{sum(svc) / len(svc):>7.3f}  " if svc else f"{'–':>7}  "  # no service labels
            line += " ".join(f"{sum(r[f] for r in rows) / len(rows):>9.3f}" for f in FIELDS)
            line += f"   {bacc:>12.3f} {macro_f1(t, b):>6.3f}"
            print(line)


def evaluate_texts(rows: list[dict], reader: Reader, baseline, match_service) -> Tally:
    tally = Tally()
    for r in rows:
        u = reader.understand(r["text"])
        got, want = field_values(u), truth_values(r)
        svc = match_service(r.get("department") or "")
        tally.add(
            r.get("language") or "?",
            type_true=r["category"],
            type_pred=u.decision.type_id,
            base_pred=baseline(r["text"]),
            service_ok=(u.decision.service_id == svc) if svc else None,
            **{f: got[f] == want[f] for f in FIELDS},
        )
    return tally


def evaluate_scans(
    rows_by_file: dict[str, dict],
    limit: int | None,
    baseline,
    match_service,
    folder: Path = LETTERS,
    misses: bool = False,
) -> Tally | None:
    """Ingest the scanned letters with the real CLI into a throw-away home, then compare."""
    files = sorted(rows_by_file)[:limit] if limit else sorted(rows_by_file)
    with tempfile.TemporaryDirectory(prefix="sijill-bench-understand-") as tmp:
        home, src = Path(tmp) / "home", Path(tmp) / "in"
        src.mkdir()
        for name in files:
            os.symlink(folder.resolve() / name, src / name)
        env = {**os.environ, "SIJILL_HOME": str(home), "DJANGO_SETTINGS_MODULE": "config.settings"}
        print(f"OCR + reading of {len(files)} scanned/born-digital letters through `sijill ingest`…", flush=True)
        t0 = time.monotonic()
        res = subprocess.run(
            [sys.executable, "-m", "cli.main", "ingest", "--json", str(src)],
            cwd=REPO, env=env, capture_output=True, text=True,
        )  # fmt: skip
        print(f"  done in {time.monotonic() - t0:.0f} s", flush=True)
        outcomes = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
        os.environ.update({"SIJILL_HOME": str(home), "DJANGO_SETTINGS_MODULE": "config.settings"})
        from cli import bootstrap

        bootstrap.setup()
        from archive import catalogue
        from archive.views_data import entry_detail

        tally = Tally()
        for o in outcomes:
            if o["status"] != "registered":
                continue
            r = rows_by_file[Path(o["path"]).name]
            d = entry_detail(catalogue.get_entry(o["registry_number"]))
            got = {
                "reference": reference_key(d["reference"]["value"]) if d["reference"]["value"] else None,
                "date": d["letter_date"]["value"],
                "subject": norm_space(d["subject"]["value"]) or None,
                "sender": norm_space(d["sender"]["value"]) or None,
            }
            want = truth_values(r)
            if misses:
                if d["type"]["value"] != r["category"]:
                    print(f"  {r['file']} ({r.get('language')}, deg {r.get('degradation')}) type: "
                          f"want {r['category']!r}, read {d['type']['value']!r}")  # fmt: skip
                for f in FIELDS:
                    if got[f] != want[f]:
                        print(f"  {r['file']} ({r.get('language')}, deg {r.get('degradation')}) {f}: "
                              f"want {want[f]!r}, read {got[f]!r}")  # fmt: skip
            svc = match_service(r.get("department") or "")
            tally.add(
                r.get("language") or "?",
                type_true=r["category"],
                type_pred=d["type"]["value"],
                base_pred=baseline(d["text"]),
                service_ok=(d["service"]["value"] == svc) if svc else None,
                **{f: got[f] == want[f] for f in FIELDS},
            )
        return tally


def learning_curve(rows: list[dict], taxonomy, seed: int, draws: int = 3) -> None:
    """Macro-F1 on a fixed test set after k corrections, averaged over several random draws
    of which letters the clerks corrected."""
    rng = random.Random(seed)
    pool = rows[:]
    rng.shuffle(pool)
    candidates, test = pool[:200], pool[200:]
    starter = starter_examples()
    print(
        f"\nLearning curve: macro-F1 on {len(test)} letters after k clerk corrections drawn from the "
        f"other 200 (mean of {draws} draws)"
    )
    print(f"{'k':>4}  {'rules+model':>11} {'model alone':>11}")
    subjects = []
    for r in test:
        found = read_letter(r["text"]).subject
        subjects.append(found.value if found else "")
    truth = [r["category"] for r in test]
    for k in (0, 10, 50, 200):
        full_f1, alone_f1 = [], []
        for d in range(1 if k in (0, len(candidates)) else draws):
            chosen = random.Random(seed + d).sample(candidates, k)
            extra = [Example(r["category"], r.get("subject") or "", r["text"], source="clerk") for r in chosen]
            model = train(starter + extra)
            clf = Classifier(taxonomy, model)
            full = [clf.classify(s, r["text"]).type_id for r, s in zip(test, subjects, strict=True)]
            alone = [model.predict(s, r["text"])[0] for r, s in zip(test, subjects, strict=True)]
            full_f1.append(macro_f1(truth, full))
            alone_f1.append(macro_f1(truth, alone))
        print(f"{k:>4}  {sum(full_f1) / len(full_f1):>11.3f} {sum(alone_f1) / len(alone_f1):>11.3f}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skip-ocr", action="store_true", help="only letters-text")
    ap.add_argument("--ocr-limit", type=int, default=None, help="only the first N scanned letters")
    ap.add_argument("--seed", type=int, default=31)
    ap.add_argument("--scans", type=Path, default=LETTERS, help="scanned letters to ingest")
    ap.add_argument("--misses", action="store_true", help="print each field read wrong on the scans")
    args = ap.parse_args(argv)
    if not LETTERS_TEXT.exists():
        sys.exit(f"{LETTERS_TEXT} not found: this benchmark needs the shared evaluation corpus.")
    taxonomy = load_taxonomy()
    starter = starter_examples()
    t0 = time.perf_counter()
    reader = Reader(taxonomy, train(starter))
    print(f"Starter model: {len(starter)} examples written for Sijill, trained in {time.perf_counter() - t0:.1f} s")
    baseline = paperless_baseline(starter)
    match_service = service_matcher(taxonomy)
    rows = [json.loads(line) for line in LETTERS_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    evaluate_texts(rows, reader, baseline, match_service).report(
        f"letters-text ({len(rows)} letters): Sijill (rules + starter model) | paperless-style baseline"
    )
    if not args.skip_ocr and (args.scans / "truth.jsonl").exists():
        lines = (args.scans / "truth.jsonl").read_text(encoding="utf-8").splitlines()
        scans = {r["file"]: r for r in (json.loads(x) for x in lines if x) if r.get("file")}
        tally = evaluate_scans(scans, args.ocr_limit, baseline, match_service, args.scans, args.misses)
        if tally:
            tally.report(f"OCR'd letters ({args.scans}, end to end through `sijill ingest`)")
    learning_curve(rows, taxonomy, args.seed)


if __name__ == "__main__":
    main()
