from __future__ import annotations

import csv
import datetime as dt
import io
import json
import threading
from pathlib import Path

import pytest
from django.db import connections, transaction

from archive import audit, catalogue, registry
from archive.catalogue import DocumentRecord, PageRecord
from archive.export import registry_csv
from archive.models import RegistryEntry
from tests.conftest import run_sijill
from tests.fixtures import letters


def test_number_format_and_parse() -> None:
    assert registry.format_number("A", 2026, 123) == "A-2026-000123"
    assert registry.parse_number("d-2026-000045") == ("D", 2026, 45)
    assert registry.parse_number("2026-45") is None


def _record(n: int) -> DocumentRecord:
    sha = f"{n:064x}"
    return DocumentRecord(
        sha,
        "pdf",
        "application/pdf",
        10,
        f"{n}.pdf",
        f"originals/{sha[:2]}/{sha}",
        "",
        [PageRecord(1, "ocr", f"نص {n}", ["ar"], 90.0)],
    )


@pytest.mark.django_db(transaction=True)
def test_numbers_are_gapless_per_direction_and_year() -> None:
    jan = dt.datetime(2026, 1, 2, 10, tzinfo=dt.UTC)
    numbers = [catalogue.register_incoming(_record(i), "clerk", jan)[0].number for i in range(3)]
    assert numbers == ["A-2026-000001", "A-2026-000002", "A-2026-000003"]
    next_year = catalogue.register_incoming(_record(9), "clerk", dt.datetime(2027, 1, 5, tzinfo=dt.UTC))[0]
    assert next_year.number == "A-2027-000001"


@pytest.mark.django_db(transaction=True)
def test_a_failed_registration_gives_its_number_back() -> None:
    catalogue.register_incoming(_record(1), "clerk")
    with pytest.raises(RuntimeError), transaction.atomic():
        registry.next_sequence("A", dt.date.today().year)
        raise RuntimeError("crash after taking a number")
    entry, _ = catalogue.register_incoming(_record(2), "clerk")
    assert entry.sequence == 2


@pytest.mark.django_db(transaction=True)
def test_same_bytes_registered_twice_is_one_entry() -> None:
    a, created_a = catalogue.register_incoming(_record(5), "clerk")
    b, created_b = catalogue.register_incoming(_record(5), "clerk")
    assert created_a and not created_b and a.pk == b.pk
    assert RegistryEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_threads_registering_at_once_share_no_number() -> None:
    errors: list[Exception] = []

    def work(offset: int) -> None:
        try:
            for i in range(10):
                catalogue.register_incoming(_record(offset + i), f"worker{offset}")
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(k * 100,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(RegistryEntry.objects.values_list("sequence", flat=True)) == list(range(1, 31))


@pytest.mark.django_db(transaction=True)
def test_corrections_are_audited_with_old_and_new_values() -> None:
    entry, _ = catalogue.register_incoming(_record(1), "clerk")
    catalogue.update_entry(entry.number, "amina", sender="جمعية النخيل", letter_date=dt.date(2026, 12, 3))
    events = audit.history(entry.number)
    assert [e.action for e in events] == ["registered", "updated"]
    assert events[1].actor == "amina"
    assert events[1].details["changes"]["sender"] == {"old": "", "new": "جمعية النخيل"}
    assert events[1].details["changes"]["letter_date"]["new"] == "2026-12-03"


@pytest.mark.django_db(transaction=True)
def test_registry_csv_export() -> None:
    when = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    entry, _ = catalogue.register_incoming(_record(1), "clerk", when)
    catalogue.update_entry(entry.number, "clerk", subject="طلب رخصة")
    rows = registry_csv(2026).splitlines()
    assert rows[0].startswith("number,direction,received_at")
    assert rows[1].startswith("A-2026-000001,A,2026-03-01") and "طلب رخصة" in rows[1]
    assert registry_csv(2025).count("\n") == 1


def test_two_processes_ingesting_at_once_never_share_or_skip_a_number(home: Path, tmp_path: Path) -> None:
    """Two `sijill ingest` commands on one catalogue, with overlapping inputs."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    base = letters.FRENCH_LETTERS[0]
    for i in range(24):
        pdf = letters.born_digital_pdf(letters.Letter("fr", [*base.lines, f"Pièce jointe n° {i}"]))
        (a if i < 14 else b).joinpath(f"{i}.pdf").write_bytes(pdf)
        if 10 <= i < 14:  # four files given to both commands
            b.joinpath(f"{i}.pdf").write_bytes(pdf)
    import subprocess
    import sys

    from tests.conftest import REPO, sijill_env

    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "cli.main", "ingest", "--json", str(d)],
            cwd=REPO,
            env=sijill_env(home, {"SIJILL_WORKERS": "1"}),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for d in (a, b)
    ]
    results = [p.communicate(timeout=600) for p in procs]
    outs = [out for out, _ in results]
    assert [p.returncode for p in procs] == [0, 0], [errors[-3000:] for _, errors in results]
    outcomes = [json.loads(line) for out in outs for line in out.splitlines()]
    assert len(outcomes) == 28
    numbers = [o["registry_number"] for o in outcomes if o["status"] == "registered"]
    assert len(numbers) == 24 == len(set(numbers))
    year = numbers[0][2:6]
    assert sorted(numbers) == [f"A-{year}-{i:06d}" for i in range(1, 25)]
    dupes = [o for o in outcomes if o["status"] == "duplicate"]
    assert len(dupes) == 4 and {d["registry_number"] for d in dupes} <= set(numbers)
    listed = run_sijill(home, "list", "--json")
    assert len(listed.stdout.splitlines()) == 24


@pytest.mark.django_db(transaction=True)
def test_csv_export_neutralises_formulas_from_ocr_text() -> None:
    entry, _ = catalogue.register_incoming(_record(40), "clerk", dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    catalogue.update_entry(entry.number, "clerk", sender='=HYPERLINK("http://x","clic")', subject="+1-2 @SUM(A1)")
    rows = list(csv.reader(io.StringIO(registry_csv(2026))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["sender"].startswith("'=") and row["subject"].startswith("'+")


@pytest.mark.django_db(transaction=True)
def test_concurrent_corrections_of_different_fields_both_survive() -> None:
    entry, _ = catalogue.register_incoming(_record(41), "clerk")
    barrier = threading.Barrier(2)

    def correct(**change) -> None:
        try:
            barrier.wait()
            catalogue.update_entry(entry.number, "clerk", **change)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=correct, kwargs=c) for c in ({"sender": "Atlas"}, {"subject": "Facture"})]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    entry.refresh_from_db()
    assert (entry.sender, entry.subject) == ("Atlas", "Facture")
