"""Logging in with Django's own form at /login/, the rate limit, the session timeout, and the
deployment check behind a TLS proxy."""

from __future__ import annotations

import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from tests.conftest import REPO, run_sijill, sijill_env
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_login_form_takes_each_role_to_its_work(client, staff) -> None:
    page = client.get("/login/").content.decode()
    assert 'name="username"' in page and 'name="password"' in page and "/admin/" not in page
    res = client.post("/login/", {"username": "agent", "password": PASSWORD})
    assert res.status_code == 302
    assert client.get("/").url == "/inbox/"
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, staff) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        res = client.post("/login/", {"username": "clerk", "password": "wrong"})
    res = client.post("/login/", {"username": "clerk", "password": PASSWORD})  # even the right one now
    assert res.status_code == 429
    assert "مقفل" in res.content.decode()  # the Arabic page: «هذا الحساب مقفل مؤقتا»


def test_check_deploy_passes_behind_a_tls_proxy(tmp_path) -> None:
    env = sijill_env(tmp_path, {"SIJILL_HTTPS": "1", "SIJILL_SECRET_KEY": secrets.token_urlsafe(50),
                                "SIJILL_ALLOWED_HOSTS": "courrier.commune.ma"})  # fmt: skip
    res = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=REPO,
                         env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr


def test_user_add_takes_the_password_from_the_environment_never_the_command_line(home) -> None:
    res = run_sijill(home, "user", "add", "nadia", "--role", "head", "--service", "urbanisme",
                     env={"SIJILL_USER_PASSWORD": "nadia-pass-123"})  # fmt: skip
    assert res.returncode == 0 and "head" in res.stdout, res.stderr
    res = run_sijill(home, "user", "add", "x", "--role", "agent", env={"SIJILL_USER_PASSWORD": "long-enough-1"})
    assert res.returncode == 2 and "--service" in res.stderr
    res = run_sijill(home, "user", "add", "y", "--role", "boss", env={"SIJILL_USER_PASSWORD": "long-enough-1"})
    assert res.returncode == 2 and "clerk" in res.stderr


# Made at run time: the debug page also shows the source lines around each frame.
SECRETS = tuple(secrets.token_hex(8) for _ in range(4))  # secret key, S3, OpenSearch, PIN


def _settings_with_secrets():
    from config import sijill

    return sijill.load({
        "SIJILL_SECRET_KEY": SECRETS[0], "SIJILL_STORAGE": "s3", "SIJILL_S3_ENDPOINT": "127.0.0.1:9",
        "SIJILL_S3_ACCESS_KEY": "AKIA", "SIJILL_S3_SECRET_KEY": SECRETS[1], "SIJILL_SEARCH": "opensearch",
        "SIJILL_OPENSEARCH_URL": f"https://admin:{SECRETS[2]}@127.0.0.1:9200",
    })  # fmt: skip


def _fail() -> None:
    raise RuntimeError("boom")


def test_the_debug_error_page_shows_no_secret(rf, settings) -> None:
    """SIJILL_DEBUG=1's error page shows settings and POST data: never a key, a password or a PIN."""
    import sys as _sys

    from django.views.debug import technical_500_response

    settings.SIJILL = _settings_with_secrets()
    settings.DEBUG = True
    request = rf.post("/outgoing/1/sign", {"secret": SECRETS[3]})
    request.sensitive_post_parameters = ["secret"]  # as @sensitive_post_parameters("secret") sets it
    try:
        _fail()
    except RuntimeError:
        html = technical_500_response(request, *_sys.exc_info()).content.decode()
    assert "boom" in html and "SijillSettings" in html
    leaked = [i for i, secret in enumerate(SECRETS) if secret in html]
    assert not leaked, leaked
