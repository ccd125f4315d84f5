"""The taxonomy in force: the newest version an administrator saved in the catalogue, else the
file (``config/taxonomy.toml`` or ``SIJILL_TAXONOMY``). Every machine reads the catalogue, so an
edit reaches all workers and web processes; none depends on one machine's disk."""

from __future__ import annotations

import hashlib
import time
from functools import lru_cache

from django.db import transaction

from archive import audit
from archive.models import TaxonomyVersion
from config import taxonomy
from config.errors import ConfigError
from config.sijill import SijillSettings
from config.taxonomy import Taxonomy

RECHECK_S = 5.0  # how stale a process's copy may be after an edit elsewhere
_checked: dict[str, tuple[float, Taxonomy]] = {}


@lru_cache(maxsize=8)
def _parsed(text: str, version: int) -> Taxonomy:
    return taxonomy.parse(text.encode("utf-8"), f"version {version} (saved in the administration)")


def current(settings: SijillSettings) -> Taxonomy:
    """The taxonomy in force (read again at most every few seconds)."""
    key = str(settings.taxonomy_path)
    now = time.monotonic()
    hit = _checked.get(key)
    if hit is not None and now - hit[0] < RECHECK_S:
        return hit[1]
    row = TaxonomyVersion.objects.order_by("-id").values_list("id", "text").first()
    found = _parsed(row[1], row[0]) if row else taxonomy.load(settings.taxonomy_path)
    _checked[key] = (now, found)
    return found


def current_text(settings: SijillSettings) -> str:
    row = TaxonomyVersion.objects.order_by("-id").values_list("text", flat=True).first()
    if row is not None:
        return row
    return (settings.taxonomy_path or taxonomy.DEFAULT_PATH).read_text(encoding="utf-8")


def save(text: str, actor: str, settings: SijillSettings) -> Taxonomy:
    """Check and put a new taxonomy in force (audited); a taxonomy that does not parse, or that
    drops a service or type still used by letters, is refused with the reason."""
    from archive.models import RegistryEntry, Routing

    new = taxonomy.parse(text.encode("utf-8"), "the new text")
    old = current(settings)
    gone_services = set(old.services) - set(new.services)
    used = sorted(set(Routing.objects.filter(service__in=gone_services).values_list("service", flat=True)))
    gone_types = set(old.types) - set(new.types)
    used += sorted(set(RegistryEntry.objects.filter(mail_type__in=gone_types).values_list("mail_type", flat=True)))
    if used:
        raise ConfigError(f"Still used by letters, so they cannot be removed: {', '.join(used)}.")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with transaction.atomic():
        version = TaxonomyVersion.objects.create(text=text, sha256=sha, created_by=actor)
        audit.record(actor, "taxonomy_changed", "taxonomy", version=version.pk, sha256=sha,
                     services=sorted(new.services), types=sorted(new.types))  # fmt: skip
    forget()
    return new


def forget() -> None:
    """Drop this process's copy (after a save here; tests after a rollback)."""
    _checked.clear()
