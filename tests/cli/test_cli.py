"""The `sijill` command as a clerk and a script use it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from tests.conftest import run_sijill
from tests.fixtures import s3server


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, french_born_pdf: bytes, french_scan_tiff: bytes):
    src = tmp_path_factory.mktemp("mail")
    (src / "sub").mkdir()
    (src / "facture.pdf").write_bytes(french_born_pdf)
    (src / "sub" / "lettre.tif").write_bytes(french_scan_tiff)
    home = tmp_path_factory.mktemp("home")
    res = run_sijill(home, "ingest", "--json", str(src))
    return home, src, res


def test_ingest_json_lines(ingested) -> None:
    home, src, res = ingested
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) == 2
    for r in rows:
        assert {"path", "status", "registry_number", "reason", "pages", "languages", "text"} <= set(r)
        assert r["status"] == "registered" and r["registry_number"].startswith("A-")
        assert r["languages"] == ["fr"] and r["pages"] == 1 and "Atlas Fournitures" in r["text"]


def test_same_files_again_are_duplicates_with_the_same_numbers(ingested) -> None:
    home, src, first = ingested
    before = {json.loads(line)["path"]: json.loads(line)["registry_number"] for line in first.stdout.splitlines()}
    res = run_sijill(home, "ingest", "--json", str(src))
    assert res.returncode == 0
    for r in map(json.loads, res.stdout.splitlines()):
        assert r["status"] == "duplicate" and r["registry_number"] == before[r["path"]]


def test_list_show_and_export(ingested) -> None:
    home, _, _ = ingested
    rows = [json.loads(line) for line in run_sijill(home, "list", "--json").stdout.splitlines()]
    assert [r["registry_number"][-6:] for r in rows] == ["000001", "000002"]
    number = rows[0]["registry_number"]
    detail = json.loads(run_sijill(home, "show", number, "--json").stdout)
    assert detail["registry_number"] == number and detail["page_details"][0]["number"] == 1
    assert detail["history"][0]["action"] == "registered"
    assert "Objet" in run_sijill(home, "show", number, "--text").stdout
    year = number[2:6]
    out = run_sijill(home, "registry", "export", "--year", year, "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [t["number"] for t in table] == [r["registry_number"] for r in rows]


def test_usage_errors_exit_2(home: Path) -> None:
    assert run_sijill(home, "ingest", str(home / "nope")).returncode == 2
    assert run_sijill(home, "ingest", "x", env={"SIJILL_STORAGE": "ftp"}).returncode == 2
    assert run_sijill(home, "frobnicate").returncode == 2
    assert run_sijill(home, "show", "A-2026-999999").returncode == 1


def test_doctor_checks_tesseract_and_languages(home: Path) -> None:
    res = run_sijill(home, "doctor")
    assert res.returncode == 0, res.stdout
    for name in (
        "tesseract ara data",
        "tesseract fra data",
        "tesseract osd data",
        "tesseract uig data",
        "object store",
    ):
        assert name in res.stdout
    flat = " ".join(res.stdout.split())
    assert "search index: tantivy: 0 entries indexed, 0 changes to catch up" in flat
    assert "taxonomy: 12 mail types" in flat


@pytest.mark.s3
def test_ingest_to_s3_survives_server_down_and_rerun(tmp_path: Path, french_born_pdf: bytes) -> None:
    """Server down: clear error, file kept, nothing registered; once up, the same command works."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.pdf").write_bytes(french_born_pdf)
    home = tmp_path / "home"
    server = s3server.start(tmp_path / "weed")
    env = {
        "SIJILL_STORAGE": "s3",
        "SIJILL_S3_ENDPOINT": server.endpoint,
        "SIJILL_S3_ACCESS_KEY": s3server.ACCESS_KEY,
        "SIJILL_S3_SECRET_KEY": s3server.SECRET_KEY,
        "SIJILL_RETRY_DELAY": "0.05",  # a storage outage is retried; keep the test quick
    }
    try:
        server.stop()
        down = run_sijill(home, "ingest", "--json", str(src), env=env)
        o = json.loads(down.stdout)
        assert down.returncode == 1
        assert o["status"] == "failed" and o["reason_code"] == "storage_unavailable"
        assert "cannot be reached" in o["reason"]
        assert (src / "a.pdf").read_bytes() == french_born_pdf
        assert run_sijill(home, "list", "--json", env=env).stdout == ""
        server = s3server.start(tmp_path / "weed")  # same data dir, fresh ports
        env["SIJILL_S3_ENDPOINT"] = server.endpoint
        up = run_sijill(home, "ingest", "--json", str(src), env=env)
        assert up.returncode == 0, up.stderr
        assert json.loads(up.stdout)["status"] == "registered"
        from archive.objectstore.s3 import S3Store
        from config.sijill import S3Settings

        store = S3Store(S3Settings(server.endpoint, s3server.ACCESS_KEY, s3server.SECRET_KEY, "sijill"))
        sha = json.loads(up.stdout)["sha256"]
        assert store.get(f"originals/{sha[:2]}/{sha}") == french_born_pdf
    finally:
        server.stop()


def test_search_json_gives_number_score_and_snippet(ingested) -> None:
    home, _, _ = ingested
    res = run_sijill(home, "search", "fourniture bureau", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["total"] == 2 and len(out["hits"]) == 2
    for hit in out["hits"]:
        assert hit["registry_number"].startswith("A-") and hit["score"] > 0
        assert "fournitures" in hit["snippet"] and hit["snippet"].startswith("\u2068")
        assert hit["fragments"][0]["direction"] == "ltr"


def test_search_filters_and_human_output(ingested) -> None:
    home, _, _ = ingested
    res = run_sijill(home, "search", "facture", "--type", "urbanisme", "--json")
    assert json.loads(res.stdout)["total"] == 0
    res = run_sijill(home, "search", "Atlas", "--from", "2000-01-01", "--facets")
    assert res.returncode == 0, res.stderr
    assert "A-" in res.stdout and "year" in res.stdout and "2 result(s)" in res.stderr


def test_bad_search_input_is_explained(ingested) -> None:
    home, _, _ = ingested
    res = run_sijill(home, "search", "x" * 10_240)
    assert res.returncode == 2 and "too long" in res.stderr
    res = run_sijill(home, "search", "facture", "--from", "31/31/2026")
    assert res.returncode == 2 and "not a date" in res.stderr
    res = run_sijill(home, "search", "facture", "--limit", "0")
    assert res.returncode == 2 and "--limit" in res.stderr


def test_reindex_rebuilds_from_the_catalogue(ingested) -> None:
    home, _, _ = ingested
    import shutil

    shutil.rmtree(home / "index", ignore_errors=True)
    res = run_sijill(home, "reindex")
    assert res.returncode == 0, res.stderr
    assert "Indexed 2 entries" in res.stderr
    assert json.loads(run_sijill(home, "search", "Atlas", "--json").stdout)["total"] == 2


def test_show_json_carries_what_was_read_with_confidences(ingested) -> None:
    home, _, _ = ingested
    number = json.loads(run_sijill(home, "search", "Atlas", "--json").stdout)["hits"][0]["registry_number"]
    d = json.loads(run_sijill(home, "show", number, "--json").stdout)
    assert d["type"]["value"] == "facture" and 0.2 <= d["type"]["confidence"] <= 1
    assert d["service"]["value"] == "finances"
    assert d["reference"] == {"value": "317/AF/2026", "confidence": 0.95, "source": "read"}
    assert d["letter_date"]["value"] == "2026-11-05" and d["letter_date"]["confidence"] > 0.5
    assert d["subject"]["value"] == "facture des fournitures de bureau"
    assert d["sender"]["value"] == "Société Atlas Fournitures SARL"
    human = run_sijill(home, "show", number).stdout
    assert "facture" in human and "%" in human


def test_tag_records_a_correction_and_train_learns_it(ingested) -> None:
    home, _, _ = ingested
    number = json.loads(run_sijill(home, "search", "Atlas", "--json").stdout)["hits"][0]["registry_number"]
    bad = run_sijill(home, "tag", number, "--type", "pizza")
    assert bad.returncode == 2 and "Unknown type 'pizza'" in bad.stderr
    bad = run_sijill(home, "tag", number, "--date", "32/13/2026")
    assert bad.returncode == 2 and "not a date" in bad.stderr
    res = run_sijill(
        home, "tag", number, "--type", "reclamation", "--sender", "Atlas Fournitures", "--date", "04/11/2026"
    )
    assert res.returncode == 0, res.stderr
    d = json.loads(run_sijill(home, "show", number, "--json").stdout)
    assert d["type"] == {"value": "reclamation", "confidence": 1.0, "source": "clerk", "needs_review": False,
                         "model_version": d["type"]["model_version"]}  # fmt: skip
    received = dt.date.fromisoformat(d["received_at"][:10])
    assert d["service"]["value"] == "citoyens" and d["due_date"] == (received + dt.timedelta(days=60)).isoformat()
    assert d["sender"]["source"] == "clerk" and d["letter_date"]["value"] == "2026-11-04"
    assert d["history"][-1]["action"] == "tagged"
    first = run_sijill(home, "train")
    assert first.returncode == 0 and "trained" in first.stdout and "+ 1 clerk corrections" in first.stdout
    again = run_sijill(home, "train")
    assert "already up to date" in again.stdout
