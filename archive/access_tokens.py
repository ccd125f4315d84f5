"""The permission rule as tokens on each indexed letter, so that an index can filter searches
the way ``archive.permissions`` filters the catalogue. No Django here: search backends and
benchmarks use it without a configured project."""

from __future__ import annotations

PUBLIC = "all"  # open to every broad role (archive.permissions.BROAD)


def entry_access_tokens(confidential: bool, services: list[str], readers: list[str]) -> tuple[str, ...]:
    """What an indexed letter carries; a viewer matches it if they share a token."""
    tokens = [] if confidential else [PUBLIC]
    tokens += [f"svc:{s}" for s in services] + [f"user:{u}" for u in readers]
    return tuple(sorted(set(tokens)))
