"""OCR benchmark: Sijill's ingest against OCRmyPDF on the same files, in the same run.

    .venv/bin/python bench/ocr.py [--corpus DIR] [--limit N] [--skip-ocrmypdf] [--true-language] [--steps]

Reads ../shared/corpus/letters (files + truth.jsonl) when present, else renders a small
corpus of its own. Prints pages/min and character error rate (CER) by language and by
scan quality for both. CER is computed after NFKC, without tashkeel/tatweel, with
Eastern Arabic digits mapped to 0-9 and whitespace collapsed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rapidfuzz.distance import Levenshtein

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "corpus" / "letters"
EASTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    s = re.sub("[\u064b-\u0652\u0670\u0640]", "", s).translate(EASTERN)
    return " ".join(s.split())


def cer(got: str, truth: str) -> float:
    return Levenshtein.normalized_distance(norm(got), norm(truth))


def own_corpus(folder: Path) -> Path:
    """A small corpus rendered here when the shared one is absent."""
    from tests.fixtures import letters as L

    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    cases = [
        (L.ARABIC_LETTERS[0], "NotoNaskhArabic-Regular.ttf", 1.0, 0, "png"),
        (L.ARABIC_LETTERS[1], "Amiri-Regular.ttf", -1.3, 1, "scan.pdf"),
        (L.ARABIC_LETTERS[0], "NotoSansArabic-Regular.ttf", 0.7, 1, "jpg"),
        (L.ARABIC_LETTERS[1], "NotoNaskhArabic-Regular.ttf", 180.5, 1, "png"),
        (L.FRENCH_LETTERS[0], "DejaVuSerif.ttf", -1.0, 1, "tif"),
        (L.FRENCH_LETTERS[0], "NotoSans-Regular.ttf", 0.5, 0, "scan.pdf"),
    ]
    for i, (letter, font, angle, degr, fmt) in enumerate(cases):
        page = L.scan(L.render(letter, 300, font=font), angle=angle, noise=0.002 * degr)
        name = f"{i:04d}.{fmt.split('.')[-1]}"
        data = {
            "png": lambda p: L.to_bytes(p, "PNG"),
            "jpg": lambda p: L.to_bytes(p, "JPEG"),
            "tif": lambda p: L.to_bytes(p, "TIFF-G4"),
            "scan.pdf": lambda p: L.to_pdf([p]),
        }[fmt](page)
        (folder / name).write_bytes(data)
        rows.append(dict(file=name, format=fmt, pages=1, degradation=degr, language=letter.language, text=letter.text))
    born = L.FRENCH_LETTERS[0]
    (folder / "0100.pdf").write_bytes(L.born_digital_pdf(born))
    rows.append(dict(file="0100.pdf", format="born.pdf", pages=1, degradation=0, language="fr", text=born.text))
    with (folder / "truth.jsonl").open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return folder


def run_sijill(files: list[Path], workdir: Path) -> tuple[float, dict[str, str]]:
    src = workdir / "sijill-in"
    src.mkdir()
    for p in files:
        os.symlink(p, src / p.name)
    env = {**os.environ, "SIJILL_HOME": str(workdir / "sijill-home"), "DJANGO_SETTINGS_MODULE": "config.settings"}
    env["SIJILL_WORKERS"] = str(os.cpu_count() or 1)
    t = time.monotonic()
    res = subprocess.run(
        [sys.executable, "-m", "cli.main", "ingest", "--json", str(src)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.monotonic() - t
    texts = {}
    for line in res.stdout.splitlines():
        o = json.loads(line)
        texts[Path(o["path"]).name] = o["text"] if o["status"] in ("registered", "duplicate") else ""
    return elapsed, texts


def _ocrmypdf_one(p: Path, workdir: Path, lang: str = "ara+fra") -> tuple[str, str]:
    out, side = workdir / f"{p.name}.out.pdf", workdir / f"{p.name}.txt"
    cmd = [
        "ocrmypdf",
        "-l",
        lang,
        "--rotate-pages",
        "--deskew",
        "--skip-text",
        "--jobs",
        "1",
        "--sidecar",
        str(side),
        "--output-type",
        "pdf",
        "-q",
    ]
    if p.suffix.lower() in {".png", ".jpg", ".jpeg", ".tif", ".tiff"}:
        cmd += ["--image-dpi", "300"]
    subprocess.run([*cmd, str(p), str(out)], capture_output=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    text = side.read_text(encoding="utf-8") if side.exists() else ""
    if "[OCR skipped" in text and out.exists():  # born-digital: what a reader copies from it
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    return p.name, text


def run_ocrmypdf(files: list[Path], workdir: Path, langs: dict[str, str] | None = None) -> tuple[float, dict[str, str]]:
    """OCRmyPDF on every core: one file per core, one Tesseract thread each (as Sijill).
    ``langs``: each file's own language (by name) instead of ``ara+fra`` for all."""
    t = time.monotonic()
    with ThreadPoolExecutor(os.cpu_count() or 1) as ex:
        texts = dict(ex.map(lambda p: _ocrmypdf_one(p, workdir, (langs or {}).get(p.name, "ara+fra")), files))
    return time.monotonic() - t, texts


def report(name: str, rows: list[dict], texts: dict[str, str], elapsed: float) -> dict:
    pages = sum(r["pages"] for r in rows)
    print(f"\n== {name}: {pages} pages in {elapsed:.0f} s = {pages / elapsed * 60:.1f} pages/min")
    groups: dict[str, list[float]] = {}
    per_file: dict[str, float] = {}
    for r in rows:
        if not r.get("text"):
            continue
        c = per_file[r["file"]] = cer(texts.get(r["file"], ""), r["text"])
        kind = "born-digital" if r["format"] == "born.pdf" else ("scan 0-1" if r["degradation"] <= 1 else "scan 2")
        groups.setdefault(f"{r['language']} {kind}", []).append(c)
    print(f"{'group':<22}{'n':>4}{'mean CER':>11}{'median':>9}{'max':>8}")
    for g in sorted(groups):
        v = groups[g]
        print(f"{g:<22}{len(v):>4}{statistics.mean(v):>10.2%}{statistics.median(v):>9.2%}{max(v):>8.1%}")
    # Per file, with the text read, so that --json shows where the errors are.
    files = {f: {"cer": c, "text": texts.get(f, "")} for f, c in per_file.items()}
    means = {g: statistics.mean(v) for g, v in groups.items()}
    return {"pages_per_min": pages / elapsed * 60, "groups": means, "files": files}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--limit", type=int, default=0, help="only the first N files")
    ap.add_argument("--skip-ocrmypdf", action="store_true")
    ap.add_argument(
        "--true-language",
        action="store_true",
        help="also run OCRmyPDF told each letter's language (ara or fra) from the truth",
    )
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--steps", action="store_true", help="also show each clean-up step's effect on scans")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sijill-bench-"))
    corpus = args.corpus or (SHARED if SHARED.exists() else own_corpus(work / "corpus"))
    rows = [json.loads(line) for line in (corpus / "truth.jsonl").open(encoding="utf-8")]
    rows = [r for r in rows if r.get("file")]
    if args.limit:
        rows = rows[: args.limit]
    files = [(corpus / r["file"]).resolve() for r in rows]
    print(f"corpus: {corpus} ({len(files)} files, {sum(r['pages'] for r in rows)} pages), {os.cpu_count()} cores")
    results = {}
    elapsed, texts = run_sijill(files, work)
    results["sijill"] = report("Sijill", rows, texts, elapsed)
    if not args.skip_ocrmypdf:
        if shutil.which("ocrmypdf") is None:
            print("\nocrmypdf not installed (apt-get install ocrmypdf): baseline skipped")
        else:
            o_dir = work / "ocrmypdf"
            o_dir.mkdir()
            elapsed, texts = run_ocrmypdf(files, o_dir)
            results["ocrmypdf"] = report("OCRmyPDF (baseline, same run)", rows, texts, elapsed)
            ratio = results["sijill"]["pages_per_min"] / results["ocrmypdf"]["pages_per_min"]
            print(f"\nthroughput: Sijill {ratio:.2f}x OCRmyPDF")
            if args.true_language:
                t_dir = work / "ocrmypdf-true-language"
                t_dir.mkdir()
                langs = {r["file"]: "ara" if r["language"] == "ar" else "fra" for r in rows}
                elapsed, texts = run_ocrmypdf(files, t_dir, langs)
                results["ocrmypdf_true_language"] = report("OCRmyPDF told the true language", rows, texts, elapsed)
                ratio = results["sijill"]["pages_per_min"] / results["ocrmypdf_true_language"]["pages_per_min"]
                print(f"\nthroughput: Sijill {ratio:.2f}x OCRmyPDF told the true language (-l ara or -l fra)")
    if args.steps:
        from bench import ocr_steps

        ocr_steps.run(rows, corpus, cer)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
