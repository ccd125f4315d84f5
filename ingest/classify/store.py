"""Trained models, shared by every machine: bytes in the object store, the current version
in the catalogue. Each machine keeps a local copy under SIJILL_HOME/models, checked by hash.

Versioned by the examples they learnt from, so training the same examples twice is a no-op,
and two workers that start together on a new archive train the starter model once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

from django.db import transaction

from archive.locks import catalogue_wide
from archive.objectstore import object_key, open_store
from config.errors import IntegrityFailure, TransientError
from config.sijill import SijillSettings
from ingest.classify import model as type_model
from ingest.classify.starter import Example, starter_examples
from ingest.models import TrainedModel

log = logging.getLogger("sijill.classify")


def current(settings: SijillSettings) -> type_model.TypeModel:
    """The model in use; the starter model is trained on first use (about a second)."""
    row = TrainedModel.objects.filter(current=True).order_by("-id").first()
    if row is not None:
        return _load(settings, row)
    model, _ = train_if_changed(settings, starter_examples())
    return model


def current_version() -> str | None:
    """Which model is current (one indexed query: workers ask before each file)."""
    return TrainedModel.objects.filter(current=True).order_by("-id").values_list("version", flat=True).first()


def _cache(settings: SijillSettings, row: TrainedModel) -> Path:
    return settings.home / "models" / f"type-model-{row.version}.pkl"


def _load(settings: SijillSettings, row: TrainedModel) -> type_model.TypeModel:
    # Bytes are unpickled only when they hash to what the catalogue recorded for them.
    cache = _cache(settings, row)
    data = cache.read_bytes() if cache.exists() else b""
    if hashlib.sha256(data).hexdigest() != row.sha256:
        data = open_store(settings).get(row.storage_key, sha256=row.sha256)
        cache.parent.mkdir(parents=True, exist_ok=True)
        # A temp file of its own: several processes of one machine may fill the cache at once.
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=".model-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, cache)
    model = pickle.loads(data)
    if model.version != row.version:
        raise IntegrityFailure(f"Model {row.storage_key} holds version {model.version}, expected {row.version}.")
    return model


def train_if_changed(settings: SijillSettings, examples: list[Example]) -> tuple[type_model.TypeModel, bool]:
    """Train on ``examples`` unless the current model already learnt exactly these."""
    version = type_model.examples_version(examples)
    with catalogue_wide("train", settings.home):
        row = TrainedModel.objects.filter(current=True).order_by("-id").first()
        if row is not None and row.version == version:
            return _load(settings, row), False
        known = TrainedModel.objects.filter(version=version).first()
        if known is None:
            model = type_model.train(examples)
            data = pickle.dumps(model)
            sha = hashlib.sha256(data).hexdigest()
            key = object_key("models", sha, ".pkl")
            try:
                open_store(settings).put(key, data, "application/octet-stream", {"version": model.version})
            except TransientError as err:
                # Usable now, shared once the store is back (the next run stores it).
                log.warning("type model %s not shared yet: %s", model.version, err.message)
                return model, True
            known = TrainedModel.objects.create(
                version=model.version, n_examples=model.n_examples, sha256=sha, storage_key=key
            )
            log.info("type model %s trained on %d examples", model.version, model.n_examples)
        with transaction.atomic():
            TrainedModel.objects.filter(current=True).update(current=False)
            TrainedModel.objects.filter(pk=known.pk).update(current=True)
        return _load(settings, known), True
