"""Registry numbers of the bureau d'ordre: gapless per direction and per year.

The counter row is incremented inside the same transaction that creates the entry, so
a failed registration rolls its number back and two processes can never share one.
SQLite serialises writers (transactions begin IMMEDIATE); PostgreSQL locks the row.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import F

from archive.models import RegistryCounter
from archive.models.registry import Direction

NUMBER_RE = re.compile(r"^([AD])-(\d{4})-(\d{6,})$")


def format_number(direction: str, year: int, sequence: int) -> str:
    return f"{direction}-{year}-{sequence:06d}"


def parse_number(number: str) -> tuple[str, int, int] | None:
    m = NUMBER_RE.match(number.strip().upper())
    if not m:
        return None
    return m.group(1), int(m.group(2)), int(m.group(3))


def next_sequence(direction: str, year: int) -> int:
    """Take the next number. Must run inside the transaction that uses it."""
    if direction not in Direction.values:
        raise ValueError(f"unknown direction {direction!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("registry numbers are only handed out inside a transaction")
    counter, _ = RegistryCounter.objects.select_for_update().get_or_create(direction=direction, year=year)
    RegistryCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return counter.last
