"""Error pages and error reports never show a secret, not even with SIJILL_DEBUG=1."""

from __future__ import annotations

from django.views.debug import SafeExceptionReporterFilter


class AlwaysSafeFilter(SafeExceptionReporterFilter):
    """Django hides sensitive POST fields and settings only when DEBUG is off; a clerk's office
    turning DEBUG on to understand an error must not show the signing PIN typed a moment ago."""

    def is_active(self, request) -> bool:
        return True
