"""The web tests' staff and letters, and an API client per user (a real token each)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from archive import tokens
from tests.web.conftest import letters, staff, web  # noqa: F401  (fixtures)


@pytest.fixture
def api(staff):  # noqa: F811
    """``api(name)``: a client sending that user's token (``"anonymous"``: none)."""

    def client_for(name: str) -> APIClient:
        client = APIClient()
        if name != "anonymous":
            client.credentials(HTTP_AUTHORIZATION="Token " + tokens.issue(User.objects.get(username=name)))
        return client

    return client_for
