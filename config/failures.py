"""Which failures are the file's fault and which are the machinery's, and retrying the latter.

A file is quarantined only for its own faults (``InputFileError``). A database that is locked
or unreachable, a storage server that is down, or a worker process that died are transient:
the work is retried with backoff and never blamed on the file.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from enum import Enum
from typing import TypeVar

from config.errors import (
    ConfigError,
    DatabaseUnavailable,
    InputFileError,
    SijillError,
    TransientError,
    WorkerLost,
)

T = TypeVar("T")


class FailureClass(Enum):
    FILE = "file"  # quarantine with the reason
    TRANSIENT = "transient"  # retry with backoff
    PERMANENT = "permanent"  # report as failed; an operator must act (config, integrity, bug)


def classify(exc: BaseException) -> FailureClass:
    if isinstance(exc, InputFileError):
        return FailureClass.FILE
    if isinstance(exc, TransientError):
        return FailureClass.TRANSIENT
    if isinstance(exc, SijillError):
        return FailureClass.PERMANENT
    return FailureClass.TRANSIENT if as_transient(exc) is not None else FailureClass.PERMANENT


def as_transient(exc: BaseException) -> TransientError | None:
    """The Sijill error for a foreign exception that means "the machinery failed", or None."""
    from django.db import InterfaceError, OperationalError

    if isinstance(exc, TransientError):
        return exc
    if isinstance(exc, (OperationalError, InterfaceError)):
        return DatabaseUnavailable(f"The catalogue database did not answer ({exc}). The work will be retried.")
    if isinstance(exc, BrokenProcessPool):
        return WorkerLost("An OCR worker process died (out of memory or killed). The file will be read again.")
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return TransientError(f"A server did not answer ({type(exc).__name__}: {exc}). The work will be retried.")
    return None


@contextmanager
def database_errors() -> Iterator[None]:
    """Turn the driver's errors into messages an operator can act on."""
    from django.core.exceptions import ImproperlyConfigured

    try:
        yield
    except ImproperlyConfigured as exc:
        raise ConfigError(f"The catalogue database cannot be used: {exc}") from None
    except Exception as exc:
        transient = as_transient(exc)
        if transient is None:
            raise
        raise transient from exc


def with_retries(
    fn: Callable[[], T],
    attempts: int,
    base_delay_s: float,
    on_retry: Callable[[int, TransientError], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call ``fn``; retry transient failures with exponential backoff, ``attempts`` in all.

    The last transient failure is raised as a ``TransientError`` when the attempts are used up.
    """
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except Exception as exc:
            transient = as_transient(exc)
            if transient is None:
                raise
            if attempt == attempts:
                raise transient from exc
            if on_retry:
                on_retry(attempt, transient)
            sleep(base_delay_s * 4 ** (attempt - 1))
    raise AssertionError("unreachable")
