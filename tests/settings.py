"""Django settings for the test run: a throw-away SIJILL_HOME, never the user's own."""

import os
import tempfile

os.environ["SIJILL_HOME"] = tempfile.mkdtemp(prefix="sijill-test-home-")
os.environ.setdefault("SIJILL_WORKERS", "2")

from config.settings import *  # noqa: F403

# Hashing a password the real way takes a third of a second; the tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
