"""Trained models under SIJILL_HOME/models, versioned by the examples they learnt from."""

from __future__ import annotations

import fcntl
import json
import logging
from pathlib import Path

from ingest.classify import model as type_model
from ingest.classify.starter import Example, starter_examples

log = logging.getLogger("sijill.classify")


def _dir(home: Path) -> Path:
    return home / "models"


def current(home: Path) -> type_model.TypeModel:
    """The model in use; the starter model is trained on first use (about two seconds)."""
    folder = _dir(home)
    pointer = folder / "current.json"
    if pointer.exists():
        info = json.loads(pointer.read_text())
        path = folder / info["file"]
        if path.exists():
            return type_model.TypeModel.load(path)
    model, _ = train_if_changed(home, starter_examples())
    return model


def train_if_changed(home: Path, examples: list[Example]) -> tuple[type_model.TypeModel, bool]:
    """Train on ``examples`` unless the current model already learnt exactly these."""
    folder = _dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    version = type_model.examples_version(examples)
    with (folder / ".train.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two ingests starting together train once
        pointer = folder / "current.json"
        if pointer.exists():
            info = json.loads(pointer.read_text())
            path = folder / info["file"]
            if info.get("version") == version and path.exists():
                return type_model.TypeModel.load(path), False
        model = type_model.train(examples)
        path = model.save(folder)
        tmp = pointer.with_suffix(".tmp")
        tmp.write_text(json.dumps({"version": model.version, "file": path.name, "examples": model.n_examples}))
        tmp.replace(pointer)
        log.info("type model %s trained on %d examples", model.version, model.n_examples)
        return model, True
