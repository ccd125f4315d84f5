"""Splitting a bulk scan (many letters in one PDF/TIFF) into letters.

Two kinds of separator, chosen per migration (a hot folder always looks for sheets):
* ``blank``: an empty page between letters (scanner operators often insert one);
* ``sheet``: Sijill's separator sheet (`sijill migrate separator-sheet FILE [--service ID]`):
  a QR code (``SIJILL-SEPARATOR``, and the service the next letter goes to) read with zxing-cpp,
  and a large solid black block in the middle, recognised even where a poor scan spoils the QR.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ingest.intake import FileKind

BLANK_INK = 0.002  # share of dark pixels below which a page is empty
SHEET_BLOCK = 0.70  # share of dark pixels in the middle of a separator sheet
SHEET_PAYLOAD = "SIJILL-SEPARATOR"
_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/opentype/fonts-hosny-amiri"))


def _font(name: str, size: int):
    for d in _FONT_DIRS:
        if (d / name).is_file():
            return ImageFont.truetype(str(d / name), size)
    return ImageFont.load_default()


def payload(service: str | None = None) -> str:
    return SHEET_PAYLOAD + (f";service={service}" if service else "")


def read_payload(text: str) -> dict[str, str] | None:
    """What a separator's QR code says (``{"service": …}``), or None for any other QR code."""
    head, *rest = text.strip().split(";")
    if head != SHEET_PAYLOAD:
        return None
    pairs = (item.partition("=") for item in rest)
    return {k.strip(): v.strip()[:64] for k, _, v in pairs if k.strip() in {"service"} and v.strip()}


def separator_sheet(dpi: int = 150, service: str | None = None, service_label: str = "") -> bytes:
    """A4 separator sheet as PDF: QR code (with the service, if any), black block, bilingual label."""
    import qrcode

    w, h = int(8.27 * dpi), int(11.69 * dpi)
    page = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(page)
    draw.rectangle((int(w * 0.15), int(h * 0.32), int(w * 0.85), int(h * 0.70)), fill=0)
    qr = qrcode.make(payload(service), box_size=10, border=4).get_image().convert("L")
    qr = qr.resize((int(dpi * 2.0), int(dpi * 2.0)), Image.NEAREST)
    page.paste(qr, ((w - qr.width) // 2, int(h * 0.05)))
    label = _font("DejaVuSans-Bold.ttf", int(dpi * 0.35))
    draw.text((w // 2, int(h * 0.78)), "SÉPARATEUR — SIJILL", font=label, fill=0, anchor="mm")
    arabic = _font("Amiri-Regular.ttf", int(dpi * 0.45))
    draw.text((w // 2, int(h * 0.85)), "فاصل بين الرسائل", font=arabic, fill=0, anchor="mm", direction="rtl")
    if service:
        where = _font("DejaVuSans.ttf", int(dpi * 0.25))
        draw.text((w // 2, int(h * 0.92)), f"→ {service_label or service}", font=where, fill=0, anchor="mm")
    out = io.BytesIO()
    page.save(out, "PDF", resolution=dpi)
    return out.getvalue()


def _dark_share(img: Image.Image) -> float:
    hist = img.convert("L").histogram()
    return sum(hist[:128]) / max(1, img.width * img.height)


def is_blank(page: Image.Image) -> bool:
    w, h = page.size
    inner = page.crop((int(w * 0.04), int(h * 0.04), int(w * 0.96), int(h * 0.96)))  # scanner edges
    return _dark_share(inner) < BLANK_INK


def is_sheet(page: Image.Image) -> bool:
    w, h = page.size
    return _dark_share(page.crop((int(w * 0.25), int(h * 0.35), int(w * 0.75), int(h * 0.65)))) > SHEET_BLOCK


def page_images(path: Path, kind: FileKind, dpi: int = 40):
    """Small renderings of every page, one at a time."""
    if kind is FileKind.PDF:
        import pypdfium2 as pdfium

        from ingest.pages import PDFIUM_LOCK

        with PDFIUM_LOCK:
            doc = pdfium.PdfDocument(path)
            try:
                images = [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
            finally:
                doc.close()
        yield from images
        return
    with Image.open(path) as img:
        for i in range(getattr(img, "n_frames", 1)):
            img.seek(i)
            frame = img.convert("L")
            frame.thumbnail((int(8.27 * dpi), int(11.69 * dpi)))
            yield frame


def groups(path: Path, kind: FileKind, mode: str) -> list[list[int]]:
    """Page indexes of each letter, separators left out."""
    return [pages for pages, _ in letters(path, kind, mode)]


def sheet_qr(page: Image.Image) -> dict[str, str] | None:
    """The separator payload of a page's QR codes, if it carries Sijill's."""
    import zxingcpp

    for code in zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode):
        found = read_payload(code.text)
        if found is not None:
            return found
    return None


def letters(path: Path, kind: FileKind, mode: str = "sheet") -> list[tuple[list[int], dict[str, str]]]:
    """Each letter's page indexes with what its separator sheet says (the service to route it
    to); separators left out. Pages are read at 100 dpi: enough for the sheet's QR code."""
    out: list[tuple[list[int], dict[str, str]]] = [([], {})]
    for i, img in enumerate(page_images(path, kind, dpi=40 if mode == "blank" else 100)):
        if mode == "blank":
            separator = {} if is_blank(img) else None
        else:
            separator = sheet_qr(img)
            if separator is None and is_sheet(img):
                separator = {}  # the black block: a sheet whose QR code did not survive the scan
        if separator is not None:
            out.append(([], separator))
        else:
            out[-1][0].append(i)
    return [(pages, info) for pages, info in out if pages]


def part_bytes(path: Path, kind: FileKind, pages: list[int]) -> bytes:
    """One letter's pages as a PDF: PDF pages copied as they are; image pages embedded."""
    out = io.BytesIO()
    if kind is FileKind.PDF:
        import pikepdf

        with pikepdf.open(path) as src, pikepdf.new() as dst:
            for i in pages:
                dst.pages.append(src.pages[i])
            dst.save(out, deterministic_id=True)  # the same split gives the same bytes on a re-run
        return out.getvalue()
    with Image.open(path) as img:
        frames = []
        for i in pages:
            img.seek(i)
            frames.append(img.convert("L" if img.mode not in ("1", "L") else img.mode).copy())
    dpi = 300
    # No creation date: the same split must give the same bytes on a re-run.
    frames[0].save(out, "PDF", save_all=True, append_images=frames[1:], resolution=dpi, creationDate=None, modDate=None)
    return out.getvalue()
