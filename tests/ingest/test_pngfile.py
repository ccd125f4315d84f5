"""The page PNG Tesseract reads: PIL reads back the same pixels and resolution."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from ingest.pngfile import grey_png


def test_pixels_and_resolution_survive() -> None:
    rng = np.random.default_rng(5)
    for shape in [(1, 1), (1, 7), (7, 1), (53, 37)]:
        a = rng.integers(0, 256, shape, dtype=np.uint8)
        back = Image.open(io.BytesIO(grey_png(Image.fromarray(a), 300)))
        assert back.mode == "L" and np.array_equal(np.asarray(back), a), shape
        assert round(back.info["dpi"][0]) == 300


def test_a_colour_image_is_written_grey() -> None:
    back = Image.open(io.BytesIO(grey_png(Image.new("RGB", (4, 3), (255, 255, 255)), 200)))
    assert back.mode == "L" and np.asarray(back).min() == 255
