"""Clerks' confirmed entries as training examples, and retraining when they change."""

from __future__ import annotations

from ingest.classify import store
from ingest.classify.model import TypeModel
from ingest.classify.starter import Example, starter_examples


def clerk_examples() -> list[Example]:
    from archive.models import RegistryEntry

    qs = (
        RegistryEntry.objects.select_related("document")
        .filter(confirmed_at__isnull=False, document__isnull=False)
        .exclude(mail_type="")
        .order_by("id")
    )
    return [Example(e.mail_type, e.subject, e.document.text, source="clerk") for e in qs.iterator() if e.document.text]


def retrain(settings, extra: list[Example] | None = None) -> tuple[TypeModel, bool, int, int]:
    """Starter + clerk examples; trains only when they differ from the current model's."""
    starter = starter_examples()
    clerks = clerk_examples() if extra is None else extra
    model, changed = store.train_if_changed(settings, starter + clerks)
    return model, changed, len(starter), len(clerks)
