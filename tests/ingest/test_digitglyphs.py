"""Drawn glyph shapes are kept on disk between processes, and drawn again when the copy is bad."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ingest import digitglyphs


def _label(ch: str) -> str:
    return "digit" if ch.isdigit() else "other"


def test_shapes_are_drawn_once_then_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    drawn = digitglyphs.drawn_model("١٢ب", _label, worn="١")
    if not drawn.labels:
        pytest.fail("no Arabic font on this machine: `make system` installs them")
    kept = list((tmp_path / "sijill").glob("glyphs-*.npz"))
    assert len(kept) == 1
    again = digitglyphs.drawn_model("١٢ب", _label, worn="١")
    assert np.array_equal(again.features, drawn.features)
    assert (again.labels, again.fonts, again.western) == (drawn.labels, drawn.fonts, drawn.western)
    assert all(type(v) is str for v in again.labels + again.fonts)
    # Other characters are another model, kept apart.
    digitglyphs.drawn_model("١٢", _label)
    assert len(list((tmp_path / "sijill").glob("glyphs-*.npz"))) == 2

    stale = kept[0].with_name(kept[0].name.rsplit("-", 1)[0] + "-drawnbyoldercode.npz")
    stale.write_bytes(b"")
    kept[0].write_bytes(b"PK\x03\x04 cut short")
    assert np.array_equal(digitglyphs.drawn_model("١٢ب", _label, worn="١").features, drawn.features)
    assert not stale.exists() and len(list((tmp_path / "sijill").glob("glyphs-*.npz"))) == 2


def test_without_a_home_the_shapes_are_only_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("HOME", raising=False)
    assert digitglyphs.cache_dir() is None
    assert digitglyphs.drawn_model("١", _label).labels
