"""Ids never show: types, services and statuses under their Arabic or French names."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation

from archive import taxonomy_store
from archive.models import Role
from archive.models.registry import Direction, Status
from config.taxonomy import Taxonomy
from ingest.models import QueuedTask


def _bilingual(choices: type[models.TextChoices]) -> dict[str, tuple[str, str]]:
    """The models' choices already carry both languages ("Enregistré / مسجل"): (ar, fr) by value."""
    out = {}
    for value, label in choices.choices:
        fr, _, ar = str(label).partition(" / ")
        out[value] = (ar or fr, fr[:1].upper() + fr[1:])
    return out


STATUS = _bilingual(Status)
DIRECTION = _bilingual(Direction)
TASK = _bilingual(QueuedTask.Status)
ROLE = _bilingual(Role)
ACTION = {
    "registered": ("تسجيل", "Enregistrement"),
    "updated": ("تعديل", "Modification"),
    "tagged": ("تأكيد أو تصحيح", "Validation ou correction"),
    "routed": ("إحالة", "Imputation"),
    "reassigned": ("إعادة الإحالة", "Réimputation"),
    "assigned": ("تكليف", "Attribution"),
    "confidentiality": ("السرية", "Confidentialité"),
    "voided": ("إلغاء", "Annulation"),
    "reserved": ("حجز رقم الصادر", "Numéro de départ réservé"),
    "signed": ("توقيع", "Signature"),
    "answered": ("تم الرد", "Réponse envoyée"),
}


def current_taxonomy() -> Taxonomy:
    """The taxonomy in force (the catalogue's newest version, else the file)."""
    return taxonomy_store.current(settings.SIJILL)


def _pick(pair: tuple[str, str]) -> str:
    return pair[1] if translation.get_language() == "fr" else pair[0]


def type_label(type_id: str | None) -> str:
    t = current_taxonomy().types.get(type_id or "")
    return _pick((t.ar, t.fr)) if t else (type_id or "—")


def service_label(service_id: str | None) -> str:
    s = current_taxonomy().services.get(service_id or "")
    return _pick((s.ar, s.fr)) if s else (service_id or "—")


def status_label(status: str | None) -> str:
    return _pick(STATUS[status]) if status in STATUS else (status or "—")


def direction_label(direction: str | None) -> str:
    return _pick(DIRECTION[direction]) if direction in DIRECTION else (direction or "—")


def action_label(action: str | None) -> str:
    return _pick(ACTION[action]) if action in ACTION else (action or "—")


def role_label(role: str | None) -> str:
    return _pick(ROLE[role]) if role in ROLE else "—"


def task_label(status: str | None) -> str:
    return _pick(TASK[status]) if status in TASK else (status or "—")


def service_choices() -> list[tuple[str, str]]:
    return sorted(((sid, service_label(sid)) for sid in current_taxonomy().services), key=lambda c: c[1])


def type_choices() -> list[tuple[str, str]]:
    return sorted(((tid, type_label(tid)) for tid in current_taxonomy().types), key=lambda c: c[1])


def status_choices() -> list[tuple[str, str]]:
    return [(s, status_label(s)) for s in STATUS]


def fate_label(fate: str | None) -> str:
    from archive.retention import FATE_LABELS

    pair = FATE_LABELS.get(fate or "")
    return _pick(pair) if pair else (fate or "—")
