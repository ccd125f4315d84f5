"""Every API route, for every role, with a real token: the web's rules, with the API's answers
(401 without a token, 403 for a role that may not, 404 for a letter the caller may not see)."""

from __future__ import annotations

import pytest
from django.urls import URLResolver, get_resolver

from archive.permissions import ACTIONS
from ingest.models import QueuedTask
from tests.web.conftest import STAFF

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", *STAFF]
# (name, method): (path template, action required, about a letter?)
TABLE = {
    ("api:token", "POST"): ("/api/token/", "login-form", False),
    ("api:token", "DELETE"): ("/api/token/", "login", False),
    ("api:schema", "GET"): ("/api/schema/", None, False),
    ("api:mail", "GET"): ("/api/mail/", "search", False),
    ("api:mail", "POST"): ("/api/mail/", "intake", False),
    ("api:mail-detail", "GET"): ("/api/mail/{n}/", "search", True),
    ("api:mail-detail", "PATCH"): ("/api/mail/{n}/", "search", True),
    ("api:mail-original", "GET"): ("/api/mail/{n}/original", "search", True),
    ("api:mail-searchable", "GET"): ("/api/mail/{n}/searchable", "search", True),
    ("api:task", "GET"): ("/api/tasks/{t}/", "own-task", False),
}


def test_every_api_url_has_a_row() -> None:
    api = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api")
    assert {f"api:{p.name}" for p in api.url_patterns} == {name for name, _ in TABLE}


def _sees(role: str, secret: bool) -> bool:
    if secret:
        return role in ("admin", "agent", "head")
    return role != "other"


def _expected(name: str, method: str, role: str, secret: bool) -> set[int]:
    _, action, about_letter = TABLE[(name, method)]
    if action == "login-form":
        return {401}  # no username nor password given
    if action is None:
        return {200}
    if role == "anonymous":
        return {401}
    if action == "login":
        return {204}
    if action == "own-task":
        return {200} if role in ("clerk", "admin") else {404}
    if STAFF[role][0] not in ACTIONS[action]:
        return {403}
    if about_letter and not _sees(role, secret):
        return {404}
    return {400} if (name, method) == ("api:mail", "POST") else {200}  # POST without its file


@pytest.mark.parametrize("role", ROLES)
def test_api_permission_table(api, letters, role) -> None:
    task = QueuedTask.objects.create(batch="b", filename="f.pdf", incoming_key="incoming/x", sha256="0" * 64,
                                     size=1, actor="clerk")  # fmt: skip
    outcomes = []
    for (name, method), (template, _, about_letter) in TABLE.items():
        for secret in (False, True) if about_letter else (False,):
            client = api(role)  # a fresh token each time: DELETE /api/token/ revokes it
            url = template.format(n=letters.secret if secret else letters.public, t=task.pk)
            res = getattr(client, method.lower())(url, {}, format="json")
            expected = _expected(name, method, role, secret)
            if res.status_code not in expected:
                outcomes.append((name, method, "secret" if secret else "public", res.status_code, sorted(expected)))
            elif res.status_code >= 400:
                assert set(res.json()) == {"error", "detail"}, (name, res.json())
    assert not outcomes, outcomes
