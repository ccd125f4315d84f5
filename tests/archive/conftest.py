"""The web tests' staff, letters and logged-in client, for the archive's records pages."""

from tests.web.conftest import letters, login, staff, web  # noqa: F401  (fixtures)
