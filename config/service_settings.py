"""The settings of the services around the archive: the task queue, the intake channels and the
web application (with its REST API and the citizen's deposit)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from config.env import _bool, _float, _int, redact_url
from config.errors import ConfigError


@dataclass(frozen=True)
class QueueSettings:
    # "embedded": a SQLite file under SIJILL_HOME, workers on this machine only.
    # "postgres": the catalogue's own PostgreSQL (LISTEN/NOTIFY), workers on any machine.
    # "redis": a Redis server (SIJILL_REDIS_URL), workers on any machine.
    backend: str = "embedded"
    redis_url: str | None = None
    # A running task's lease: renewed every third of it while the worker lives; a task whose
    # lease ran out (its worker was killed) is taken over by another worker.
    lease_s: float = 60.0
    attempts: int = 5  # runs of one task before it is failed for good (worker deaths included)
    fixity_sample: int = 200  # originals re-hashed each night by the workers
    # A queued file with at least this many pages to OCR is read by every free worker, a page
    # each (0: each file is read by one worker alone).
    split_pages: int = 4

    def __repr__(self) -> str:
        return f"QueueSettings(backend={self.backend!r}, redis_url={redact_url(self.redis_url)!r})"


@dataclass(frozen=True)
class IntakeSettings:
    # Scanners' hot folders, each with the service its letters go to (None: as read).
    watch_dirs: tuple[tuple[Path, str | None], ...] = ()
    watch_settle_s: float = 3.0  # a file unchanged this long (and openable) is complete
    imap_url: str | None = None  # imaps://user:pass@host/INBOX
    imap_done_folder: str | None = None  # where read messages are moved (else: flagged as seen)

    def __repr__(self) -> str:
        return (f"IntakeSettings(watch_dirs={[str(d) for d, _ in self.watch_dirs]!r}, "
                f"imap_url={redact_url(self.imap_url)!r})")  # fmt: skip


@dataclass(frozen=True)
class WebSettings:
    https: bool = False  # behind a TLS proxy: secure cookies, HSTS
    session_minutes: int = 30  # idle time before a user must log in again
    login_attempts: int = 5  # failed logins before the account and address are locked out
    lockout_minutes: int = 15
    smtp_host: str | None = None  # notifications by e-mail; none sent when unset
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_tls: bool = False
    mail_from: str = "sijill@localhost"
    base_url: str = "http://127.0.0.1:8000"  # links in e-mails
    # REST API requests per token (per address before a token): "N/s", "N/min", "N/hour", "N/day".
    api_rate: str = "600/min"
    api_upload_rate: str = "120/min"
    api_token_rate: str = "20/min"
    office_name: str = "Bureau d'ordre — مكتب الضبط"  # on deposit receipts
    deposit_per_hour: int = 5  # deposits per address and per contact, each hour
    deposit_max_mb: int = 20  # per file; at most 10 files per deposit

    def __repr__(self) -> str:
        return (
            f"WebSettings(https={self.https!r}, session_minutes={self.session_minutes!r}, "
            f"smtp_host={self.smtp_host!r}, smtp_user={self.smtp_user!r}, smtp_password='***')"
        )


def _rate(env: Mapping[str, str], name: str, default: str) -> str:
    value = (env.get(name) or default).strip()
    count, _, period = value.partition("/")
    if not count.isdigit() or int(count) < 1 or period not in {"s", "sec", "second", "m", "min", "minute", "h", "hour",
                                                                "d", "day"}:  # fmt: skip
        raise ConfigError(f"{name} must look like 600/min (a count per s, min, hour or day), got {value!r}.")
    return value


def _web_settings(env: Mapping[str, str]) -> WebSettings:
    minutes = _int(env, "SIJILL_SESSION_MINUTES", 30)
    if not 1 <= minutes <= 24 * 60:
        raise ConfigError("SIJILL_SESSION_MINUTES must be between 1 and 1440.")
    return WebSettings(
        https=_bool(env.get("SIJILL_HTTPS", "0")),
        session_minutes=minutes,
        login_attempts=max(1, _int(env, "SIJILL_LOGIN_ATTEMPTS", 5)),
        lockout_minutes=max(1, _int(env, "SIJILL_LOCKOUT_MINUTES", 15)),
        smtp_host=env.get("SIJILL_SMTP_HOST") or None,
        smtp_port=_int(env, "SIJILL_SMTP_PORT", 25),
        smtp_user=env.get("SIJILL_SMTP_USER") or None,
        smtp_password=env.get("SIJILL_SMTP_PASSWORD") or None,
        smtp_tls=_bool(env.get("SIJILL_SMTP_TLS", "0")),
        mail_from=env.get("SIJILL_MAIL_FROM") or "sijill@localhost",
        base_url=(env.get("SIJILL_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
        api_rate=_rate(env, "SIJILL_API_RATE", "600/min"),
        api_upload_rate=_rate(env, "SIJILL_API_UPLOAD_RATE", "120/min"),
        api_token_rate=_rate(env, "SIJILL_API_TOKEN_RATE", "20/min"),
        office_name=(env.get("SIJILL_OFFICE_NAME") or "Bureau d'ordre — مكتب الضبط")[:120],
        deposit_per_hour=max(1, _int(env, "SIJILL_DEPOSIT_PER_HOUR", 5)),
        deposit_max_mb=min(200, max(1, _int(env, "SIJILL_DEPOSIT_MAX_MB", 20))),
    )


def _intake_settings(env: Mapping[str, str]) -> IntakeSettings:
    dirs = []
    for item in (env.get("SIJILL_WATCH_DIRS") or "").split(os.pathsep):
        folder, _, service = item.strip().partition("=")  # /srv/scans/urbanisme=urbanisme
        if folder:
            dirs.append((Path(folder).expanduser().resolve(), service.strip() or None))
    url = env.get("SIJILL_IMAP_URL") or None
    if url and not url.startswith(("imap://", "imaps://")):
        raise ConfigError("SIJILL_IMAP_URL must look like imaps://user:password@host/INBOX.")
    return IntakeSettings(
        watch_dirs=tuple(dirs),
        watch_settle_s=_float(env, "SIJILL_WATCH_SETTLE", 3.0),
        imap_url=url,
        imap_done_folder=env.get("SIJILL_IMAP_DONE_FOLDER") or None,
    )


def _queue_settings(env: Mapping[str, str]) -> QueueSettings:
    # The queue follows the catalogue: a shared PostgreSQL catalogue means workers may run on
    # other machines, so the queue must be shared too.
    default = "postgres" if env.get("SIJILL_DATABASE_URL") else "embedded"
    backend = (env.get("SIJILL_QUEUE") or default).lower()
    if backend not in {"embedded", "postgres", "redis"}:
        raise ConfigError(f"SIJILL_QUEUE must be 'embedded', 'postgres' or 'redis', got {backend!r}.")
    if backend == "postgres" and not env.get("SIJILL_DATABASE_URL"):
        raise ConfigError("SIJILL_QUEUE=postgres uses the catalogue's database: set SIJILL_DATABASE_URL.")
    if backend == "redis" and not env.get("SIJILL_REDIS_URL"):
        raise ConfigError("SIJILL_QUEUE=redis needs SIJILL_REDIS_URL (e.g. redis://127.0.0.1:6379/0).")
    return QueueSettings(
        backend=backend,
        redis_url=env.get("SIJILL_REDIS_URL") or None,
        lease_s=_float(env, "SIJILL_TASK_LEASE", 60.0),
        attempts=max(1, _int(env, "SIJILL_TASK_ATTEMPTS", 5)),
        fixity_sample=max(1, _int(env, "SIJILL_FSCK_SAMPLE", 200)),
        split_pages=max(0, _int(env, "SIJILL_SPLIT_PAGES", 4)),
    )
