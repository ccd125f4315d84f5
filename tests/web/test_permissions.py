"""Every URL of the URL conf, for every role, with the outcome each must get.

A URL missing from the table fails the test: a new page cannot ship without its row. A letter
the user may not see answers 404, exactly like a number never given."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from archive.models import AccessEvent
from archive.permissions import ACTIONS
from tests.web.conftest import STAFF

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", *STAFF]
PUBLIC = {"login", "password_reset", "password_reset_done", "password_reset_complete", "set_language", "health",
          "password_reset_confirm", "deposit:form", "deposit:track"}  # fmt: skip
# The receipt of a deposit: only the browser that filed it (others go through the tracking page).
FILER_ONLY = {"deposit:receipt"}
# Allowed, but there is nothing to give yet (the list has no certificate before it is executed).
NOTHING_YET = {"records:certificate"}
# name: (method, path template, action required, about a letter?)
TABLE = {
    "home": ("GET", "/", None, False),
    "health": ("GET", "/health/", None, False),
    "login": ("GET", "/login/", None, False),
    "logout": ("POST", "/logout/", None, False),
    "password_change": ("GET", "/password/", "login", False),
    "password_change_done": ("GET", "/password/done/", "login", False),
    "password_reset": ("GET", "/password/reset/", None, False),
    "password_reset_done": ("GET", "/password/reset/sent/", None, False),
    "password_reset_confirm": ("GET", "/password/reset/MQ/x-y/", None, False),
    "password_reset_complete": ("GET", "/password/reset/done/", None, False),
    "set_language": ("POST", "/i18n/setlang/", None, False),
    "ingest:intake": ("GET", "/intake/", "intake", False),
    "ingest:upload": ("POST", "/intake/upload", "intake", False),
    "ingest:tasks": ("GET", "/intake/tasks/", "intake", False),
    "ingest:review": ("GET", "/review/", "review", False),
    "ingest:review_bulk": ("POST", "/review/bulk", "review", False),
    "ingest:review_letter": ("GET", "/review/{n}/", "review", True),
    "archive:register": ("GET", "/register/", "register", False),
    "archive:register_csv": ("GET", "/register/export.csv", "export", False),
    "archive:register_print": ("GET", "/register/print.pdf", "register", False),
    "archive:letter": ("GET", "/mail/{n}/", "search", True),
    "archive:original": ("GET", "/mail/{n}/original", "search", True),
    "archive:searchable": ("GET", "/mail/{n}/searchable", "search", True),
    "archive:page_image": ("GET", "/mail/{n}/page/1.png", "search", True),
    "archive:stamp": ("GET", "/mail/{n}/stamp/", "search", True),
    "archive:deposit_file": ("GET", "/mail/{n}/deposit/1", "search", True),
    "archive:route": ("POST", "/mail/{n}/route", "route", True),
    "archive:reassign": ("POST", "/mail/{n}/reassign", "route", True),
    "archive:assign": ("POST", "/mail/{n}/assign", "assign", True),
    "archive:status": ("POST", "/mail/{n}/status", "set_status", True),
    "archive:tags": ("POST", "/mail/{n}/tags", "tag", True),
    "archive:void": ("POST", "/mail/{n}/void", "void", True),
    "archive:confidential": ("POST", "/mail/{n}/confidential", "confidential", True),
    "archive:hold": ("POST", "/mail/{n}/hold", "hold", True),
    "archive:holds": ("GET", "/holds/", "hold", False),
    "archive:transfers": ("GET", "/transfers/", "hold", False),
    "archive:tag_suggestions": ("GET", "/tags/suggest", "tag", False),
    "archive:inbox": ("GET", "/inbox/", "inbox", False),
    "archive:overdue": ("GET", "/overdue/", "inbox", False),
    "archive:figures": ("GET", "/figures/", "figures", False),
    "archive:taxonomy": ("GET", "/taxonomy/", "manage", False),
    "search:page": ("GET", "/search/", "search", False),
    "signing:outgoing": ("GET", "/outgoing/", "outgoing", False),
    "signing:draft": ("GET", "/outgoing/{d}/", "outgoing", True),
    "signing:draft_pdf": ("GET", "/outgoing/{d}/pdf", "outgoing", True),
    "signing:visa": ("POST", "/outgoing/{d}/visa", "visa", True),
    "signing:sign": ("POST", "/outgoing/{d}/sign", "sign", True),
    "signing:reply": ("GET", "/mail/{n}/reply", "reply", True),
    "records:lists": ("GET", "/disposal/", "hold", False),
    "records:list": ("GET", "/disposal/{l}/", "hold", False),
    "records:review": ("POST", "/disposal/{l}/review", "dispose_review", False),
    "records:approve": ("POST", "/disposal/{l}/approve", "dispose_approve", False),
    "records:reject": ("POST", "/disposal/{l}/reject", "dispose_review", False),
    "records:execute": ("POST", "/disposal/{l}/execute", "dispose_approve", False),
    "records:certificate": ("GET", "/disposal/{l}/certificate.pdf", "hold", False),
    "deposit:form": ("GET", "/depot/", None, False),
    "deposit:receipt": ("GET", "/depot/recu/{n}/", None, False),
    "deposit:track": ("GET", "/depot/suivi/", None, False),
}


def _names(patterns, prefix: str = "") -> list[str]:
    out = []
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in ("admin", "api"):
                continue  # Django's admin: staff only, checked below; the API: tests/api/test_permissions.py
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            out += _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            out.append(prefix + p.name)
    return out


def test_every_url_has_a_row() -> None:
    assert set(_names(get_resolver().url_patterns)) == set(TABLE)


def _allowed(role: str, action: str | None) -> bool:
    if action is None:
        return True
    if role == "anonymous":
        return False
    return action == "login" or STAFF[role][0] in ACTIONS[action]


def _sees(role: str, secret: bool) -> bool:
    """Both letters are routed to urbanisme; the secret one is confidential."""
    if secret:
        return role in ("admin", "agent", "head")
    return role != "other"  # an agent of état civil sees only his service's mail


def _expected(name: str, role: str, secret: bool) -> set[int]:
    method, _, action, about_letter = TABLE[name]
    if name in FILER_ONLY:
        return {404}
    if name in PUBLIC or name == "logout":
        return {200, 302}
    if name == "home":
        return {302}
    if role == "anonymous":
        return {302}  # to /login/
    if not _allowed(role, action):
        return {403}
    if about_letter and not _sees(role, secret):
        return {404}
    if name in NOTHING_YET:
        return {404}
    return {200, 302} if method == "POST" else {200}


def _as_deposits(*numbers: str) -> None:
    """Both letters also came as online deposits: their deposited files have a route too."""
    from archive.models import Deposit, RegistryEntry

    for e in RegistryEntry.objects.select_related("document").filter(number__in=numbers):
        d = e.document
        Deposit.objects.create(entry=e, name="Citoyen", id_number="AB1234", contact="c@example.ma", service="urbanisme",
                               subject=e.subject, code_hash="0" * 64, files=[{"name": "lettre.pdf", "sha256": d.sha256,
                               "size": d.size, "mime": d.mime_type, "key": d.original_key}])  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_permission_table(login, letters, role) -> None:
    _as_deposits(letters.public, letters.secret)
    from archive.models import DisposalItem, DisposalList, RegistryEntry

    lst = DisposalList.objects.create(proposed_by="sijill")
    DisposalItem.objects.create(
        disposal=lst, entry=RegistryEntry.objects.get(number=letters.public), fate_due="2026-01-01"
    )
    c = login(role)
    outcomes = []
    for name, (method, template, _, about_letter) in TABLE.items():
        for secret in (False, True) if about_letter else (False,):
            number = letters.secret if secret else letters.public
            draft = letters.secret_draft if secret else letters.public_draft
            url = template.format(n=number, d=draft, l=lst.pk)
            res = c.post(url, {}) if method == "POST" else c.get(url)
            if role != "anonymous" and name == "logout":
                c = login(role)
            expected = _expected(name, role, secret)
            if res.status_code not in expected:
                outcomes.append((name, "secret" if secret else "public", res.status_code, sorted(expected)))
            if res.status_code == 302 and role == "anonymous" and name not in PUBLIC and name != "home":
                assert res["Location"].startswith("/login/"), (name, res["Location"])
    assert not outcomes, outcomes


@pytest.mark.parametrize("role", ROLES)
def test_admin_pages_are_for_admins_only(login, staff, role) -> None:
    res = login(role).get("/admin/")
    assert res.status_code == (200 if role == "admin" else 302)


def test_a_secret_letter_leaves_no_trace_for_others(login, letters) -> None:
    for role in ("clerk", "other", "signatory", "archivist"):
        c = login(role)
        for url in (
            "/search/?q=enquête",
            "/search/?type=urbanisme",
            "/search/?service=urbanisme",
            "/inbox/?status=",
            "/review/",
            "/register/?type=urbanisme",
        ):
            html = c.get(url).content.decode()
            assert "disciplinaire" not in html and "Inspection" not in html, (role, url)
            assert f'href="/mail/{letters.secret}/' not in html, (role, url)
        if role in ("clerk", "archivist"):
            csv = b"".join(c.get("/register/export.csv").streaming_content).decode()
            assert letters.secret in csv and "Inspection" not in csv and "سري / confidentiel" in csv
            html = c.get("/register/").content.decode()  # the numbering stays whole
            assert letters.secret in html and "سري / confidentiel" in html
    # totals and facet counts leave it out: three letters go to urbanisme, the clerk counts two
    admin = login("admin").get("/search/", {"service": "urbanisme"}).content.decode()
    clerk = login("clerk").get("/search/", {"service": "urbanisme"}).content.decode()
    assert 'data-total="3"' in admin and 'data-total="2"' in clerk and "(3)" not in clerk
    head = login("head").get("/search/", {"service": "urbanisme"}).content.decode()
    assert letters.secret in head and 'data-total="2"' in head


def test_views_and_downloads_go_to_the_access_log(login, letters) -> None:
    c = login("agent")
    c.get(f"/mail/{letters.public}/")
    c.get(f"/mail/{letters.public}/original")
    actions = list(AccessEvent.objects.filter(target=letters.public).values_list("actor", "action"))
    assert ("agent", "viewed") in actions and ("agent", "downloaded_original") in actions
