"""Page orientation from Tesseract's OSD, with thresholds that suit Arabic."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from ingest.tesseract import engine

# OSD finds Arabic pages' orientation correctly but with low confidence (measured 4–10,
# against 15–25 for Latin pages): OCRmyPDF's threshold of 14 leaves upside-down Arabic
# pages unturned. Below these, the page is left as it is.
MIN_CONFIDENCE = {"Arabic": 1.5, "Latin": 3.0}
DEFAULT_MIN_CONFIDENCE = 3.0
# A turn applied with less confidence than this is checked against the page as it lies (a grey
# 150 dpi Arabic copy, upright, was turned a quarter at 2.1).
SURE = {"Arabic": 4.0, "Latin": 6.0}
DEFAULT_SURE = 6.0
REDUCED_DPI = 200


@dataclass(frozen=True)
class Orientation:
    rotate: int  # clockwise degrees to apply so that text is upright (0/90/180/270)
    confidence: float
    script: str | None
    script_confidence: float

    @property
    def applied(self) -> int:
        threshold = MIN_CONFIDENCE.get(self.script or "", DEFAULT_MIN_CONFIDENCE)
        return self.rotate if self.confidence >= threshold else 0

    @property
    def other_turn(self) -> int | None:
        """The turn the page's own reading should be tried with too, when OSD is unsure: the
        one it proposed but did not apply, or none where it applied one below ``SURE``."""
        if self.rotate != self.applied:
            return self.rotate
        if self.applied and self.confidence < SURE.get(self.script or "", DEFAULT_SURE):
            return 0
        return None


def detect(grey: Image.Image, dpi: int) -> Orientation:
    """Run OSD on a reduced copy (orientation needs no fine detail, and it is 4× faster).

    A turn it proposes too unsurely to apply is asked again of the page itself: on a poor copy
    the reduced one loses the detail OSD needs (an upside-down French page at 150 dpi: 2.7 on
    the reduced copy, 4.5 on the page), and a page left upside down is read as nothing."""
    if dpi <= REDUCED_DPI:
        return _read(grey, dpi)
    f = REDUCED_DPI / dpi
    found = _read(grey.resize((int(grey.width * f), int(grey.height * f)), Image.BILINEAR), REDUCED_DPI)
    if found.rotate and not found.applied:
        return _read(grey, dpi)
    return found


def _read(grey: Image.Image, dpi: int) -> Orientation:
    osd = engine().osd(grey, dpi)
    if not osd:  # too few characters: a nearly blank page, nothing to turn
        return Orientation(0, 0.0, None, 0.0)
    return Orientation(
        # Tesseract gives how far the text is turned; undoing it is the other way round
        # (what the `tesseract --psm 0` program prints as "Rotate").
        rotate=(360 - int(osd.get("orient_deg", 0))) % 360,
        confidence=float(osd.get("orient_conf", 0.0)),
        script=str(osd.get("script_name")) if osd.get("script_name") else None,
        script_confidence=float(osd.get("script_conf", 0.0)),
    )


def apply(grey: Image.Image, rotate_clockwise: int) -> Image.Image:
    if rotate_clockwise % 360 == 0:
        return grey
    # PIL rotates counter-clockwise; transpose is exact (no resampling).
    return grey.transpose(
        {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}[
            rotate_clockwise % 360
        ]
    )
