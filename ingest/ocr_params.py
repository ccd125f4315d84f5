"""Tesseract parameters built as a plain dict, so every choice is visible and testable."""

from __future__ import annotations

from typing import Any

# Measured with Tesseract 5.3 and Debian's fast ara/fra models: the noise rejection
# heuristics silently drop whole Arabic lines (one page went from 60% to 2.9% CER).
KEEP_ALL_LINES = {"textord_noise_rejrows": "0", "textord_noise_rejwords": "0"}


def build(languages: str, dpi: int, psm: int = 3) -> dict[str, Any]:
    return {
        "lang": languages,
        "psm": psm,
        "oem": 1,  # LSTM only: the fast models ship no legacy engine data
        "dpi": dpi,
        "variables": dict(KEEP_ALL_LINES),
    }


def to_cli(params: dict[str, Any]) -> list[str]:
    """The Tesseract command-line arguments for ``params`` (after ``image output``)."""
    args = ["-l", params["lang"], "--psm", str(params["psm"]), "--oem", str(params["oem"])]
    args += ["--dpi", str(params["dpi"])]
    for key, value in sorted(params["variables"].items()):
        args += ["-c", f"{key}={value}"]
    return args


def languages_for_script(script: str | None, configured: str) -> str:
    """Pick the models for a page from the script OSD saw.

    Measured on Arabic letters: with ``ara+fra`` the French model wins on calligraphic
    (Amiri) words and turns them into Latin junk (CER 12–16% → 5–8% with ``ara`` alone),
    and Latin pages read best with French alone. Only an undecided page gets every model.
    """
    langs = configured.split("+")
    if script == "Latin" and "fra" in langs:
        return "fra"
    if script == "Arabic" and "ara" in langs:
        return "ara"
    return configured
