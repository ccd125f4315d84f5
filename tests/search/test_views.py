"""The web search page: Arabic-first, bidi-safe snippets, errors shown to the clerk."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import sijill
from search.service import update_after_changes
from tests.search.test_sync import TEXTS
from tests.search.test_sync import register as register_only

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def own_home(settings, tmp_path: Path):
    settings.SIJILL = sijill.load({"SIJILL_HOME": str(tmp_path / "home")})
    return settings.SIJILL


def register(text: str) -> str:
    """Registered, then indexed as a worker would: the web page itself never writes the index."""
    from django.conf import settings

    number = register_only(text)
    update_after_changes(settings.SIJILL)
    return number


def test_search_needs_a_login(client, own_home) -> None:
    res = client.get("/search/", {"q": "رخصة"})
    assert res.status_code == 302 and res["Location"].startswith("/login/")


def test_results_show_highlighted_rtl_snippets_and_facets(admin_client, own_home) -> None:
    a = register(TEXTS[0])
    register(TEXTS[1])
    res = admin_client.get("/search/", {"q": "الادارة رخصه"})
    html = res.content.decode()
    assert res.status_code == 200 and '<html lang="ar" dir="rtl">' in html
    assert 'data-total="0"' in html and "لا نتائج." in html  # no letter has both words
    res = admin_client.get("/search/", {"q": "رخصه سقف"})
    html = res.content.decode()
    assert a in html and '<bdi dir="rtl">الموضوع: طلب <mark>رخصة</mark> إصلاح <mark>سقف</mark> منزل</bdi>' in html
    assert "?q=" in html and "<strong>السنة</strong>" in html


def test_french_results_are_ltr_fragments(admin_client, own_home) -> None:
    b = register(TEXTS[1])
    html = admin_client.get("/search/", {"q": "fourniture"}).content.decode()
    assert b in html and '<bdi dir="ltr">Objet : facture des <mark>fournitures</mark> de bureau</bdi>' in html


def test_bad_input_is_explained_on_the_page(admin_client, own_home) -> None:
    html = admin_client.get("/search/", {"q": "x", "from": "31/31/2026"}).content.decode()
    assert 'role="alert"' in html and "2026-03-14" in html
    html = admin_client.get("/search/", {"q": "y" * 5000}).content.decode()
    assert "too long" in html


def test_markup_in_letters_is_escaped(admin_client, own_home) -> None:
    register("Objet : <script>alert(1)</script> facture piégée")
    html = admin_client.get("/search/", {"q": "piégée"}).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_a_crafted_page_number_is_refused_not_fatal(admin_client, own_home) -> None:
    register(TEXTS[0])
    for page in ("100000000000", "501", "99999999999999999999999"):
        res = admin_client.get("/search/", {"q": "رخصه", "page": page})
        assert res.status_code == 200
        assert "10,000" in res.content.decode() or 'data-total="1"' in res.content.decode()


def test_settings_never_show_secrets() -> None:
    s = sijill.load({
        "SIJILL_SECRET_KEY": "s3cr3t-key", "SIJILL_STORAGE": "s3", "SIJILL_S3_ENDPOINT": "127.0.0.1:9000",
        "SIJILL_S3_ACCESS_KEY": "AK", "SIJILL_S3_SECRET_KEY": "s3-secret", "SIJILL_SEARCH": "opensearch",
        "SIJILL_OPENSEARCH_URL": "https://admin:os-pass@127.0.0.1:9200",
        "SIJILL_DATABASE_URL": "postgresql://u:db-pass@127.0.0.1/x",
        "SIJILL_QUEUE": "redis", "SIJILL_REDIS_URL": "redis://:redis-pass@127.0.0.1:6379/0",
    })  # fmt: skip
    shown = repr(s) + str(s)
    for secret in ("s3cr3t-key", "s3-secret", "os-pass", "db-pass", "redis-pass"):
        assert secret not in shown
    assert "127.0.0.1:9200" in shown and "***" in shown


def test_searching_from_the_page_never_writes_the_index(admin_client, own_home) -> None:
    from search.backends.factory import open_index

    register(TEXTS[0])
    late = register_only(TEXTS[1])  # registered, not yet indexed by a worker
    index = open_index(own_home)
    before = index.count()
    index.close()
    html = admin_client.get("/search/", {"q": "fourniture"}).content.decode()
    assert late not in html and "not searchable yet" in html
    index = open_index(own_home)
    assert index.count() == before
    index.close()
