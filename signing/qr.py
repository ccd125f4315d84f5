"""Checking a printed copy: the stamp's QR against the archive."""

from __future__ import annotations

from typing import Any

from archive import catalogue
from archive.objectstore import ObjectStore
from archive.originals import read_original
from config.errors import NotFoundError
from signing.sign import fingerprint, parse_qr


def check_qr(text: str, store: ObjectStore) -> dict[str, Any]:
    number, printed = parse_qr(text)
    try:
        entry = catalogue.get_entry(number)
    except NotFoundError:
        return {"ok": False, "number": number, "verdict": f"{number} is not in this archive's register."}
    doc = entry.document
    if doc is None or not entry.signed_key:
        return {"ok": False, "number": number, "verdict": f"{number} exists but was not signed by Sijill."}
    original = read_original(store, doc)
    ok = fingerprint(original) == printed
    verdict = (
        f"{number}: the printed copy matches the archived letter ({doc.original_name})."
        if ok
        else f"{number}: the fingerprint does not match the archived letter: this copy is not that letter."
    )
    return {"ok": ok, "number": number, "file": doc.original_name, "verdict": verdict}
