"""Real Tesseract on rendered pages (a few seconds each)."""

import io
import math
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageFilter
from rapidfuzz.distance import Levenshtein

from ingest import orientation, refline, searchable
from ingest.ocr import ocr_image
from tests.fixtures import letters

pytestmark = pytest.mark.ocr


def cer(got: str, truth: str) -> float:
    def norm(s: str) -> str:
        s = unicodedata.normalize("NFKC", s)
        s = re.sub("[\u064b-\u0652\u0640]", "", s)
        return " ".join(s.split())

    return Levenshtein.normalized_distance(norm(got), norm(truth))


@pytest.fixture(scope="module")
def arabic_page() -> Image.Image:
    return letters.scan(letters.render(letters.ARABIC_LETTERS[0], 300), angle=1.2)


def test_arabic_scan_is_read_in_logical_order(arabic_page: Image.Image) -> None:
    res = ocr_image(arabic_page, 300)
    assert res.languages == ["ar"] and res.tesseract_langs == "ara"
    assert cer(res.text, letters.ARABIC_LETTERS[0].text) < 0.05, res.text
    assert "2026/1432" in res.text  # digits as printed, left to right
    assert abs(res.skew + 1.2) <= 0.3
    assert res.words and all(0 <= w.confidence <= 100 for w in res.words)
    assert not re.search("[\u200e\u200f]", res.text)


def test_a_reference_line_read_again_is_checked_against_the_pages_reading(
    arabic_page: Image.Image, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = refline.keep_page_reference

    def spy(text: str, rereads: list) -> str:
        calls.append(text)
        return real(text, rereads)

    monkeypatch.setattr(refline, "keep_page_reference", spy)
    res = ocr_image(arabic_page, 300)
    assert len(calls) == 1 and "2026/1432" in res.text


def test_upside_down_arabic_page_is_turned(arabic_page: Image.Image) -> None:
    res = ocr_image(arabic_page.rotate(180), 300)
    assert res.rotation == 180
    assert cer(res.text, letters.ARABIC_LETTERS[0].text) < 0.05, res.text


def test_an_upside_down_page_of_small_print_is_turned() -> None:
    # At 6 pt the copy reduced for OSD keeps too little detail to be sure of the turn; the page
    # itself is then asked (a poor 150 dpi copy loses that detail the same way).
    page = letters.render(letters.FRENCH_LETTERS[0], 300, size_pt=6).rotate(180).filter(ImageFilter.GaussianBlur(0.6))
    found = orientation.detect(page, 300)
    assert found.applied == 180 and found.script == "Latin"


@pytest.mark.parametrize("upside_down", [True, False])
def test_a_turn_osd_proposes_unsurely_is_decided_by_the_reading(
    arabic_page: Image.Image, upside_down: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On poor copies OSD proposes the right turn of an upside-down page, and wrong turns of
    # upright ones, with the same low confidence (below 1, against 1.5 to apply one).
    proposal = 180 if upside_down else 90
    monkeypatch.setattr(orientation, "detect", lambda grey, dpi: orientation.Orientation(proposal, 0.8, "Arabic", 20.0))
    res = ocr_image(arabic_page.rotate(180) if upside_down else arabic_page, 300)
    assert res.rotation == (180 if upside_down else 0)
    assert cer(res.text, letters.ARABIC_LETTERS[0].text) < 0.05, res.text


def test_a_turn_applied_unsurely_is_checked_against_the_page_as_it_lies(
    arabic_page: Image.Image, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A grey 150 dpi copy, upright, was turned at 2.1 (1.5 applies a turn on Arabic).
    monkeypatch.setattr(orientation, "detect", lambda grey, dpi: orientation.Orientation(180, 2.1, "Arabic", 9.0))
    res = ocr_image(arabic_page, 300)
    assert res.rotation == 0
    assert cer(res.text, letters.ARABIC_LETTERS[0].text) < 0.05, res.text


def test_which_other_turn_the_reading_is_asked_about() -> None:
    assert orientation.Orientation(180, 0.8, "Arabic", 9.0).other_turn == 180  # proposed, not applied
    assert orientation.Orientation(90, 2.1, "Arabic", 9.0).other_turn == 0  # applied, unsurely
    assert orientation.Orientation(180, 7.5, "Arabic", 9.0).other_turn is None  # applied, surely
    assert orientation.Orientation(0, 3.0, "Arabic", 9.0).other_turn is None  # upright


def test_french_page_uses_french_model() -> None:
    page = letters.scan(letters.render(letters.FRENCH_LETTERS[0], 200), angle=-0.8)
    res = ocr_image(page, 200)  # 200 dpi scan: enlarged before OCR
    assert res.tesseract_langs == "fra" and res.languages == ["fr"]
    assert cer(res.text, letters.FRENCH_LETTERS[0].text) < 0.02, res.text


def test_noisy_page_is_despeckled_and_still_read() -> None:
    page = letters.scan(letters.render(letters.ARABIC_LETTERS[1], 300), angle=0.5, noise=0.03, seed=3)
    res = ocr_image(page, 300)
    assert res.despeckled
    assert cer(res.text, letters.ARABIC_LETTERS[1].text) < 0.10, res.text


def test_a_thin_font_scanned_black_and_white_is_not_lost_to_the_despeckling() -> None:
    # A bilevel scan (TIFF G4, as office scanners make) of a thin font: its specks trigger the
    # median, which also erases its one-pixel strokes (CER 0.30 when only the despeckled page
    # was read).
    thin = letters.render(letters.ARABIC_LETTERS[1], 300, font="Scheherazade-Regular.ttf", size_pt=12)
    page = letters.scan(thin, angle=0.5, blur=0.7, noise=0.0005)
    page = Image.open(io.BytesIO(letters.to_bytes(page, "TIFF-G4", 300)))
    res = ocr_image(page, 300)
    assert not res.despeckled
    assert cer(res.text, letters.ARABIC_LETTERS[1].text) < 0.05, res.text


def test_a_poor_copy_unreadable_as_it_is_is_read_after_clean_up() -> None:
    page = letters.photocopy(letters.render(letters.ARABIC_LETTERS[0], 300), paper=170, grain=28)
    as_is = ocr_image(page, 300, noise_threshold=math.inf, few_words=0)  # the clean-up switched off
    assert cer(as_is.text, letters.ARABIC_LETTERS[0].text) > 0.5
    res = ocr_image(page, 300)
    assert res.background_evened and res.despeckled
    assert cer(res.text, letters.ARABIC_LETTERS[0].text) < 0.05, res.text


def test_a_page_read_as_nothing_is_read_again_cleaned() -> None:
    # Grey paper, pale ink and the dark margin of a skewed original, without grain: the noise
    # measure sees a clean page, and Tesseract's own thresholding keeps no text at all.
    import numpy as np

    letter = letters.ARABIC_LETTERS[0]
    ink = np.asarray(letters.render(letter, 300).convert("L"), dtype=np.float32) / 255
    shade = 190 * ink + 120 * (1 - ink)
    shade[:, : int(shade.shape[1] * 0.45)] = 25
    page = Image.fromarray(shade.astype(np.uint8))
    res = ocr_image(page, 300)
    assert res.background_evened
    assert cer(res.text, letter.text) < 0.10, res.text


def test_a_mild_copy_keeps_the_surer_plain_reading() -> None:
    page = letters.photocopy(letters.render(letters.ARABIC_LETTERS[0], 300), paper=215, grain=9)
    res = ocr_image(page, 300)
    assert not res.background_evened  # both were read; the clean-up was not surer
    assert cer(res.text, letters.ARABIC_LETTERS[0].text) < 0.05, res.text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_searchable_copy_copies_arabic_words_and_digits_in_order(arabic_page: Image.Image, tmp_path: Path) -> None:
    res = ocr_image(arabic_page, 300)
    pdf = tmp_path / "copy.pdf"
    pdf.write_bytes(searchable.build(None, [(0, res.pdf)]))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub("[\u200e\u200f\u202a-\u202e]", "", text)
    assert "المملكة المغربية" in text
    assert "2026/1432" in text
    # pdftotext places neutral spaces on its own; the words and digits keep their order.
    assert re.search(r"في\s*14\s*شتنبر\s*2026", text), text
    # It is the archive copy: PDF/A-2b as far as pikepdf can tell (no veraPDF here).
    import pikepdf

    from ingest.pdfa import conformance_problems

    with pikepdf.open(pdf) as copy:
        assert conformance_problems(copy) == []
    assert searchable.build(None, [(0, res.pdf)]) == pdf.read_bytes()  # still byte-stable


def test_a_reading_without_its_pdf_page_reads_the_same(arabic_page: Image.Image) -> None:
    from ingest import ocr_params, preprocess
    from ingest.tesseract import engine

    grey = preprocess.to_grey(arabic_page)
    params = ocr_params.build("ara", 300)
    full, bare = engine().page(grey, params, 60), engine().page(grey, params, 60, pdf=False)
    assert full.pdf.startswith(b"%PDF") and bare.pdf == b""
    assert bare.text == full.text and bare.words == full.words
