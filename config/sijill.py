"""Sijill's own settings, read from ``SIJILL_*`` environment variables in one place.

Every setting has a default that runs on one machine with no server: SQLite and a
filesystem object store under ``SIJILL_HOME``. Servers are opt-in.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from config.env import _bool, _choice, _float, _int, redact_url
from config.errors import ConfigError
from config.service_settings import (
    IntakeSettings,
    QueueSettings,
    WebSettings,
    _intake_settings,
    _queue_settings,
    _web_settings,
)

__all__ = ["IntakeSettings", "QueueSettings", "WebSettings", "redact_url"]  # re-exported for their users


@dataclass(frozen=True)
class S3Settings:
    endpoint: str
    access_key: str
    secret_key: str
    bucket: str = "sijill"
    secure: bool = False
    region: str | None = None
    # Object lock on originals: "governance" (the records issue's disposal may bypass it with
    # the right permission), "compliance" (nobody can shorten it), or "off" (a server without
    # object lock; originals are then protected by Sijill alone).
    lock_mode: str = "governance"
    retention_days: int = 3650  # until the retention calendar sets each letter's own date

    def __repr__(self) -> str:  # never show the secret key, in a log or an error page
        return f"S3Settings(endpoint={self.endpoint!r}, bucket={self.bucket!r}, access_key={self.access_key!r})"


@dataclass(frozen=True)
class OcrSettings:
    languages: str = "ara+fra"
    dpi: int = 300
    timeout_s: float = 180
    # Pages per file beyond which a file is refused rather than tying up the workers.
    max_pages: int = 2000
    # Largest raster accepted (pixels); bigger is treated as a decompression bomb.
    max_pixels: int = 200_000_000


@dataclass(frozen=True)
class SearchSettings:
    backend: str = "tantivy"  # "tantivy" (embedded) or "opensearch"
    opensearch_url: str | None = None
    # Name of the alias queries go to; concrete indices are "<alias>-<timestamp>".
    opensearch_index: str = "sijill-documents"
    opensearch_timeout_s: float = 10.0

    def __repr__(self) -> str:
        return (
            f"SearchSettings(backend={self.backend!r}, opensearch_url={redact_url(self.opensearch_url)!r}, "
            f"opensearch_index={self.opensearch_index!r})"
        )


@dataclass(frozen=True)
class SigningSettings:
    tsa_url: str | None = None  # RFC 3161 TSA; without one, signatures are PAdES B-B
    tsa_timeout_s: float = 10.0  # seconds to wait for the TSA's answer
    stamp_font: str | None = None  # OpenType font with Arabic and Latin (default: Amiri)
    trust_roots: tuple[Path, ...] = ()  # CA certificates signatures are checked against
    crls: tuple[Path, ...] = ()  # revocation lists on disk (offline); otherwise fetched from the certificates
    # The office's key for signing from the browser: a PKCS#12 file on the server, or a key on a
    # PKCS#11 token. Its password or PIN is never configured: the signatory types it at signing.
    office_p12: Path | None = None
    office_token: str | None = None
    office_key_label: str = "signer"
    pkcs11_lib: str = "/usr/lib/softhsm/libsofthsm2.so"
    office_cert: Path | None = None
    function_ar: str = ""  # the signatory's function on the stamp
    function_fr: str = ""
    # The office's seal for what the server issues by itself (deposit receipts): its secret IS
    # configured, as no one is there to type it. Neither set: a self-signed seal in SIJILL_HOME.
    seal_p12: Path | None = None
    seal_token: str | None = None
    seal_key_label: str = "seal"
    seal_secret: str | None = field(default=None, repr=False)  # the PKCS#12 password or the token's PIN

    def __repr__(self) -> str:
        return (f"SigningSettings(tsa_url={self.tsa_url!r}, office_p12={self.office_p12!r}, "
                f"office_token={self.office_token!r}, seal_p12={self.seal_p12!r}, seal_token={self.seal_token!r}, "
                f"seal_secret={'***' if self.seal_secret else None!r})")  # fmt: skip


@dataclass(frozen=True)
class RetrySettings:
    # Transient failures (database locked or down, storage down, a worker killed) are retried
    # this many times in all, waiting delay_s, then 4×, 16× as long.
    attempts: int = 4
    delay_s: float = 2.0
    db_busy_timeout_s: float = 60.0  # SQLite: how long a writer waits for the lock


@dataclass(frozen=True)
class SijillSettings:
    home: Path
    database_url: str | None
    storage: str  # "fs" or "s3"
    s3: S3Settings | None
    workers: int
    ocr: OcrSettings = field(default_factory=OcrSettings)
    search: SearchSettings = field(default_factory=SearchSettings)
    taxonomy_path: Path | None = None  # None: config/taxonomy.toml
    retention_path: Path | None = None  # None: config/retention.toml
    signing: SigningSettings = field(default_factory=SigningSettings)
    retry: RetrySettings = field(default_factory=RetrySettings)
    # The filesystem object store's folder when it is not SIJILL_HOME/objects (a mounted share).
    objects_dir: Path | None = None
    queue: QueueSettings = field(default_factory=QueueSettings)
    secret_key: str | None = None  # None: a random key kept in SIJILL_HOME/secret_key (see secret_key_for)
    debug: bool = False
    allowed_hosts: tuple[str, ...] = ("localhost", "127.0.0.1")
    web: WebSettings = field(default_factory=WebSettings)
    intake: IntakeSettings = field(default_factory=IntakeSettings)

    def __repr__(self) -> str:  # shown by Django's debug page and in logs: no secret in it
        return (
            f"SijillSettings(home={str(self.home)!r}, database_url={redact_url(self.database_url)!r}, "
            f"storage={self.storage!r}, s3={self.s3!r}, search={self.search!r}, queue={self.queue!r}, "
            f"secret_key='***', debug={self.debug!r})"
        )

    @property
    def store_dir(self) -> Path:
        return self.objects_dir or self.home / "objects"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def sqlite_path(self) -> Path:
        return self.home / "catalogue.sqlite3"


def load(env: Mapping[str, str] | None = None) -> SijillSettings:
    """Build settings from the environment (``os.environ`` by default)."""
    env = os.environ if env is None else env
    home = Path(env.get("SIJILL_HOME") or "./var").expanduser().resolve()
    storage = (env.get("SIJILL_STORAGE") or "fs").lower()
    if storage not in {"fs", "s3"}:
        raise ConfigError(f"SIJILL_STORAGE must be 'fs' or 's3', got {storage!r}.")
    s3 = None
    if storage == "s3":
        missing = [n for n in ("SIJILL_S3_ENDPOINT", "SIJILL_S3_ACCESS_KEY", "SIJILL_S3_SECRET_KEY") if not env.get(n)]
        if missing:
            raise ConfigError(f"SIJILL_STORAGE=s3 needs {', '.join(missing)} to be set.")
        s3 = S3Settings(
            endpoint=env["SIJILL_S3_ENDPOINT"],
            access_key=env["SIJILL_S3_ACCESS_KEY"],
            secret_key=env["SIJILL_S3_SECRET_KEY"],
            bucket=env.get("SIJILL_S3_BUCKET") or "sijill",
            secure=_bool(env.get("SIJILL_S3_SECURE", "0")),
            region=env.get("SIJILL_S3_REGION") or None,
            lock_mode=_choice(env, "SIJILL_S3_LOCK", ("governance", "compliance", "off"), "governance"),
            retention_days=max(1, _int(env, "SIJILL_S3_RETENTION_DAYS", 3650)),
        )
    workers = _int(env, "SIJILL_WORKERS", os.cpu_count() or 1)
    if workers < 1:
        raise ConfigError("SIJILL_WORKERS must be at least 1.")
    ocr = OcrSettings(
        languages=env.get("SIJILL_OCR_LANGUAGES") or "ara+fra",
        dpi=_int(env, "SIJILL_OCR_DPI", 300),
        timeout_s=_float(env, "SIJILL_OCR_TIMEOUT", 180.0),
        max_pages=_int(env, "SIJILL_MAX_PAGES", 2000),
        max_pixels=_int(env, "SIJILL_MAX_PIXELS", 200_000_000),
    )
    search = _search_settings(env)
    hosts = tuple(h.strip() for h in (env.get("SIJILL_ALLOWED_HOSTS") or "").split(",") if h.strip())
    return SijillSettings(
        home=home,
        database_url=env.get("SIJILL_DATABASE_URL") or None,
        storage=storage,
        s3=s3,
        workers=workers,
        ocr=ocr,
        search=search,
        taxonomy_path=Path(env["SIJILL_TAXONOMY"]).expanduser().resolve() if env.get("SIJILL_TAXONOMY") else None,
        retention_path=Path(env["SIJILL_RETENTION"]).expanduser().resolve() if env.get("SIJILL_RETENTION") else None,
        signing=SigningSettings(
            tsa_url=env.get("SIJILL_TSA_URL") or None,
            tsa_timeout_s=_float(env, "SIJILL_TSA_TIMEOUT", 10.0),
            stamp_font=env.get("SIJILL_STAMP_FONT") or None,
            trust_roots=tuple(Path(p).expanduser() for p in (env.get("SIJILL_TRUST_ROOTS") or "").split(":") if p),
            crls=tuple(Path(p).expanduser() for p in (env.get("SIJILL_CRLS") or "").split(":") if p),
            office_p12=Path(env["SIJILL_SIGN_P12"]).expanduser() if env.get("SIJILL_SIGN_P12") else None,
            office_token=env.get("SIJILL_SIGN_TOKEN") or None,
            office_key_label=env.get("SIJILL_SIGN_KEY_LABEL") or "signer",
            pkcs11_lib=env.get("SIJILL_PKCS11_LIB") or "/usr/lib/softhsm/libsofthsm2.so",
            office_cert=Path(env["SIJILL_SIGN_CERT"]).expanduser() if env.get("SIJILL_SIGN_CERT") else None,
            function_ar=env.get("SIJILL_SIGN_FUNCTION_AR") or "",
            function_fr=env.get("SIJILL_SIGN_FUNCTION_FR") or "",
            seal_p12=Path(env["SIJILL_SEAL_P12"]).expanduser() if env.get("SIJILL_SEAL_P12") else None,
            seal_token=env.get("SIJILL_SEAL_TOKEN") or None,
            seal_key_label=env.get("SIJILL_SEAL_KEY_LABEL") or "seal",
            seal_secret=env.get("SIJILL_SEAL_SECRET") or None,
        ),
        retry=RetrySettings(
            attempts=max(1, _int(env, "SIJILL_RETRIES", 4)),
            delay_s=_float(env, "SIJILL_RETRY_DELAY", 2.0),
            db_busy_timeout_s=_float(env, "SIJILL_DB_BUSY_TIMEOUT", 60.0),
        ),
        queue=_queue_settings(env),
        intake=_intake_settings(env),
        objects_dir=Path(env["SIJILL_STORE_DIR"]).expanduser().resolve() if env.get("SIJILL_STORE_DIR") else None,
        secret_key=env.get("SIJILL_SECRET_KEY") or None,
        debug=_bool(env.get("SIJILL_DEBUG", "0")),
        allowed_hosts=hosts or ("localhost", "127.0.0.1"),
        web=_web_settings(env),
    )


def _search_settings(env: Mapping[str, str]) -> SearchSettings:
    backend = (env.get("SIJILL_SEARCH") or "tantivy").lower()
    if backend not in {"tantivy", "opensearch"}:
        raise ConfigError(f"SIJILL_SEARCH must be 'tantivy' or 'opensearch', got {backend!r}.")
    url = env.get("SIJILL_OPENSEARCH_URL") or None
    if backend == "opensearch" and not url:
        raise ConfigError("SIJILL_SEARCH=opensearch needs SIJILL_OPENSEARCH_URL (e.g. https://user:pass@host:9200).")
    return SearchSettings(
        backend=backend,
        opensearch_url=url,
        opensearch_index=env.get("SIJILL_OPENSEARCH_INDEX") or "sijill-documents",
        opensearch_timeout_s=_float(env, "SIJILL_OPENSEARCH_TIMEOUT", 10.0),
    )


def database_config(s: SijillSettings) -> dict:
    """Django ``DATABASES['default']`` for the configured catalogue."""
    if not s.database_url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(s.sqlite_path),
            # IMMEDIATE takes the write lock at BEGIN, so two ingesting processes queue
            # instead of failing with "database is locked" half-way through a registration.
            "OPTIONS": {
                "timeout": s.retry.db_busy_timeout_s,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # Tests use a file too: in-memory shared-cache SQLite has table locks that ignore
            # the busy timeout, and would not test what runs in production.
            "TEST": {"NAME": str(s.home / "test-catalogue.sqlite3")},
        }
    from urllib.parse import unquote, urlparse

    url = urlparse(s.database_url)
    if url.scheme not in {"postgres", "postgresql"}:
        raise ConfigError(f"SIJILL_DATABASE_URL must be postgresql://user:password@host:port/name, got {url.scheme!r}.")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": url.path.lstrip("/"),
        "USER": unquote(url.username or ""),
        "PASSWORD": unquote(url.password or ""),
        "HOST": url.hostname or "",
        "PORT": str(url.port or ""),
    }


def secret_key_file(s: SijillSettings) -> Path:
    return s.home / "secret_key"


def secret_key_for(s: SijillSettings) -> str:
    """``SIJILL_SECRET_KEY``, or a random key made on first use and kept in SIJILL_HOME (0600),
    so the embedded default needs no configuration and never uses a public constant."""
    if s.secret_key:
        return s.secret_key
    import secrets

    path = secret_key_file(s)
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    try:  # O_EXCL: two processes starting together keep one key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key)
    return key
