"""Search benchmark: Sijill's search API against a plain SQLite FTS5 table, in the same run.

    .venv/bin/python bench/search.py [--docs 100000] [--queries 200] [--skip-speed] [--skip-relevance]

Speed: makes N synthetic Arabic/French letters (~300 words each) and stores them in chunks,
then indexes them, timed from the first chunk read to the last commit, and prints the
indexing rate, peak memory, and p50/p95/p99 latency of 1-term, multi-term, phrase, prefix and
filtered+faceted queries through ``search.api.search`` (snippets included), then the same on
FTS5 (unicode61, diacritics removed; snippet() and count included).

Relevance: on ../shared/corpus/letters-text (when present), one query per letter and spelling
variant built from its subject and sender (alef/hamza forms, ة/ه, ى/ي, Eastern digits, accents
removed, typos in Latin names); prints recall@10 for Sijill and for FTS5.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# This file is called search.py: its own folder must not shadow the `search` package.
sys.path[0] = str(REPO)

from bench.memory import MemoryWatch  # noqa: E402
from bench.search_corpus import DEPARTMENTS, TYPES, document, vocabulary  # noqa: E402
from lang.chains import forms  # noqa: E402
from lang.tokens import words  # noqa: E402
from search.api import search  # noqa: E402
from search.backends.tantivy_index import TantivyIndex  # noqa: E402
from search.document import IndexDocument  # noqa: E402
from search.query import SearchRequest  # noqa: E402

LETTERS_TEXT = REPO.parent / "shared" / "corpus" / "letters-text" / "truth.jsonl"
CLASSES = ("1-term", "multi-term", "phrase", "prefix", "filtered+faceted")
CHUNK = 5000
SAMPLE = 4000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def docs_in_chunks(n: int, seed: int) -> Iterator[list[IndexDocument]]:
    rng = random.Random(seed)
    vocab = vocabulary(random.Random(seed + 1))
    for start in range(1, n + 1, CHUNK):
        yield [document(i, rng, vocab) for i in range(start, min(n, start + CHUNK - 1) + 1)]


def stage(n: int, seed: int, folder: Path) -> tuple[list[Path], list[IndexDocument]]:
    """The corpus made before any clock starts, a pickled chunk per file, and the letters the
    queries are drawn from. Sijill's index writes in worker processes while its caller goes on:
    letters made between two calls would hide its work from a clock stopped in each call, so
    both indexes are timed from the first chunk read to the last commit, reading included."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    # 4,000 whatever the size (200 a chunk at 100,000). The bench holds them in the process it
    # measures, and 40,000 at 1,000,000 were 200 MB of it.
    per_chunk = max(1, SAMPLE * CHUNK // n)
    paths, sample = [], []
    print(f"Making {n:,} letters…", flush=True)
    for k, chunk in enumerate(docs_in_chunks(n, seed)):
        sample += rng.sample(chunk, min(len(chunk), per_chunk))
        paths.append(folder / f"{k:05d}.pickle")
        paths[-1].write_bytes(pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL))
    return paths, sample


def read_chunk(path: Path) -> list[IndexDocument]:
    return pickle.loads(path.read_bytes())


# --- queries -------------------------------------------------------------------------------------


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if not forms(w).stop and len(w) > 2 and not w.isdigit()]


def make_queries(sample: list[IndexDocument], n: int, seed: int) -> dict[str, list[SearchRequest]]:
    rng = random.Random(seed)
    out: dict[str, list[SearchRequest]] = {c: [] for c in CLASSES}
    for k in range(n):
        # Every query as an agent of one service sees it (archive.permissions.search_access).
        access = (f"svc:{DEPARTMENTS[k % len(DEPARTMENTS)]}", "user:bench-agent", "all")
        d = rng.choice(sample)
        body_lines = d.text.split("\n")[4:]
        ws = content_words(rng.choice(body_lines))
        if len(ws) < 4:
            ws = content_words(d.text)
        i = rng.randrange(len(ws) - 3)
        out["1-term"].append(SearchRequest(text=ws[i], access=access))
        out["multi-term"].append(SearchRequest(text=" ".join(rng.sample(ws, 3)), access=access))
        out["phrase"].append(SearchRequest(text=f'"{ws[i]} {ws[i + 1]}"', access=access))
        long_words = [w for w in ws if len(w) >= 5] or ws
        w = rng.choice(long_words)
        out["prefix"].append(SearchRequest(text=w[: rng.choice((3, 4))] + "*", access=access))
        year = rng.randint(2019, 2025)
        out["filtered+faceted"].append(
            SearchRequest(
                text=ws[i],
                mail_type=rng.choice(TYPES),
                received_from=dt.date(year, 1, 1),
                received_to=dt.date(year + 1, 12, 31),
                facets=True,
                access=access,
            )
        )
    return out


def fts_match(text: str) -> str:
    """FTS5 query text for a request: each piece quoted (a phrase), pieces ANDed."""
    if text.startswith('"'):
        return '"' + text.strip('"').replace('"', '""') + '"'
    if text.endswith("*"):
        return '"' + text.rstrip("*").replace('"', '""') + '"*'
    return " ".join('"' + p.replace('"', '""') + '"' for p in text.split())


# --- Sijill ----------------------------------------------------------------------------------


def bench_sijill(chunks: list[Path], sample: list[IndexDocument], n_queries: int, seed: int, workdir: Path) -> dict:
    with MemoryWatch() as watch:
        result = _bench_sijill(chunks, sample, n_queries, seed, workdir)
    result["memory"] = watch.peak
    return result


def _bench_sijill(chunks: list[Path], sample: list[IndexDocument], n_queries: int, seed: int, workdir: Path) -> dict:
    index = TantivyIndex(workdir / "tantivy")
    done = 0
    print("Sijill (Tantivy): indexing…", flush=True)
    t0 = time.perf_counter()
    for path in chunks:
        chunk = read_chunk(path)
        index.upsert(chunk)
        done += len(chunk)
        print(f"  {done:,} docs sent, {done / (time.perf_counter() - t0):,.0f} docs/s", end="\r", flush=True)
    index.commit()
    index_time = time.perf_counter() - t0
    print()
    result: dict = {"docs": index.count(), "index_s": index_time, "docs_per_s": done / index_time}
    queries = make_queries(sample, n_queries, seed + 7)
    for req in queries["1-term"][:30]:  # warm the page cache and the analysis cache
        search(index, req)
    lat: dict[str, list[float]] = {}
    totals: dict[str, int] = {}
    for cls, reqs in queries.items():
        times = []
        found = 0
        for req in reqs:
            t0 = time.perf_counter()
            res = search(index, req)
            times.append((time.perf_counter() - t0) * 1000)
            found += res.total > 0
        lat[cls] = times
        totals[cls] = found
    result["latency_ms"] = lat
    result["with_results"] = totals
    result["peak_rss_mb"] = peak_rss_mb()
    index.close()
    return result


# --- FTS5 baseline -----------------------------------------------------------------------------


def bench_fts5(chunks: list[Path], queries: dict[str, list[SearchRequest]], workdir: Path) -> dict:
    db = sqlite3.connect(workdir / "fts5.sqlite3")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
    db.execute("CREATE TABLE meta(id INTEGER PRIMARY KEY, type TEXT, dept TEXT, status TEXT, year INT, received TEXT)")
    db.execute("CREATE INDEX meta_type ON meta(type, received)")
    print("FTS5 baseline: indexing…", flush=True)
    n_docs = 0
    t0 = time.perf_counter()
    for path in chunks:
        chunk = read_chunk(path)
        n_docs += len(chunk)
        with db:
            db.executemany("INSERT INTO docs(rowid, body) VALUES (?, ?)", [(d.id, d.text) for d in chunk])
            db.executemany(
                "INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (d.id, d.mail_type, d.department, d.status, d.received_at.year, d.received_at.date().isoformat())
                    for d in chunk
                ],
            )
    index_time = time.perf_counter() - t0
    result: dict = {"index_s": index_time, "docs_per_s": n_docs / index_time}
    top = (
        "SELECT rowid, bm25(docs), snippet(docs, 0, '[', ']', '…', 16) FROM docs WHERE docs MATCH ? "
        "ORDER BY bm25(docs) LIMIT 10"
    )
    count = "SELECT count(*) FROM docs WHERE docs MATCH ?"
    # CROSS JOIN keeps the full-text match as the outer loop (SQLite would otherwise walk the
    # metadata index and run MATCH per row, which takes seconds).
    filt = (
        " FROM docs CROSS JOIN meta m ON m.id = docs.rowid"
        " WHERE docs MATCH ? AND m.type = ? AND m.received BETWEEN ? AND ?"
    )

    def run(req: SearchRequest) -> None:
        q = fts_match(req.text)
        if req.facets:
            args = (q, req.mail_type, req.received_from.isoformat(), req.received_to.isoformat())
            db.execute(
                "SELECT docs.rowid, bm25(docs), snippet(docs, 0, '[', ']', '…', 16)"
                + filt
                + " ORDER BY bm25(docs) LIMIT 10",
                args,
            ).fetchall()
            db.execute("SELECT count(*)" + filt, args).fetchall()
            for col in ("m.type", "m.dept", "m.status", "m.year"):
                db.execute(f"SELECT {col}, count(*)" + filt + f" GROUP BY {col}", args).fetchall()
        else:
            db.execute(top, (q,)).fetchall()
            db.execute(count, (q,)).fetchall()

    for req in queries["1-term"][:30]:
        run(req)
    lat = {}
    for cls, reqs in queries.items():
        print(f"  FTS5: {len(reqs)} {cls} queries…", flush=True)
        times = []
        for req in reqs:
            t0 = time.perf_counter()
            run(req)
            times.append((time.perf_counter() - t0) * 1000)
        lat[cls] = times
    result["latency_ms"] = lat
    db.close()
    return result


# --- relevance on letters-text -------------------------------------------------------------------

_HAMZA_DROP = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "و", "ئ": "ي"})
_EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _swap_final(word: str, rng: random.Random) -> str:
    if word.endswith("ة"):
        return word[:-1] + "ه"
    if word.endswith("ى"):
        return word[:-1] + "ي"
    if word.endswith("ي") and rng.random() < 0.5:
        return word[:-1] + "ى"
    return word


def _add_hamza(word: str, rng: random.Random) -> str:
    if word.startswith("ا") and rng.random() < 0.5:
        return rng.choice("أإ") + word[1:]
    if word.startswith("الا") and rng.random() < 0.5:
        return "ال" + rng.choice("أإ") + word[3:]
    return word


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swap two letters
    return word[:i] + rng.choice("aeiouylrnt") + word[i + 1 :]  # one wrong letter


def variants(subject: str, sender: str, rng: random.Random) -> dict[str, str]:
    """Spellings a clerk (or OCR) produces for the same subject and sender."""
    text = f"{subject} {sender}"
    ws = text.split()
    out = {
        "alef/hamza": " ".join(_add_hamza(w.translate(_HAMZA_DROP), rng) for w in ws),
        "ة/ه ى/ي": " ".join(_swap_final(w, rng) for w in ws),
        "eastern digits": text.translate(_EASTERN),
        "no accents": _strip_accents(text),
    }
    latin_names = [i for i, w in enumerate(sender.split()) if w.isalpha() and w.isascii() and len(w) >= 5]
    if latin_names:
        sw = sender.split()
        k = rng.choice(latin_names)
        sw[k] = _typo(sw[k], rng)
        out["typo in name"] = _strip_accents(f"{subject} {' '.join(sw)}")
    # All at once, as a hurried clerk types.
    mixed = " ".join(
        _swap_final(_add_hamza(w.translate(_HAMZA_DROP), rng), rng) for w in out.get("typo in name", text).split()
    )
    out["all combined"] = _strip_accents(mixed).translate(_EASTERN)
    return {k: v for k, v in out.items() if v != text or k == "all combined"}


def bench_relevance(workdir: Path, seed: int) -> dict | None:
    if not LETTERS_TEXT.exists():
        print(f"(relevance skipped: {LETTERS_TEXT} not found)")
        return None
    rows = [json.loads(line) for line in LETTERS_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r.get("text") and r.get("subject")]
    docs = [
        IndexDocument(
            id=i + 1,
            registry_number=f"A-2026-{i + 1:06d}",
            direction="A",
            received_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            text=r["text"],
            languages=(r.get("language") or "",),
        )
        for i, r in enumerate(rows)
    ]
    index = TantivyIndex(workdir / "relevance")
    index.upsert(docs)
    index.commit()
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO docs(rowid, body) VALUES (?, ?)", [(d.id, d.text) for d in docs])
    rng = random.Random(seed)
    found: dict[str, list[int]] = {}
    found_fts: dict[str, list[int]] = {}
    misses: list[tuple[str, str, str]] = []
    for d, r in zip(docs, rows, strict=True):
        for kind, q in variants(r["subject"], r.get("sender") or "", rng).items():
            res = search(index, SearchRequest(text=q, limit=10))
            ok = d.registry_number in [h.registry_number for h in res.hits]
            found.setdefault(kind, []).append(ok)
            if not ok:
                misses.append((d.registry_number, kind, q))
            try:
                ids = [row[0] for row in db.execute(
                    "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10", (fts_match(q),)
                )]  # fmt: skip
            except sqlite3.OperationalError:
                ids = []
            found_fts.setdefault(kind, []).append(d.id in ids)
    index.close()
    return {"sijill": found, "fts5": found_fts, "misses": misses, "letters": len(docs)}


# --- report ----------------------------------------------------------------------------------


def report_speed(sij: dict, fts: dict | None) -> None:
    print()
    print(f"Indexing: Sijill {sij['docs_per_s']:,.0f} docs/s ({sij['index_s']:.1f} s for {sij['docs']:,} docs)", end="")
    print(f"; FTS5 {fts['docs_per_s']:,.0f} docs/s" if fts else "")
    m = sij["memory"]
    print(
        f"Peak memory (indexing + queries): {m.private_mb:,.0f} MB private (process + shard workers); "
        f"{m.rss_mb:,.0f} MB resident in all, of which up to {m.mapped_files_mb:,.0f} MB of index files mapped "
        f"(page cache); ru_maxrss of the process {sij['peak_rss_mb']:,.0f} MB"
    )
    print()
    head = f"{'query class':<18} {'Sijill p50':>10} {'p95':>8} {'p99':>8}   {'FTS5 p50':>9} {'p95':>8} {'p99':>8}  (ms)"
    print(head)
    print("-" * len(head))
    for cls in CLASSES:
        s = sij["latency_ms"][cls]
        line = f"{cls:<18} {statistics.median(s):>10.2f} {pct(s, 95):>8.2f} {pct(s, 99):>8.2f}"
        if fts:
            f = fts["latency_ms"][cls]
            line += f"   {statistics.median(f):>9.2f} {pct(f, 95):>8.2f} {pct(f, 99):>8.2f}"
        print(line)
    n = len(sij["latency_ms"]["1-term"])
    nf = len(fts["latency_ms"]["1-term"]) if fts else 0
    print(f"({n} queries per class on Sijill, the first {nf} of them on FTS5)")
    print(f"(queries with at least one hit on Sijill: {sij['with_results']})")


def report_relevance(rel: dict) -> None:
    print()
    print(f"Relevance on letters-text ({rel['letters']} letters): recall@10 of subject+sender queries")
    print(f"{'spelling variant':<18} {'queries':>8} {'Sijill':>8} {'FTS5':>8}")
    all_s, all_f = [], []
    for kind, vals in rel["sijill"].items():
        f = rel["fts5"][kind]
        all_s += vals
        all_f += f
        print(f"{kind:<18} {len(vals):>8} {sum(vals) / len(vals):>8.3f} {sum(f) / len(f):>8.3f}")
    print(f"{'all':<18} {len(all_s):>8} {sum(all_s) / len(all_s):>8.3f} {sum(all_f) / len(all_f):>8.3f}")
    for number, kind, q in rel["misses"][:10]:
        print(f"  missed {number} [{kind}]: {q}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200, help="queries per class")
    ap.add_argument("--baseline-queries", type=int, default=20, help="first N of the same queries on FTS5 (it is slow)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--skip-relevance", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sijill-bench-search-") as tmp:
        work = Path(tmp)
        if not args.skip_speed:
            chunks, sample = stage(args.docs, args.seed, work / "corpus")
            sij = bench_sijill(chunks, sample, args.queries, args.seed, work)
            report_speed(sij, None)  # shown now: the baseline takes much longer
            fts = None
            if not args.skip_baseline:
                same = make_queries(sample, args.queries, args.seed + 7)
                fts = bench_fts5(chunks, {c: q[: args.baseline_queries] for c, q in same.items()}, work)
            report_speed(sij, fts)
        if not args.skip_relevance:
            rel = bench_relevance(work, args.seed)
            if rel:
                report_relevance(rel)


if __name__ == "__main__":
    main()
