"""The registry office in a real browser: Debian's Chromium driven by Playwright, against
`sijill serve` (gunicorn and a queue worker) on 127.0.0.1.

Screenshots of the main pages are saved under the test's temporary directory."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, run_sijill, sijill_env
from tests.fixtures import letters, s3server
from tests.fixtures.chromium import CHROMIUM, launch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it)"),
]
PASSWORD = "browser-pass-42"


@pytest.fixture
def server(home: Path, tmp_path: Path) -> Iterator[str]:
    env = {"SIJILL_USER_PASSWORD": PASSWORD}
    for args in (["clerk", "--role", "clerk"], ["agent", "--role", "agent", "--service", "urbanisme"],
                 ["other", "--role", "agent", "--service", "etat_civil"]):  # fmt: skip
        res = run_sijill(home, "user", "add", *args, env=env)
        assert res.returncode == 0, res.stderr
    port = s3server.free_port()
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port)], cwd=REPO,
                            env=sijill_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/health/", timeout=2)
            break
        except OSError:
            assert time.monotonic() < deadline and proc.poll() is None, "sijill serve did not start"
            time.sleep(0.3)
    try:
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=180)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        try:
            yield b
        finally:
            b.close()


def _login(page, base: str, name: str) -> None:
    page.goto(base + "/login/")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_a_clerk_registers_reviews_and_routes_and_others_see_nothing_confidential(
    server: str, browser, tmp_path: Path
) -> None:
    shots = tmp_path / "screenshots"
    shots.mkdir()
    files = []
    for i, letter in enumerate([letters.ARABIC_LETTERS[0], letters.ARABIC_LETTERS[1], letters.FRENCH_LETTERS[0]]):
        f = tmp_path / f"lettre-{i + 1}.pdf"
        f.write_bytes(letters.born_digital_pdf(letter, visual_order=letter.language == "ar"))
        files.append(str(f))

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _login(page, server, "clerk")
    assert page.url.endswith("/intake/")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"

    # Upload three letters; the page follows them until each has its number.
    page.set_input_files("#files", files)
    page.click("#intake button[type=submit]")
    page.wait_for_function("document.querySelectorAll('#tasks tr[data-status=registered]').length === 3",
                           timeout=180_000)  # fmt: skip
    numbers = page.eval_on_selector_all("#tasks tr[data-status=registered] a.num", "els => els.map(e => e.textContent)")
    assert len(set(numbers)) == 3
    page.screenshot(path=str(shots / "intake.png"), full_page=True)

    # Review: correct the subject of one letter and confirm it with the Enter key.
    page.goto(f"{server}/review/{numbers[0]}/")
    page.screenshot(path=str(shots / "review.png"), full_page=True)
    page.fill("textarea[name=subject]", "طلب رخصة إصلاح سقف — مصحح")
    page.focus("input[name=sender]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "تم تأكيد" in page.content()

    # Route the others to urbanisme in bulk.
    page.goto(server + "/review/")
    for n in numbers[1:]:
        page.check(f"input[name=numbers][value='{n}']")
    page.select_option("select[name=services]", "urbanisme")
    with page.expect_navigation():
        page.click("button[name=action][value=route]")

    # The first letter: routed to urbanisme, and confidential.
    page.goto(f"{server}/mail/{numbers[0]}/")
    page.select_option("form[action$='/route'] select[name=services]", "urbanisme")
    with page.expect_navigation():
        page.click("form[action$='/route'] button[type=submit]")
    page.check("input[name=confidential]")
    with page.expect_navigation():
        page.click("form[action$='/confidential'] button[type=submit]")
    # Confidential and routed to urbanisme: the clerk himself, not named on it, no longer sees it.
    assert "404" in page.title() or "غير موجود" in page.content()
    for name, url in (("register", "/register/"), ("search", "/search/?q=رخصة"), ("inbox", "/inbox/")):
        page.goto(server + url)
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)

    # French: left to right.
    with page.expect_navigation():
        page.click("button[name=language][value=fr]")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "ltr"
    assert "Registre" in page.content()
    page.screenshot(path=str(shots / "register-fr.png"), full_page=True)

    # The agent of urbanisme sees it; the agent of état civil sees no trace of it.
    agent = browser.new_page()
    _login(agent, server, "agent")
    agent.goto(f"{server}/search/?q=سقف")
    assert numbers[0] in agent.content()
    agent.screenshot(path=str(shots / "search-agent.png"), full_page=True)
    agent.goto(f"{server}/mail/{numbers[0]}/")
    assert "سري" in agent.content() and "مصحح" in agent.content()
    agent.screenshot(path=str(shots / "letter.png"), full_page=True)
    other = browser.new_page()
    _login(other, server, "other")
    for url in ("/inbox/?status=", "/search/?q=سقف", "/search/?type=urbanisme", "/overdue/"):
        other.goto(server + url)
        html = other.content()
        assert numbers[0] not in html and "مصحح" not in html, url
        if url.startswith("/search/"):
            assert 'data-total="0"' in html, url
    response = other.goto(f"{server}/mail/{numbers[0]}/")
    assert response is not None and response.status == 404
    response = other.goto(f"{server}/mail/{numbers[0]}/original")
    assert response is not None and response.status == 404
    assert len(list(shots.glob("*.png"))) >= 8


def test_a_citizen_files_a_letter_online_and_tracks_it(server: str, browser, home: Path, tmp_path: Path) -> None:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from signing.sign import load_pkcs12

    letter = tmp_path / "demande.pdf"
    letter.write_bytes(letters.born_digital_pdf(letters.ARABIC_LETTERS[0], visual_order=True))
    page = browser.new_page(viewport={"width": 1000, "height": 1200})
    page.goto(server + "/depot/")
    assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
    assert "09-08" in page.content()
    page.fill("input[name=name]", "فاطمة الزهراء بناني")
    page.fill("input[name=id_number]", "BE 765432")
    page.fill("input[name=contact]", "0661223344")
    page.select_option("select[name=service]", "urbanisme")
    page.fill("input[name=subject]", "طلب رخصة إصلاح سقف")
    page.set_input_files("input[name=files]", [str(letter)])
    page.check("input[name=consent]")
    with page.expect_navigation():
        page.click("form button[type=submit]")
    number = page.text_content("#deposit-number")
    code = page.text_content("#tracking-code")
    assert number and number.startswith("A-") and code and len(code) == 10
    page.screenshot(path=str(tmp_path / "deposit-done.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#receipt-link")
    data = Path(download.value.path()).read_bytes()
    seal = load_pkcs12(home / "seal" / "seal.p12", (home / "seal" / "seal.secret").read_text()).signer.signing_cert
    from concurrent.futures import ThreadPoolExecutor

    def validate():  # pyHanko runs its own event loop: not in Playwright's thread
        sig = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
        return validate_pdf_signature(sig, ValidationContext(trust_roots=[seal]))

    with ThreadPoolExecutor(1) as pool:
        status = pool.submit(validate).result()
    assert status.intact and status.valid and status.trusted  # sealed with the office's seal
    page.goto(f"{server}/depot/suivi/?n={number}")
    page.fill("input[name=code]", code)
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    assert page.get_attribute("#deposit-status", "data-status") in ("registered", "routed")
    assert "سقف" not in page.inner_text("main")  # the status only, never the content
