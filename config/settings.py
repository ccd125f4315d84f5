"""Django settings. Everything configurable comes from ``config.sijill.load()``."""

from __future__ import annotations

from pathlib import Path

from django.utils.functional import lazy

from config import sijill

SIJILL = sijill.load()

BASE_DIR = Path(__file__).resolve().parent.parent
# Evaluated on first use (signing a session or a CSRF token), not at import: creating the key
# file is a side effect that must not happen when a command merely loads the settings.
SECRET_KEY = lazy(lambda: sijill.secret_key_for(SIJILL), str)()
DEBUG = SIJILL.debug
ALLOWED_HOSTS = list(SIJILL.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "archive",
    "ingest",
    "search",
    "signing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": sijill.database_config(SIJILL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية"), ("fr", "Français")]
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = SIJILL.home / "static"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"sijill": {"handlers": ["stderr"], "level": "WARNING"}},
}
LOGIN_URL = "/admin/login/"
