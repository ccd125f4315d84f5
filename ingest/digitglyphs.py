"""Glyphs told apart by their shapes in the Arabic fonts of this machine: digits here, the
Arabic comma in ``commas``.

The shapes are drawn once per machine (``drawn_model``) from every font ``fc-list :lang=ar``
lists: the Eastern Arabic digits ٠–٩, the Western ones, the slash, and letters and marks that a
word of digits is never made of (so that a letter is refused, not read as the nearest digit). A glyph cut out of a
scan is read as the label of its nearest shape.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from lang.folding import EASTERN_DIGITS as EASTERN
from lang.folding import WESTERN_DIGITS as WESTERN

SLASH = "/"
DOT = "."  # the Eastern zero and a full stop share a shape; their height tells them apart
# Isolated letters and marks: near a digit in shape (ا and ١, ه and ٥, و and ٩, ح and ٢ …).
OTHERS = "ابتجحدرسصطعفقكلمنهويةىءأإآ:؛،-()«»"
OTHER = "?"
SIDE = 20  # a glyph is compared at SIDE × SIDE
SIZE_PX = 56  # drawn this large
ASPECT_WEIGHT = 3.0  # how much a glyph's width-to-height ratio counts against its pixels


@dataclass(frozen=True)
class GlyphModel:
    features: np.ndarray  # one row per drawn shape
    labels: list[str]  # a digit, SLASH, DOT or OTHER
    fonts: list[str]  # the font file each shape was drawn from
    western: frozenset[str]  # the fonts that have Western digits too
    norms: np.ndarray = field(init=False, repr=False)  # |row|², for distances by one product

    def __post_init__(self) -> None:
        object.__setattr__(self, "norms", (self.features * self.features).sum(axis=1))

    def read(self, glyphs: list[np.ndarray]) -> list[tuple[str, float, str]]:
        """(label, distance, font) of the shape nearest each binary glyph image (ink = True)."""
        if not glyphs:
            return []
        d2 = self._squared_distances(glyphs)
        nearest = d2.argmin(axis=1)
        out = []
        for row, i in enumerate(nearest):
            out.append((self.labels[i], float(np.sqrt(max(d2[row, i], 0.0))), self.fonts[i]))
        return out

    def nearest_of(self, glyphs: list[np.ndarray], labels: str) -> list[tuple[str, float]]:
        """(label, distance) of the shape nearest each glyph among those under one of ``labels``."""
        among = np.array([label in labels for label in self.labels], dtype=bool)
        if not glyphs or not among.any():
            return [("", np.inf)] * len(glyphs)
        d2 = np.where(among[None, :], self._squared_distances(glyphs), np.inf)
        nearest = d2.argmin(axis=1)
        return [(self.labels[i], float(np.sqrt(max(d2[row, i], 0.0)))) for row, i in enumerate(nearest)]

    def _squared_distances(self, glyphs: list[np.ndarray]) -> np.ndarray:
        q = np.stack([features(g) for g in glyphs])
        # |q - t|² = |q|² + |t|² - 2 q·t: one product for the whole line, not one pass per glyph
        return (q * q).sum(axis=1)[:, None] + self.norms[None, :] - 2 * q @ self.features.T


def features(glyph: np.ndarray) -> np.ndarray:
    """The glyph centred in a square, scaled to SIDE × SIDE, and its aspect ratio."""
    h, w = glyph.shape
    side = max(h, w)
    square = np.zeros((side, side), dtype=np.uint8)
    top, left = (side - h) // 2, (side - w) // 2
    square[top : top + h, left : left + w] = glyph.astype(np.uint8) * 255
    small = Image.fromarray(square).resize((SIDE, SIDE), Image.BILINEAR)
    pixels = np.asarray(small, dtype=np.float32).ravel() / 255.0
    aspect = np.log(w / h) if h and w else 0.0
    return np.concatenate([pixels, [ASPECT_WEIGHT * aspect]]).astype(np.float32)


def arabic_fonts() -> list[str]:
    """Files of the fonts that cover Arabic (fontconfig), in a stable order."""
    try:
        out = subprocess.run(
            ["fc-list", ":lang=ar", "file"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})


def _ink(font: ImageFont.FreeTypeFont, ch: str) -> np.ndarray | None:
    img = Image.new("L", (SIZE_PX * 3, SIZE_PX * 3), 0)
    ImageDraw.Draw(img).text((SIZE_PX, SIZE_PX // 2), ch, font=font, fill=255)
    ink = np.asarray(img) > 127
    return _cropped(ink) if ink.any() else None


def _worn(ink: np.ndarray) -> list[np.ndarray]:
    """The glyph as a low-resolution scan shows it once enlarged (shapes bled thick or worn thin
    were tried too: with them clean digits were misread, ٣ as ٢ and ٠ as ٨)."""
    img = Image.fromarray(np.pad(ink, 4).astype(np.uint8) * 255)
    small = img.resize((max(1, img.width * 3 // 10), max(1, img.height * 3 // 10)), Image.BOX)
    out = [np.asarray(small.resize(img.size, Image.BILINEAR)) > 127]
    return [_cropped(v) for v in out if v.any()]


def _cropped(ink: np.ndarray) -> np.ndarray:
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def cache_dir() -> Path | None:
    """Where this user's drawn shapes are kept between processes (fontconfig keeps its own
    cache the same way): per machine, because the fonts are."""
    home = os.environ.get("HOME")
    base = os.environ.get("XDG_CACHE_HOME") or (f"{home}/.cache" if home else "")
    return Path(base) / "sijill" if base else None


def drawn_model(chars: str, label: Callable[[str], str], worn: str = "") -> GlyphModel:
    """The shapes of ``chars`` in this machine's Arabic fonts, each under ``label(ch)``; those in
    ``worn`` also as a low-resolution scan shows them. Drawing takes seconds, which each OCR
    process paid on its first Arabic page: the model is kept on disk, under a key made of the
    fonts (path, size, date), the characters and this module's code."""
    fonts = arabic_fonts()
    stamp = [(p, st.st_size, st.st_mtime_ns) for p in fonts if (st := _stat(p))]
    what = json.dumps([chars, worn, [label(c) for c in chars]])
    key = json.dumps([what, stamp, Path(__file__).read_text(encoding="utf-8")])
    folder = cache_dir()
    name = f"glyphs-{_digest(what, 12)}-{_digest(key, 24)}.npz"
    path = folder / name if folder else None
    try:
        if path:
            with np.load(path, allow_pickle=False) as z:
                kept = {k: [str(v) for v in z[k]] for k in ("labels", "fonts", "western")}
                return GlyphModel(z["features"], kept["labels"], kept["fonts"], frozenset(kept["western"]))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        pass  # not drawn yet on this machine, or unreadable: drawn again
    model = _draw(fonts, chars, label, worn)
    if path:
        _keep(model, path)
    return model


def _keep(model: GlyphModel, path: Path) -> None:
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npz", delete=False) as f:
            tmp = f.name
            texts = {"labels": model.labels, "fonts": model.fonts, "western": sorted(model.western)}
            np.savez(f, features=model.features, **{k: np.array(v, dtype=str) for k, v in texts.items()})
        os.replace(tmp, path)  # whole or not at all, when two processes draw at once
        # The same shapes drawn from other fonts or by older code are not read again.
        for old in path.parent.glob(path.name.rsplit("-", 1)[0] + "-*.npz"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        if tmp:
            Path(tmp).unlink(missing_ok=True)  # a full or read-only disk: drawn in each process


def _digest(text: str, length: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _draw(paths: list[str], chars: str, label: Callable[[str], str], worn: str) -> GlyphModel:
    rows: list[np.ndarray] = []
    labels: list[str] = []
    fonts: list[str] = []
    western: set[str] = set()
    for path in paths:
        try:
            font = ImageFont.truetype(path, SIZE_PX)
        except OSError:
            continue
        missing = _ink(font, "\ue000")  # what the font draws for a character it lacks
        for ch in chars:
            ink = _ink(font, ch)
            if ink is None or (missing is not None and ink.shape == missing.shape and (ink == missing).all()):
                continue
            for shape in [ink, *(_worn(ink) if ch in worn else [])]:
                rows.append(features(shape))
                labels.append(label(ch))
                fonts.append(path)
            if ch == "9":
                western.add(path)
    if not rows:
        return GlyphModel(np.zeros((0, SIDE * SIDE + 1), dtype=np.float32), [], [], frozenset())
    return GlyphModel(np.stack(rows), labels, fonts, frozenset(western))


def _label(ch: str) -> str:
    if ch in "٠.":
        return DOT  # a zero is told from a full stop by its height
    if ch in EASTERN or ch in WESTERN or ch == SLASH:
        return ch
    return OTHER


@functools.lru_cache(maxsize=1)
def glyph_model() -> GlyphModel:
    """The digits' shapes, drawn once per machine (``drawn_model``), read once per process."""
    return drawn_model(EASTERN + WESTERN + SLASH + OTHERS + ".", _label, worn=EASTERN + SLASH)
