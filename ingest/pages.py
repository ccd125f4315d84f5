"""Pages of an original: which have a usable text layer, and images of the others.

Opening and checking a file happens here, so every way a file can be unreadable is
turned into one specific, clerk-readable error before any OCR starts.
"""

from __future__ import annotations

import io
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError

from config.errors import CorruptFile, DecompressionBomb, EncryptedPDF, TooManyPages
from ingest.intake import FileKind
from ingest.textlayer import TextLayer, read_pdfium_page


@dataclass(frozen=True)
class PagePlan:
    index: int
    text_layer: TextLayer | None  # set when the page's own text is used (no OCR)

    @property
    def needs_ocr(self) -> bool:
        return self.text_layer is None or not self.text_layer.usable


def _check_pdf_complete(data: bytes) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise CorruptFile("The PDF is truncated (its end is missing): the scan or copy did not finish.")


# pdfium is not thread-safe: every use in a process goes through this lock (files are planned
# side by side in threads; two unlocked pdfium calls at once corrupt its heap).
PDFIUM_LOCK = threading.RLock()


def _open_pdf(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedPDF("The PDF is protected by a password. Ask the sender for an unprotected copy.") from None
        raise CorruptFile(f"The PDF cannot be read ({exc}).") from None


def _check_pdf_images(data: bytes, max_pixels: int) -> None:
    """Refuse PDFs whose embedded images would blow up memory when decoded."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for n, page in enumerate(pdf.pages, start=1):
                for _, obj in page.get_images().items():  # nested in form XObjects too
                    w, h = int(obj.get("/Width", 0)), int(obj.get("/Height", 0))
                    if w * h > max_pixels:
                        raise DecompressionBomb(
                            f"Page {n} holds an image of {w}×{h} pixels, more than the "
                            f"{max_pixels:,} allowed: refused as a possible decompression bomb."
                        )
    except pikepdf.PasswordError:
        raise EncryptedPDF("The PDF is protected by a password. Ask the sender for an unprotected copy.") from None
    except pikepdf.PdfError as exc:
        detail = str(exc).split(": ", 1)[-1]  # drop pikepdf's stream repr
        raise CorruptFile(f"The PDF is damaged ({detail}).") from None


def _open_image(data: bytes, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.width * img.height > max_pixels:
                raise DecompressionBomb(
                    f"The image is {img.width}×{img.height} pixels, more than the {max_pixels:,} "
                    "allowed: refused as a possible decompression bomb."
                )
            return img
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DecompressionBomb("The image is too large to open safely (decompression bomb).") from None
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise CorruptFile(f"The image cannot be read ({exc}).") from None


def plan_pages(data: bytes, kind: FileKind, max_pages: int, max_pixels: int, dpi: int = 300) -> list[PagePlan]:
    """Open the file, check it, and decide page by page between text layer and OCR."""
    if kind is FileKind.PDF:
        _check_pdf_complete(data)
        _check_pdf_images(data, max_pixels)
        with PDFIUM_LOCK:
            return _plan_pdf_pages(data, max_pages, max_pixels, dpi)
    img = _open_image(data, max_pixels)
    try:
        frames = getattr(img, "n_frames", 1)
        if frames > max_pages:
            raise TooManyPages(f"The image has {frames} pages; at most {max_pages} are accepted in one file.")
        for i, frame in enumerate(ImageSequence.Iterator(img)):
            if frame.width * frame.height > max_pixels:
                raise DecompressionBomb(f"Page {i + 1} is too large to open safely.")
            frame.load()  # decode now so that truncation is found before OCR
        return [PagePlan(i, None) for i in range(frames)]
    except (OSError, SyntaxError, ValueError) as exc:
        raise CorruptFile(f"The image cannot be read completely ({exc}).") from None
    finally:
        img.close()


def image_dpi(img: Image.Image) -> float:
    """Resolution from the file, else guessed from an A4 page width."""
    dpi = img.info.get("dpi")
    if dpi and dpi[0] and float(dpi[0]) > 30:
        return float(dpi[0])
    return max(72.0, min(600.0, min(img.width, img.height) / 8.27))


def _plan_pdf_pages(data: bytes, max_pages: int, max_pixels: int, dpi: int) -> list[PagePlan]:
    doc = _open_pdf(data)
    try:
        n = len(doc)
        if n == 0:
            raise CorruptFile("The PDF has no pages.")
        if n > max_pages:
            raise TooManyPages(f"The PDF has {n} pages; at most {max_pages} are accepted in one file.")
        plans = []
        for i in range(n):
            page = doc[i]
            w, h = page.get_size()
            if (w / 72 * dpi) * (h / 72 * dpi) > max_pixels:
                raise DecompressionBomb(
                    f"Page {i + 1} measures {w / 72:.0f}×{h / 72:.0f} inches; rendering it would "
                    "exceed the pixel limit."
                )
            plans.append(PagePlan(i, read_pdfium_page(page)))
            page.close()
        return plans
    finally:
        doc.close()


def render_page(path: Path, kind: FileKind, index: int, dpi: int) -> tuple[Image.Image, float]:
    """The image of one page, for OCR: PDF pages rasterised at ``dpi``, image pages as scanned.

    Opened from the path, not read whole: a worker needs one page of what may be a long file.
    """
    if kind is FileKind.PDF:
        import pypdfium2 as pdfium

        with PDFIUM_LOCK:
            doc = pdfium.PdfDocument(path)
            try:
                page = doc[index]
                bitmap = page.render(scale=dpi / 72, grayscale=True)
                return bitmap.to_pil().convert("L"), float(dpi)
            finally:
                doc.close()
    with Image.open(path) as img:
        img.seek(index)
        return img.copy(), image_dpi(img)
