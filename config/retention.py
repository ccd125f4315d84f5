"""The retention calendar (calendrier de conservation): how long each kind of letter is kept,
and what becomes of it. Read from ``config/retention.toml`` (or SIJILL_RETENTION)."""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from config.errors import ConfigError

FATES = ("destroy", "transfer", "sort")
DEFAULT_PATH = Path(__file__).resolve().parent / "retention.toml"
MAX_YEARS = 200


@dataclass(frozen=True)
class Rule:
    active_years: int
    intermediate_years: int
    fate: str

    def dates(self, closed_on: dt.date) -> tuple[dt.date, dt.date]:
        """The end of the active period, and the day the fate falls due."""
        active = _add_years(closed_on, self.active_years)
        return active, _add_years(active, self.intermediate_years)


@dataclass(frozen=True)
class Calendar:
    default: Rule
    types: dict[str, Rule] = field(default_factory=dict)
    overrides: dict[tuple[str, str], Rule] = field(default_factory=dict)  # (type, service)
    version: str = ""
    source: str = ""

    def rule_for(self, mail_type: str, service: str) -> Rule:
        return self.overrides.get((mail_type, service)) or self.types.get(mail_type) or self.default


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _rule(raw: object, where: str) -> Rule:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a table with active_years, intermediate_years and fate.")
    try:
        active, intermediate, fate = raw["active_years"], raw["intermediate_years"], raw["fate"]
    except KeyError as exc:
        raise ConfigError(f"{where}: {exc.args[0]} is missing.") from None
    for name, value in (("active_years", active), ("intermediate_years", intermediate)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_YEARS:
            raise ConfigError(f"{where}: {name} must be a whole number of years from 0 to {MAX_YEARS}, got {value!r}.")
    if fate not in FATES:
        raise ConfigError(f"{where}: fate must be one of {', '.join(FATES)}, got {fate!r}.")
    return Rule(active, intermediate, fate)


def parse(
    data: bytes, source: str, known_types: set[str] | None = None, known_services: set[str] | None = None
) -> Calendar:
    """Raises ConfigError naming the file and the entry at fault."""
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{source}: not a valid TOML file ({exc}).") from None
    if "default" not in doc:
        raise ConfigError(f"{source}: a [default] rule is required.")
    types = {}
    for type_id, raw in (doc.get("types") or {}).items():
        if known_types is not None and type_id not in known_types:
            raise ConfigError(f"{source}: [types.{type_id}] is not a mail type of the taxonomy.")
        types[type_id] = _rule(raw, f"{source} [types.{type_id}]")
    overrides = {}
    for k, raw in enumerate(doc.get("overrides") or [], 1):
        where = f"{source} [[overrides]] #{k}"
        type_id, service = (raw.get("type"), raw.get("service")) if isinstance(raw, dict) else (None, None)
        if not type_id or not service:
            raise ConfigError(f"{where}: give both type and service.")
        if known_types is not None and type_id not in known_types:
            raise ConfigError(f"{where}: {type_id!r} is not a mail type of the taxonomy.")
        if known_services is not None and service not in known_services:
            raise ConfigError(f"{where}: {service!r} is not a service of the taxonomy.")
        overrides[(type_id, service)] = _rule(raw, where)
    version = hashlib.sha256(data).hexdigest()[:16]
    return Calendar(_rule(doc["default"], f"{source} [default]"), types, overrides, version, source)


def load(path: Path | None = None, known_types: set[str] | None = None,
         known_services: set[str] | None = None) -> Calendar:  # fmt: skip
    path = path or DEFAULT_PATH
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"Cannot read the retention calendar {path}: {exc.strerror}.") from None
    return parse(data, str(path), known_types, known_services)
