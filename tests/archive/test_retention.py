"""The retention calendar (three fates, a service's own rule), a letter's dates from its closing
day, the calendar's versions in the audit log, and legal holds."""

from __future__ import annotations

import datetime as dt

import pytest

from archive import holds, retention
from archive.models import AuditEvent, LegalHold
from config import taxonomy
from config.errors import ConfigError, NotFoundError
from config.retention import load, parse
from tests.conftest import run_sijill

CAL = b"""
[default]
active_years = 2
intermediate_years = 8
fate = "sort"
[types.facture]
active_years = 2
intermediate_years = 8
fate = "destroy"
[types.urbanisme]
active_years = 5
intermediate_years = 15
fate = "transfer"
[[overrides]]
type = "facture"
service = "juridique"
active_years = 5
intermediate_years = 25
fate = "transfer"
"""


def test_the_shipped_calendar_matches_the_taxonomy_and_has_three_fates() -> None:
    t = taxonomy.load()
    cal = load(known_types=set(t.types), known_services=set(t.services))
    fates = {cal.default.fate, *(r.fate for r in cal.types.values()), *(r.fate for r in cal.overrides.values())}
    assert fates == {"destroy", "transfer", "sort"}


def test_a_services_own_rule_wins_over_its_types_over_the_default() -> None:
    cal = parse(CAL, "test")
    assert cal.rule_for("facture", "finances").fate == "destroy"
    assert cal.rule_for("facture", "juridique").fate == "transfer"
    assert cal.rule_for("urbanisme", "").fate == "transfer"
    assert cal.rule_for("autre", "").fate == "sort"
    active, due = cal.rule_for("facture", "juridique").dates(dt.date(2024, 2, 29))
    assert (active, due) == (dt.date(2029, 2, 28), dt.date(2054, 2, 28))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b'[default]\nactive_years = 2\nintermediate_years = 8\nfate = "burn"', "fate must be one of"),
        (b'[default]\nactive_years = -1\nintermediate_years = 8\nfate = "sort"', "active_years must be"),
        (b'[default]\nactive_years = 1\nfate = "sort"', "intermediate_years is missing"),
        (b'[types.x]\nactive_years = 1\nintermediate_years = 1\nfate = "sort"', "[default] rule is required"),
    ],
)
def test_a_wrong_calendar_names_the_entry_at_fault(text: bytes, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        parse(text, "retention.toml")


def test_an_unknown_type_in_the_calendar_is_refused() -> None:
    bad = CAL.replace(b"[types.urbanisme]", b"[types.pizza]")
    with pytest.raises(ConfigError, match="pizza"):
        parse(bad, "retention.toml", known_types=set(taxonomy.load().types))


@pytest.mark.django_db(transaction=True)
def test_dates_count_from_the_closing_day_and_calendar_versions_are_audited(web, letters) -> None:
    from archive import catalogue

    cal = parse(CAL, "test")
    entry = catalogue.get_entry(letters.public)
    assert retention.retention_of(entry, cal)["fate_due"] is None  # still open
    entry = catalogue.update_entry(letters.public, "agent", status="closed")
    got = retention.retention_of(entry, cal)
    closed = dt.date.fromisoformat(got["closed_on"])
    assert got["fate"] == "transfer" and got["fate_due"] == closed.replace(year=closed.year + 20).isoformat()
    assert retention.note_calendar(cal) and not retention.note_calendar(cal)
    changed = parse(CAL.replace(b"intermediate_years = 15", b"intermediate_years = 30"), "test")
    assert retention.note_calendar(changed)
    versions = [e.details["version"] for e in AuditEvent.objects.filter(action="retention_calendar").order_by("seq")]
    assert versions == [cal.version, changed.version]


@pytest.mark.django_db(transaction=True)
def test_holds_are_placed_once_listed_released_with_a_reason_and_audited(web, letters) -> None:
    assert holds.place([letters.public, letters.secret], "Recours n° 12/2026", "archivist") == 2
    assert holds.place([letters.public], "Autre motif", "archivist") == 0  # already held
    assert {h.entry.number for h in holds.active()} == {letters.public, letters.secret}
    with pytest.raises(ConfigError):
        holds.place([letters.unrouted], "  ", "archivist")
    with pytest.raises(NotFoundError):
        holds.place(["A-1999-000001"], "x", "archivist")
    with pytest.raises(ConfigError):
        holds.release(letters.public, "", "archivist")
    assert holds.release(letters.public, "Jugement rendu", "admin") == 1
    with pytest.raises(NotFoundError):
        holds.release(letters.public, "again", "admin")
    assert LegalHold.objects.filter(released_at__isnull=False).get().released_by == "admin"
    actions = list(AuditEvent.objects.filter(target=letters.public).values_list("action", flat=True))
    assert "hold_placed" in actions and "hold_released" in actions


@pytest.mark.django_db(transaction=True)
def test_the_letter_page_shows_the_dates_and_only_archivists_hold(login, letters) -> None:
    page = login("archivist").get(f"/mail/{letters.public}/").content.decode()
    assert 'id="retention"' in page and "/hold" in page
    res = login("archivist").post(f"/mail/{letters.public}/hold", {"reason": "Enquête"})
    assert res.status_code == 302
    assert "data-hold" in login("agent").get(f"/mail/{letters.public}/").content.decode()
    assert '/hold"' not in login("clerk").get(f"/mail/{letters.public}/").content.decode()
    holds_page = login("archivist").get("/holds/").content.decode()
    assert letters.public in holds_page and "Enquête" in holds_page


def test_the_hold_and_retention_commands(home) -> None:
    assert run_sijill(home, "list").returncode == 0
    res = run_sijill(home, "retention")
    assert res.returncode == 0 and "transfer" in res.stdout and "New calendar version" in res.stderr
    assert "New calendar version" not in run_sijill(home, "retention").stderr
    bad = run_sijill(home, "hold", "A-2026-000001", "--reason", "x")
    assert bad.returncode == 2 and "No such registry number" in bad.stderr
    nothing = run_sijill(home, "hold", "--query", "permis", "--reason", "Recours")
    assert nothing.returncode == 2 and "found no letter" in nothing.stderr
    none = run_sijill(home, "transfer", "--to", str(home / "bags"), "--year", "2026")
    assert none.returncode == 2 and "No letter to transfer" in none.stderr
