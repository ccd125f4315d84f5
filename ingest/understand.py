"""Reading a letter like a clerk: its register fields, its type and the service it goes to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from config.sijill import SijillSettings
from config.taxonomy import Taxonomy
from ingest.classify.classifier import Classifier, TypeDecision
from ingest.classify.model import TypeModel
from ingest.extract.fields import Extraction
from ingest.extract.reader import read_letter

if TYPE_CHECKING:  # the reader itself runs without Django (benchmarks, tests)
    from archive.catalogue import Proposal

FIELD_THRESHOLD = 0.5  # fields read with less confidence are proposed but not filled in


@dataclass(frozen=True)
class Understanding:
    extraction: Extraction
    decision: TypeDecision
    due_date: dt.date | None

    def register_fields(self) -> dict[str, Any]:
        """Values for the register entry: only what was read with enough confidence."""
        e = self.extraction

        def ok(f) -> bool:
            return f is not None and f.confidence >= FIELD_THRESHOLD

        return {
            "sender": e.sender.value[:512] if ok(e.sender) else "",
            "letter_reference": e.reference.value[:128] if ok(e.reference) else "",
            "letter_date": dt.date.fromisoformat(e.letter_date.value) if ok(e.letter_date) else None,
            "subject": e.subject.value if ok(e.subject) else "",
            "mail_type": self.decision.type_id,
            "service": self.decision.service_id,
            "due_date": self.due_date,
        }

    def as_json(self) -> dict[str, Any]:
        return {"fields": self.extraction.as_json(), "type": self.decision.as_json()}


def build_reader(settings: SijillSettings) -> Reader:
    """The configured taxonomy and the current model (the starter model on first use)."""
    from archive import taxonomy_store
    from ingest.classify import store

    return Reader(taxonomy_store.current(settings), store.current(settings))


def reader_or_none(settings: SijillSettings) -> Reader | None:
    """The reader, retried like any work when the machinery fails. Without it letters are still
    registered (the clerk fills the fields in): the model's store being away never stops intake."""
    import logging

    from config.errors import TransientError
    from config.failures import with_retries

    log = logging.getLogger("sijill.ingest")
    retry = settings.retry

    def on_retry(attempt: int, err: TransientError) -> None:
        log.warning("loading the reading model: attempt %d failed (%s); retrying", attempt, err.message)

    try:
        return with_retries(lambda: build_reader(settings), retry.attempts, retry.delay_s, on_retry)
    except TransientError as err:
        log.warning("letters are registered without reading them: %s", err.message)
        return None


def proposal(u: Understanding) -> Proposal:
    from archive.catalogue import Proposal

    f = u.register_fields()
    return Proposal(
        sender=f["sender"],
        letter_reference=f["letter_reference"],
        letter_date=f["letter_date"],
        subject=f["subject"],
        mail_type=f["mail_type"],
        addressee_service=f["service"],
        due_date=f["due_date"],
        understanding=u.as_json(),
    )


class Reader:
    """Holds the taxonomy and the model for a batch of letters."""

    def __init__(self, taxonomy: Taxonomy, model: TypeModel | None) -> None:
        self.taxonomy = taxonomy
        self.classifier = Classifier(taxonomy, model)

    def understand(self, text: str, received: dt.date | None = None) -> Understanding:
        received = received or dt.date.today()
        extraction = read_letter(text or "", today=received)
        subject = extraction.subject.value if extraction.subject else ""
        decision = self.classifier.classify(subject, text or "")
        mail_type = self.taxonomy.types[decision.type_id]
        due = mail_type.due_date(received) if not decision.needs_review else None
        return Understanding(extraction, decision, due)
