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
