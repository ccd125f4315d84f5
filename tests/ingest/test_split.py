"""Cutting bulk scans into letters at blank pages or separator sheets."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from ingest.intake import FileKind
from ingest.split import groups, is_sheet, part_bytes, separator_sheet
from tests.conftest import run_sijill
from tests.fixtures import letters


def _bulk_pdf(parts: list[bytes]) -> bytes:
    out = io.BytesIO()
    with pikepdf.new() as dst:
        for data in parts:
            with pikepdf.open(io.BytesIO(data)) as src:
                dst.pages.extend(src.pages)
        dst.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def pages() -> dict[str, bytes]:
    return {
        "fr": letters.born_digital_pdf(letters.FRENCH_LETTERS[0]),
        "ar": letters.born_digital_pdf(letters.ARABIC_LETTERS[0], visual_order=True),
        "ar2": letters.born_digital_pdf(letters.ARABIC_LETTERS[1], visual_order=True),
        "sheet": separator_sheet(),
    }


def test_a_printed_and_scanned_separator_sheet_is_recognised(pages) -> None:
    doc = pdfium.PdfDocument(pages["sheet"])
    printed = doc[0].render(scale=150 / 72, grayscale=True).to_pil().convert("L")
    doc.close()
    scanned = letters.scan(printed, angle=1.5, noise=0.02)  # crooked, noisy copy
    assert is_sheet(scanned.resize((scanned.width // 4, scanned.height // 4)))
    letter_page = letters.scan(letters.render(letters.ARABIC_LETTERS[0], 100))
    assert not is_sheet(letter_page)


def test_split_a_pdf_at_sheets(tmp_path: Path, pages) -> None:
    f = tmp_path / "bulk.pdf"
    f.write_bytes(_bulk_pdf([pages["fr"], pages["sheet"], pages["ar"], pages["ar"], pages["sheet"]]))
    assert groups(f, FileKind.PDF, "sheet") == [[0], [2, 3]]
    part = part_bytes(f, FileKind.PDF, [2, 3])
    assert part == part_bytes(f, FileKind.PDF, [2, 3])  # the same bytes on a re-run: no duplicates
    with pikepdf.open(io.BytesIO(part)) as pdf:
        assert len(pdf.pages) == 2


def test_split_a_tiff_at_blank_pages(tmp_path: Path) -> None:
    a = letters.scan(letters.render(letters.FRENCH_LETTERS[0], 100))
    b = letters.scan(letters.render(letters.ARABIC_LETTERS[1], 100))
    blank = letters.scan(Image.new("L", a.size, 255), noise=0.0005)  # a few specks of dust
    f = tmp_path / "bulk.tif"
    a.save(f, save_all=True, append_images=[blank, b, blank], compression="tiff_lzw")
    assert groups(f, FileKind.TIFF, "blank") == [[0], [2]]


def test_migrate_split_registers_each_letter_and_verifies(tmp_path: Path, pages) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "boite1.pdf").write_bytes(
        _bulk_pdf([pages["fr"], pages["sheet"], pages["ar"], pages["sheet"], pages["ar2"]])
    )
    (src / "seule.pdf").write_bytes(pages["ar"] + b"\n% seule\n")
    (tmp_path / "r.csv").write_text("file,legacy_number\nboite1.pdf,77/99\n", encoding="utf-8")
    home = tmp_path / "home"
    args = ["migrate", str(src), "--manifest", str(tmp_path / "r.csv"), "--split", "sheet"]
    res = run_sijill(home, *args)
    assert res.returncode == 0, res.stderr
    assert "1 split into 3 letters (3 archived" in " ".join(res.stderr.split())
    entries = [json.loads(x) for x in run_sijill(home, "list", "--json").stdout.splitlines()]
    assert len(entries) == 4
    part = json.loads(run_sijill(home, "show", entries[0]["registry_number"], "--json").stdout)
    assert part["pages"] == 1
    assert run_sijill(home, "migrate", "verify", str(src)).returncode == 0
    again = run_sijill(home, *args)
    assert "0 files to go" in again.stderr and len(run_sijill(home, "list", "--json").stdout.splitlines()) == 4
    sheet = tmp_path / "sheet.pdf"
    assert run_sijill(home, "migrate", "separator-sheet", str(sheet)).returncode == 0
    assert sheet.read_bytes().startswith(b"%PDF")
