"""Every error as ``{"error": code, "detail": …}`` with the codes of docs/errors.md."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from config.errors import (
    ConfigError,
    CorrectionError,
    InputFileError,
    NotFoundError,
    QueryError,
    SijillError,
    TransientError,
)

log = logging.getLogger("sijill.api")

DRF_CODES: list[tuple[type[Exception], str]] = [
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "not_authenticated"),
    (exceptions.PermissionDenied, "forbidden"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.Throttled, "throttled"),
    (exceptions.ParseError, "bad_request"),
    (exceptions.ValidationError, "bad_request"),
]

SIJILL_STATUS: list[tuple[type[SijillError], int]] = [
    (NotFoundError, status.HTTP_404_NOT_FOUND),
    (TransientError, status.HTTP_503_SERVICE_UNAVAILABLE),
    (QueryError, status.HTTP_400_BAD_REQUEST),
    (CorrectionError, status.HTTP_400_BAD_REQUEST),
    (InputFileError, status.HTTP_400_BAD_REQUEST),
    (ConfigError, status.HTTP_400_BAD_REQUEST),
]


class BadRequest(exceptions.APIException):
    """A parameter the API cannot use, with its own code (e.g. ``too_large``)."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, code: str, detail: str, http_status: int = 400) -> None:
        super().__init__(detail)
        self.sijill_code, self.status_code = code, http_status


def handle(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("No such letter, task or page.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, SijillError):
        code = next((s for cls, s in SIJILL_STATUS if isinstance(exc, cls)), 500)
        if code == 500:
            log.error("api: %s (%s)", exc.message, exc.code)
        return Response({"error": exc.code, "detail": exc.message}, status=code)
    response = exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django's 500 page (which shows nothing sensitive) and the log
    code = getattr(exc, "sijill_code", None) or next((c for cls, c in DRF_CODES if isinstance(exc, cls)), "error")
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    response.data = {"error": code, "detail": detail}
    return response
