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
    "django_htmx",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "config",
    "archive",
    "ingest",
    "search",
    "signing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
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
                "config.web.context.navigation",
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
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
STATIC_URL = "static/"
# Only for `collectstatic` behind a web server; whitenoise serves from the finders otherwise.
STATIC_ROOT = (SIJILL.home / "static") if (SIJILL.home / "static").is_dir() else None
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "config.web.fonts.DebianFontsFinder",  # the fonts come from Debian packages, never the internet
]
WHITENOISE_USE_FINDERS = True  # served straight from the apps and Debian: no collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = SIJILL.web.login_attempts
AXES_COOLOFF_TIME = SIJILL.web.lockout_minutes / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"

SESSION_COOKIE_AGE = SIJILL.web.session_minutes * 60
SESSION_SAVE_EVERY_REQUEST = True  # the timeout counts from the last request: inactivity
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it from the page's meta tag, not the cookie
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if SIJILL.web.https:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

if SIJILL.web.smtp_host:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = SIJILL.web.smtp_host
    EMAIL_PORT = SIJILL.web.smtp_port
    EMAIL_HOST_USER = SIJILL.web.smtp_user or ""
    EMAIL_HOST_PASSWORD = SIJILL.web.smtp_password or ""
    EMAIL_USE_TLS = SIJILL.web.smtp_tls
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = SIJILL.web.mail_from
DATA_UPLOAD_MAX_NUMBER_FILES = 200
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {"sijill": {"handlers": ["stderr"], "level": "WARNING"}},
}
# The REST API (config/api): tokens only (no session, hence no CSRF), the web's role rules,
# throttled per token, errors as {"error": code, "detail": …}.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["config.api.auth.TokenAuth"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "config.api.auth.RoleAllows"],
    "DEFAULT_THROTTLE_CLASSES": ["config.api.auth.PerToken"],
    "DEFAULT_THROTTLE_RATES": {
        "api": SIJILL.web.api_rate,
        "upload": SIJILL.web.api_upload_rate,
        "token": SIJILL.web.api_token_rate,
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "EXCEPTION_HANDLER": "config.api.errors.handle",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sijill REST API",
    "DESCRIPTION": "The registry office's mail: hand letters in, follow them, search, read, route. See docs/api.md.",
    "VERSION": "1",
    "ENUM_NAME_OVERRIDES": {
        "LetterStatus": ["registered", "assigned", "in_progress", "answered", "closed"],
        "TaskStatus": ["queued", "running", "retrying", "registered", "duplicate", "quarantined", "failed"],
    },
}
# Throttle counters shared by every process of a machine (a file cache under SIJILL_HOME),
# or by every machine when Redis is configured.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": SIJILL.queue.redis_url}
    if SIJILL.queue.redis_url
    else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(SIJILL.home / "cache")}
}

DEFAULT_EXCEPTION_REPORTER_FILTER = "config.web.reporting.AlwaysSafeFilter"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"
