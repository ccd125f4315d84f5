"""Names across scripts: recall of a name typed in one script on letters that write it in the other.

    .venv/bin/python bench/names.py [--pairs FILE] [--filler N]

Each pair (Arabic, Latin) of ``tests/search/data/name_pairs.tsv`` gets two letters in a
Tantivy index, one signed in each script, among N filler letters of ordinary wording. The
Latin spelling is searched and the Arabic letter must be in the first 10 results, and the
reverse. The baseline, in the same run, is the same index searched without the name keys
(what a search finds from the spelling alone).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from search.backends.base import SearchIndex
    from search.document import IndexDocument

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

AR_WORDS = (
    "طلب رخصة إصلاح سقف منزل شهادة السكنى الإدارة الجماعية مصلحة التعمير شكاية بخصوص الإنارة العمومية "
    "الطريق المدرسة السوق الماء الصالح للشرب الموضوع السيد رئيس الجماعة تحية طيبة وبعد يشرفني أن أتقدم"
).split()
FR_WORDS = (
    "demande de permis de construire réclamation éclairage public voirie marché eau potable objet monsieur "
    "le président de la commune veuillez agréer expression considération distinguée attestation résidence"
).split()


def letters(pairs: list[tuple[str, str]], filler: int, rng: random.Random) -> list[IndexDocument]:
    from search.document import IndexDocument

    def doc(i: int, text: str, lang: str) -> IndexDocument:
        return IndexDocument(
            id=i, registry_number=f"A-2026-{i:06d}", direction="A", text=text, languages=(lang,),
            received_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=i),
        )  # fmt: skip

    out = []
    for k, (arabic, latin) in enumerate(pairs):
        body = " ".join(rng.choices(AR_WORDS, k=25))
        out.append(doc(2 * k + 1, f"{body}\nالإمضاء: {arabic}", "ar"))
        body = " ".join(rng.choices(FR_WORDS, k=25))
        out.append(doc(2 * k + 2, f"{body}\nSignature : {latin}", "fr"))
    for j in range(filler):
        words = AR_WORDS if j % 2 else FR_WORDS
        out.append(doc(2 * len(pairs) + j + 1, " ".join(rng.choices(words, k=40)), "ar" if j % 2 else "fr"))
    return out


def measure(index: SearchIndex, pairs: list[tuple[str, str]], with_names: bool) -> tuple[float, float, float]:
    from search.api import search
    from search.query import ParsedQuery, SearchRequest, Term, parse

    def without_names(q: ParsedQuery) -> ParsedQuery:
        must = tuple(dataclasses.replace(c, names=()) if isinstance(c, Term) else c for c in q.must)
        return dataclasses.replace(q, must=must)

    found = tried = 0
    times = []
    for k, (arabic, latin) in enumerate(pairs):
        for query, target in ((latin, 2 * k + 1), (arabic, 2 * k + 2)):
            t = time.perf_counter()
            parsed = parse(query) if with_names else without_names(parse(query))
            res = search(index, SearchRequest(text=query, limit=10), parsed)
            times.append(time.perf_counter() - t)
            tried += 1
            found += any(int(h.registry_number[-6:]) == target for h in res.hits)
    times.sort()
    return found / tried, times[len(times) // 2] * 1000, times[int(len(times) * 0.95)] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=REPO / "tests" / "search" / "data" / "name_pairs.tsv")
    ap.add_argument("--filler", type=int, default=5000)
    args = ap.parse_args()
    from search.backends.tantivy_index import TantivyIndex

    pairs = [
        tuple(line.split("\t"))
        for line in args.pairs.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    with tempfile.TemporaryDirectory() as tmp:
        index = TantivyIndex(Path(tmp) / "index")
        index.upsert(letters(pairs, args.filler, random.Random(7)))
        index.commit()
        print(f"{len(pairs)} name pairs, {2 * len(pairs)} searches, {2 * len(pairs) + args.filler} letters")
        print(f"{'':<34}{'recall@10':>10}{'p50 ms':>9}{'p95 ms':>9}")
        for label, on in (("spelling only (baseline)", False), ("with names across scripts", True)):
            recall, p50, p95 = measure(index, pairs, on)
            print(f"{label:<34}{recall:>10.3f}{p50:>9.1f}{p95:>9.1f}")
        index.close()


if __name__ == "__main__":
    main()
