"""The REST API in-process: tokens, the web's visibility rules on every route, the show --json
vocabulary, corrections and routing, downloads, uploads, bounds and JSON errors."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from archive.models import AccessEvent, RegistryEntry
from tests.web.conftest import PASSWORD, tiny_pdf

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_token_for_a_password_revoked_and_refused_once_the_user_is_deactivated(api, staff) -> None:
    anonymous = api("anonymous")
    res = anonymous.post("/api/token/", {"username": "clerk", "password": "wrong"}, format="json")
    assert res.status_code == 401 and res.json()["error"] == "not_authenticated"
    res = anonymous.post("/api/token/", {"username": "clerk", "password": PASSWORD}, format="json")
    assert res.status_code == 200
    token = res.json()["token"]
    assert anonymous.get("/api/mail/").status_code == 401
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert anonymous.get("/api/mail/").status_code == 200
    assert anonymous.delete("/api/token/").status_code == 204
    res = anonymous.get("/api/mail/")
    assert res.status_code == 401 and res.json() == {
        "error": "not_authenticated", "detail": "This token is unknown, revoked, or its user is deactivated.",
    }  # fmt: skip
    agent = api("agent")
    assert agent.get("/api/mail/").status_code == 200
    User.objects.filter(username="agent").update(is_active=False)
    assert agent.get("/api/mail/").status_code == 401


def test_a_confidential_letter_is_nowhere_for_another_service(api, letters) -> None:
    other, agent = api("other"), api("agent")
    for suffix in ("", "original", "searchable"):
        url = f"/api/mail/{letters.secret}/{suffix}"
        res = other.get(url)
        assert res.status_code == 404 and res.json()["error"] == "not_found", url
        assert agent.get(url).status_code == 200, url  # routed to his service
    res = other.patch(f"/api/mail/{letters.secret}/", {"status": "closed"}, format="json")
    assert res.status_code == 404
    listed = other.get("/api/mail/", {"q": "enquête"}).json()
    assert listed["count"] == 0 and listed["results"] == []
    assert other.get("/api/mail/", {"q": "permis"}).json()["count"] == 0  # not routed to him either
    assert agent.get("/api/mail/", {"q": "enquête"}).json()["count"] == 1


def test_results_speak_the_show_json_vocabulary_and_page(api, letters) -> None:
    clerk = api("clerk")
    res = clerk.get("/api/mail/", {"limit": 1})
    body = res.json()
    assert res.status_code == 200 and body["count"] == 2 and len(body["results"]) == 1  # not the confidential one
    assert body["next"].endswith("limit=1&offset=1")
    assert [r["registry_number"] for r in clerk.get(body["next"]).json()["results"]]
    row = next(r for r in body["results"] + clerk.get(body["next"]).json()["results"]
               if r["registry_number"] == letters.public)  # fmt: skip
    assert row["type"]["value"] == "urbanisme" and row["services"] == ["urbanisme"]
    assert row["sender"]["value"] == "Ali Benali" and row["status"] == "assigned" and row["confidential"] is False
    assert row["direction"] == "A" and "snippet" in row
    show = clerk.get(f"/api/mail/{letters.public}/").json()
    assert {k for k in row if k != "snippet"} <= set(show)
    assert AccessEvent.objects.filter(action="viewed", target=letters.public, details__via="api").exists()
    found = clerk.get("/api/mail/", {"q": "permis", "type": "urbanisme", "status": "assigned"}).json()
    assert [r["registry_number"] for r in found["results"]] == [letters.public]
    assert found["results"][0]["snippet"]


def test_bad_parameters_are_clear_json_errors(api, letters) -> None:
    clerk = api("clerk")
    for params, code in (({"limit": "0"}, "bad_request"), ({"limit": "501"}, "bad_request"),
                         ({"offset": "-1"}, "bad_request"), ({"from": "32/13/2026"}, "bad_query")):  # fmt: skip
        res = clerk.get("/api/mail/", params)
        assert res.status_code == 400 and res.json()["error"] == code, params
    res = clerk.patch(f"/api/mail/{letters.public}/", {"colour": "blue"}, format="json")
    assert res.status_code == 400 and "colour" in res.json()["detail"]
    res = clerk.patch(f"/api/mail/{letters.public}/", {"type": "pizza"}, format="json")
    assert res.status_code == 400 and res.json()["error"] == "bad_correction"
    res = clerk.patch(f"/api/mail/{letters.public}/", {"services": ["nowhere"]}, format="json")
    assert res.status_code == 400 and res.json()["error"] == "unknown_service"
    res = clerk.post("/api/mail/", {"file": _upload(b"just some text")}, format="multipart")
    assert res.status_code == 400 and res.json()["error"] == "unsupported_type"
    res = clerk.post("/api/mail/", {}, format="multipart")
    assert res.status_code == 400 and res.json()["error"] == "no_file"


def test_patch_corrects_routes_and_closes_each_by_its_role(api, letters) -> None:
    clerk, agent = api("clerk"), api("agent")
    res = clerk.patch(f"/api/mail/{letters.unrouted}/", {"type": "reclamation", "subject": "Plainte",
                                                         "services": ["etat_civil"]}, format="json")  # fmt: skip
    body = res.json()
    assert res.status_code == 200, body
    assert body["type"] == {**body["type"], "value": "reclamation", "source": "clerk"}
    assert body["subject"]["value"] == "Plainte" and body["services"] == ["etat_civil"] and body["confirmed"]
    res = agent.patch(f"/api/mail/{letters.public}/", {"services": ["etat_civil"]}, format="json")
    assert res.status_code == 403 and res.json()["error"] == "forbidden"  # agents do not route
    res = agent.patch(f"/api/mail/{letters.public}/", {"status": "in_progress"}, format="json")
    assert res.status_code == 200 and res.json()["status"] == "in_progress"
    res = clerk.patch(f"/api/mail/{letters.public}/", {"confidential": True}, format="json")
    assert res.status_code == 200 and res.json()["confidential"] is True
    assert api("other").get(f"/api/mail/{letters.public}/").status_code == 404


def test_the_original_is_the_exact_bytes_and_its_download_is_audited(api, letters) -> None:
    res = api("clerk").get(f"/api/mail/{letters.public}/original")
    assert res.status_code == 200 and b"".join(res.streaming_content if res.streaming else [res.content]) == (
        tiny_pdf("Objet : demande de permis de construire")
    )
    assert res["Content-Security-Policy"] == "sandbox"
    assert AccessEvent.objects.filter(action="downloaded_original", target=letters.public).count() == 1


def _upload(data: bytes, name: str = "lettre.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_an_upload_returns_a_task_only_its_sender_follows(api, letters, web) -> None:
    clerk = api("clerk")
    res = clerk.post("/api/mail/", {"file": _upload(tiny_pdf("Objet : API")), "services": "urbanisme",
                                    "confidential": "true", "subject": "Par l'API"}, format="multipart")  # fmt: skip
    assert res.status_code == 202, res.json()
    task = res.json()["task"]
    body = clerk.get(f"/api/tasks/{task}/").json()
    assert body["status"] == "queued" and body["registry_number"] is None
    assert api("agent").get(f"/api/tasks/{task}/").status_code == 404
    assert api("admin").get(f"/api/tasks/{task}/").status_code == 200
    res = api("agent").post("/api/mail/", {"file": _upload(tiny_pdf("x"))}, format="multipart")
    assert res.status_code == 403  # only the registry office hands letters in


def test_calls_are_throttled_per_token(api, letters, settings) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"api": "3/min", "upload": "1/min", "token": "5/min"}}  # fmt: skip
    from django.core.cache import cache

    cache.clear()
    clerk, agent = api("clerk"), api("agent")
    codes = [clerk.get("/api/mail/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    res = clerk.get("/api/mail/")
    assert res.json()["error"] == "throttled" and "Retry-After" in res
    assert agent.get("/api/mail/").status_code == 200  # another token has its own budget


def test_the_openapi_schema_describes_the_routes(api) -> None:
    res = api("anonymous").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert res.status_code == 200
    assert b"/api/mail/{number}/" in res.content and b"/api/tasks/{task_id}/" in res.content


def test_every_registered_letter_is_listed_for_an_admin(api, letters) -> None:
    body = api("admin").get("/api/mail/", {"limit": 100}).json()
    assert body["count"] == RegistryEntry.objects.count() and body["next"] is None
