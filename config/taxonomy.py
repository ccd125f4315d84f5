"""The mail types, services and reply deadlines, read from an administrator-edited TOML file."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from config.errors import ConfigError

DEFAULT_PATH = Path(__file__).resolve().parent / "taxonomy.toml"
FALLBACK_TYPE = "autre"
RULE_KEYS = {"any", "all", "regex", "in", "weight"}


@dataclass(frozen=True)
class Rule:
    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    regex: str | None = None
    where: str = "subject"  # "subject" or "text"
    weight: float = 1.0


@dataclass(frozen=True)
class Service:
    id: str
    ar: str
    fr: str

    def name(self, language: str) -> str:
        return self.fr if language == "fr" else self.ar


@dataclass(frozen=True)
class MailType:
    id: str
    ar: str
    fr: str
    service: str
    deadline_days: int | None = None
    deadline_working_days: bool = False
    rules: tuple[Rule, ...] = ()

    def due_date(self, received: dt.date) -> dt.date | None:
        """The legal reply deadline counted from reception (working days skip weekends and
        Moroccan public holidays)."""
        if self.deadline_days is None:
            return None
        if not self.deadline_working_days:
            return received + dt.timedelta(days=self.deadline_days)
        return add_working_days(received, self.deadline_days)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """``days`` working days after ``start``: Saturdays, Sundays and Moroccan public holidays
    (fixed and Hijri, from the ``holidays`` package) do not count."""
    import holidays

    off = holidays.country_holidays("MA", years=range(start.year, start.year + 2 + days // 200))
    day, left = start, days
    while left:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            left -= 1
    return day


@dataclass(frozen=True)
class Taxonomy:
    types: dict[str, MailType]
    services: dict[str, Service]
    source: str = ""
    fingerprint: str = field(default="")

    def service_for(self, type_id: str) -> Service:
        return self.services[self.types.get(type_id, self.types[FALLBACK_TYPE]).service]


def _rule(type_id: str, i: int, raw: dict) -> Rule:
    unknown = set(raw) - RULE_KEYS
    where = f"type {type_id!r}, rule {i + 1}"
    if unknown:
        raise ConfigError(
            f"Taxonomy {where}: unknown key(s) {', '.join(sorted(unknown))}; use any, all, regex, in, weight."
        )
    if not any(k in raw for k in ("any", "all", "regex")):
        raise ConfigError(f"Taxonomy {where}: give at least one of any, all or regex.")
    if raw.get("in", "subject") not in ("subject", "text"):
        raise ConfigError(f'Taxonomy {where}: `in` must be "subject" or "text".')
    if "regex" in raw:
        try:
            re.compile(raw["regex"])
        except re.error as exc:
            raise ConfigError(f"Taxonomy {where}: the regex does not compile ({exc}).") from None
    return Rule(
        any=tuple(raw.get("any", ())),
        all=tuple(raw.get("all", ())),
        regex=raw.get("regex"),
        where=raw.get("in", "subject"),
        weight=float(raw.get("weight", 1.0)),
    )


def load(path: Path | None = None) -> Taxonomy:
    path = path or DEFAULT_PATH
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"Taxonomy file {path} not found (set SIJILL_TAXONOMY or restore config/taxonomy.toml)."
        ) from None
    return parse(raw_bytes, str(path))


def parse(raw_bytes: bytes, source: str) -> Taxonomy:
    """A taxonomy from its TOML text; ``source`` names it in error messages (a file, a version)."""
    try:
        data = tomllib.loads(raw_bytes.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Taxonomy {source} is not valid TOML: {exc}") from None
    services = {
        sid: Service(sid, s.get("ar", sid), s.get("fr", sid)) for sid, s in (data.get("services") or {}).items()
    }
    types: dict[str, MailType] = {}
    for tid, t in (data.get("types") or {}).items():
        if t.get("service") not in services:
            raise ConfigError(f"Taxonomy type {tid!r}: service {t.get('service')!r} is not in [services].")
        types[tid] = MailType(
            id=tid,
            ar=t.get("ar", tid),
            fr=t.get("fr", tid),
            service=t["service"],
            deadline_days=t.get("deadline_days"),
            deadline_working_days=bool(t.get("deadline_working_days", False)),
            rules=tuple(_rule(tid, i, r) for i, r in enumerate(t.get("rules", ()))),
        )
    if FALLBACK_TYPE not in types:
        raise ConfigError(f"Taxonomy {source}: a type {FALLBACK_TYPE!r} is needed for letters nothing else fits.")
    return Taxonomy(types, services, source, hashlib.sha256(raw_bytes).hexdigest()[:12])
