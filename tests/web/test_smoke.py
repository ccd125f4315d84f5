from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/register/",
        "/inbox/",
        "/overdue/",
        "/figures/",
        "/review/",
        "/intake/",
        "/search/?q=permis",
        "/search/?type=urbanisme",
    ],
)
def test_pages_render_for_admin(login, letters, url) -> None:
    res = login("admin").get(url)
    assert res.status_code == 200, res.content[:2000]


def test_letter_page(login, letters) -> None:
    c = login("admin")
    for url in (
        f"/mail/{letters.public}/",
        f"/mail/{letters.public}/stamp/",
        f"/mail/{letters.public}/original",
        f"/mail/{letters.public}/page/1.png",
        f"/mail/{letters.public}/searchable",
    ):
        res = c.get(url)
        assert res.status_code == 200, (url, res.content[:3000])


def test_fonts_and_scripts_are_served_by_the_app_never_fetched_from_outside(client) -> None:
    for path in ("/static/fonts/naskh-regular.ttf", "/static/fonts/sans-regular.ttf", "/static/sijill/app.css",
                 "/static/sijill/htmx.min.js"):  # fmt: skip
        res = client.get(path)
        assert res.status_code == 200, path
    css = b"".join(client.get("/static/sijill/app.css").streaming_content).decode()
    assert "http" not in css and "../fonts/naskh-regular.ttf" in css
    assert b"".join(client.get("/static/fonts/naskh-regular.ttf").streaming_content)[:4] in (
        b"\x00\x01\x00\x00",
        b"OTTO",
    )


def test_long_lists_stop_counting_but_keep_paging(letters) -> None:
    from archive.models import RegistryEntry
    from archive.web.paging import paginate

    qs = RegistryEntry.objects.order_by("id")  # three letters
    page = paginate(qs, "1", 1, cap=2)
    assert page.capped and page.total == 2 and page.next == 2 and len(page.rows) == 1
    last = paginate(qs, "3", 1, cap=2)
    assert last.capped and last.next is None and len(last.rows) == 1 and last.prev == 2
    exact = paginate(qs, "999999999", 2, cap=10)
    assert not exact.capped and exact.total == 3 and exact.number == 2 and exact.pages == 2
