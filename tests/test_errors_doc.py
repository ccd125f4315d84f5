"""docs/errors.md lists every error code with its class, and the code agrees with it."""

from __future__ import annotations

import re
from pathlib import Path

from config import errors
from config.failures import FailureClass, classify

DOC = Path(__file__).resolve().parent.parent / "docs" / "errors.md"


def _all_errors() -> list[type[errors.SijillError]]:
    seen, todo = [], [errors.SijillError]
    while todo:
        cls = todo.pop()
        seen.append(cls)
        todo += cls.__subclasses__()
    return seen


def _table() -> dict[str, str]:
    return dict(re.findall(r"^\| `([a-z_]+)` \| (\w+) \|", DOC.read_text(encoding="utf-8"), re.M))


def test_every_code_is_documented_with_its_class() -> None:
    table = _table()
    expected = {FailureClass.FILE: "file", FailureClass.TRANSIENT: "transient"}
    for cls in _all_errors():
        assert cls.code in table, f"{cls.__name__} ({cls.code}) missing from docs/errors.md"
        doc_class = table[cls.code]
        actual = classify(cls.__new__(cls))
        if actual in expected:
            assert doc_class == expected[actual], cls.code
        else:
            assert doc_class in {"operator", "request"}, cls.code


def test_foreign_infrastructure_failures_are_transient() -> None:
    from concurrent.futures.process import BrokenProcessPool

    from django.db import OperationalError

    assert classify(OperationalError("database is locked")) is FailureClass.TRANSIENT
    assert classify(BrokenProcessPool()) is FailureClass.TRANSIENT
    assert classify(ConnectionResetError()) is FailureClass.TRANSIENT
    assert classify(errors.OcrFailed("x")) is FailureClass.FILE
    assert classify(ValueError("bug")) is FailureClass.PERMANENT
