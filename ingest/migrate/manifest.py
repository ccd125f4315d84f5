"""The legacy register, typed up as CSV: columns mapped, encoding detected, dates read."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from config.errors import ConfigError, QueryError
from lang.dates import parse_day

COLUMNS = ("file", "legacy_number", "received", "sender", "subject", "service", "direction", "notes")
_DIRECTIONS = {
    **dict.fromkeys(("in", "a", "arrivee", "arrivée", "entrant", "وارد", "واردة"), "A"),
    **dict.fromkeys(("out", "d", "depart", "départ", "sortant", "صادر", "صادرة"), "D"),
}


@dataclass(frozen=True)
class LegacyLine:
    """One line of the old register, for one file."""

    file: str
    legacy_number: str = ""
    received: dt.date | None = None
    sender: str = ""
    subject: str = ""
    service: str = ""
    direction: str = "A"
    notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Manifest:
    lines: dict[str, LegacyLine]
    encoding: str
    problems: list[str]
    # Files whose line cannot be used as written: never guessed at, left for the clerk to fix.
    rejected: dict[str, str] = field(default_factory=dict)


def detect_encoding(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1256 (Arabic) or Windows-1252 (French).

    In Windows-1256 text, bytes above 0x7F are most of the letters; in French Windows-1252
    they are the occasional accented letter between ASCII ones.
    """
    try:
        raw.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    high = sum(1 for b in raw if b >= 0xC0)
    letters = sum(1 for b in raw if b >= 0xC0 or 0x41 <= (b | 0x20) <= 0x7A)
    return "cp1256" if letters and high / letters > 0.25 else "cp1252"


def parse_mapping(spec: str | None) -> dict[str, str]:
    """``file=Fichier,legacy_number=N° d'ordre``: our column = their header."""
    mapping: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        ours, _, theirs = part.partition("=")
        if ours.strip() not in COLUMNS or not theirs.strip():
            raise ConfigError(f"Column mapping {part!r}: use one of {', '.join(COLUMNS)} = the CSV's header.")
        mapping[ours.strip()] = theirs.strip()
    return mapping


def read_manifest(path: Path, encoding: str | None = None, mapping: dict[str, str] | None = None) -> Manifest:
    raw = path.read_bytes()
    enc = encoding or detect_encoding(raw)
    try:
        text = raw.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ConfigError(f"Manifest {path.name} is not in {enc}: {exc}. Give --encoding.") from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    headers = [h.strip() for h in (reader.fieldnames or [])]
    theirs_for = {ours: (mapping or {}).get(ours, ours) for ours in COLUMNS}
    if theirs_for["file"] not in headers:
        raise ConfigError(
            f"Manifest {path.name} has no {theirs_for['file']!r} column (headers: {', '.join(headers)}). "
            "Map it with --columns file=<header>."
        )
    known = set(theirs_for.values())
    lines: dict[str, LegacyLine] = {}
    problems: list[str] = []
    rejected: dict[str, str] = {}
    ends_at = reader.line_num  # the header's last line
    for row in reader:
        # A quoted field may span lines: a record starts on the line after the previous one ended.
        n, ends_at = ends_at + 1, reader.line_num
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        rel = row.get(theirs_for["file"], "").replace("\\", "/").strip("/")
        if not rel:
            problems.append(f"line {n}: no file named")
            continue
        received = None
        if value := row.get(theirs_for["received"], ""):
            try:
                received = parse_day(value, f"line {n}")
            except QueryError as exc:
                problems.append(exc.message)
        given = row.get(theirs_for["direction"], "")
        direction = _DIRECTIONS.get(given.lower(), "A" if not given else "")
        if not direction:
            known_words = ", ".join(sorted(_DIRECTIONS))
            why = f"line {n}: direction {given!r} is neither an arrival nor a departure ({known_words})"
            problems.append(why)
            rejected[rel] = why + "; fix the manifest and run again"
            continue
        if rel in lines:
            problems.append(f"line {n}: {rel} is listed twice (the first line is used)")
            continue
        lines[rel] = LegacyLine(
            file=rel,
            legacy_number=row.get(theirs_for["legacy_number"], ""),
            received=received,
            sender=row.get(theirs_for["sender"], ""),
            subject=row.get(theirs_for["subject"], ""),
            service=row.get(theirs_for["service"], ""),
            direction=direction,
            notes=row.get(theirs_for["notes"], ""),
            extra={k: v for k, v in row.items() if k not in known and v},
        )
    return Manifest(lines, enc, problems, rejected)
