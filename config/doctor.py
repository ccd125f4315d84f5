"""`sijill doctor`: is everything Sijill needs installed and reachable?"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from config.sijill import SijillSettings

APT_HINT = "sudo apt-get install -y"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


def _tesseract() -> list[Check]:
    exe = shutil.which("tesseract")
    if not exe:
        return [Check("tesseract", False, "not found on PATH", f"{APT_HINT} tesseract-ocr")]
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.splitlines()
    checks = [Check("tesseract", True, version[0] if version else exe), _tesserocr()]
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True)
    langs = set((out.stdout + out.stderr).split())
    for lang, pkg in (("ara", "tesseract-ocr-ara"), ("fra", "tesseract-ocr-fra"), ("osd", "tesseract-ocr-osd")):
        ok = lang in langs
        checks.append(
            Check(f"tesseract {lang} data", ok, "installed" if ok else "missing", "" if ok else f"{APT_HINT} {pkg}")
        )
    ok = "uig" in langs  # the Uyghur model writes «ڭ», «گ» and «پ», which ``ara`` cannot
    detail = "installed" if ok else "missing (Moroccan names with ڭ, گ or پ lose that letter)"
    checks.append(
        Check("tesseract uig data", ok, detail, "" if ok else f"{APT_HINT} tesseract-ocr-uig", required=False)
    )
    return checks


def _tesserocr() -> Check:
    """The library that keeps models loaded in each OCR process (the program is for OCRmyPDF)."""
    try:
        import tesserocr

        from ingest.tesseract import tessdata_dir

        version = tesserocr.tesseract_version().splitlines()[0]
        langs = set(tesserocr.get_languages(tessdata_dir())[1])
    except (ImportError, OSError, RuntimeError) as exc:
        return Check("tesserocr", False, str(exc), "make venv")
    missing = {"ara", "fra", "osd"} - langs
    detail = f"{version} with {tessdata_dir()}" + (f" (missing {', '.join(sorted(missing))})" if missing else "")
    fix = f"{APT_HINT} tesseract-ocr-ara tesseract-ocr-fra tesseract-ocr-osd" if missing else ""
    return Check("tesserocr", not missing, detail, fix)


def _program(name: str, package: str, why: str, required: bool) -> Check:
    exe = shutil.which(name)
    return Check(name, bool(exe), exe or f"not found ({why})", "" if exe else f"{APT_HINT} {package}", required)


def run_checks(settings: SijillSettings) -> list[Check]:
    checks = _tesseract()
    checks.append(_program("pdftotext", "poppler-utils", "checks searchable copies", False))
    checks.append(_program("ocrmypdf", "ocrmypdf", "only for bench/ocr.py", False))
    try:
        settings.home.mkdir(parents=True, exist_ok=True)
        probe = settings.home / ".doctor-probe"
        probe.write_text("ok")
        probe.unlink()
        checks.append(Check("SIJILL_HOME", True, f"{settings.home} is writable"))
    except OSError as exc:
        checks.append(
            Check("SIJILL_HOME", False, f"{settings.home}: {exc.strerror}", "set SIJILL_HOME to a writable folder")
        )
    from archive.objectstore import open_store
    from config.errors import SijillError

    try:
        store = open_store(settings)
        store.stat("doctor/probe")
        checks.append(Check("object store", True, store.describe()))
    except SijillError as exc:
        checks.append(Check("object store", False, exc.message, "check SIJILL_STORAGE and SIJILL_S3_* settings"))
    checks.append(_secret_key(settings))
    db_checks = _database(settings)
    checks += db_checks
    if not all(c.ok for c in db_checks):
        return checks
    checks.append(_search_index(settings))
    checks.append(_taxonomy(settings))
    checks.append(_seal(settings))
    checks += [_watch_dir(folder) for folder, _ in settings.intake.watch_dirs]
    return checks


def _seal(settings: SijillSettings) -> Check:
    s = settings.signing
    if s.seal_p12 or s.seal_token:
        where = str(s.seal_p12) if s.seal_p12 else f"token {s.seal_token}"
        ok = bool(s.seal_secret) and (s.seal_token is not None or (s.seal_p12 is not None and s.seal_p12.is_file()))
        return Check(
            "receipt seal", ok, where, "" if ok else "check SIJILL_SEAL_P12 / SIJILL_SEAL_TOKEN and SIJILL_SEAL_SECRET"
        )
    detail = f"self-signed, kept in {settings.home / 'seal'} (proves integrity, not identity)"
    return Check("receipt seal", True, detail, "set SIJILL_SEAL_P12 and SIJILL_SEAL_SECRET for a certified seal", False)


def _watch_dir(folder) -> Check:
    import os

    ok = folder.is_dir() and os.access(folder, os.R_OK | os.W_OK | os.X_OK)
    return Check(f"hot folder {folder.name}", ok, str(folder), "" if ok else f"create {folder}, writable by Sijill")


def _taxonomy(settings: SijillSettings) -> Check:
    from config import taxonomy
    from config.errors import ConfigError

    try:
        t = taxonomy.load(settings.taxonomy_path)
    except ConfigError as exc:
        return Check("taxonomy", False, exc.message, "fix the file named above")
    return Check("taxonomy", True, f"{len(t.types)} mail types, {len(t.services)} services ({t.source})")


def _search_index(settings: SijillSettings) -> Check:
    from config.errors import SijillError
    from search import sync
    from search.backends.factory import open_index

    try:
        index = open_index(settings, writer_wait_s=0)
        try:
            detail = f"{index.name}: {index.count()} entries indexed, {sync.pending(index)} changes to catch up"
        finally:
            index.close()
        return Check("search index", True, detail)
    except SijillError as exc:
        fix = "check SIJILL_OPENSEARCH_URL" if settings.search.backend == "opensearch" else "run `sijill reindex`"
        return Check("search index", False, exc.message, fix)


def _database(settings: SijillSettings) -> list[Check]:
    """Driver, connection, schema version and rights: each with the fix an operator needs."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import connection

    from archive import schema
    from config.errors import SchemaOutdated

    if connection.vendor == "postgresql":
        try:
            import psycopg

            checks = [Check("postgresql driver", True, f"psycopg {psycopg.__version__}")]
        except ImportError:
            return [Check("postgresql driver", False, "psycopg is not installed", "pip install 'psycopg[binary]>=3.1'")]
    else:
        checks = []
    where = f"{connection.vendor} {connection.settings_dict['NAME']}"
    try:
        connection.ensure_connection()
    except ImproperlyConfigured as exc:
        return [*checks, Check("catalogue database", False, str(exc), "check SIJILL_DATABASE_URL")]
    except Exception as exc:  # any driver error means the same thing to an operator
        return [*checks, Check("catalogue database", False, f"{where}: {exc}".strip(), "check SIJILL_DATABASE_URL")]
    checks.append(Check("catalogue database", True, where))
    st = schema.state()
    if not st.current:  # like any command: create an empty catalogue (or wait for whoever is)
        try:
            schema.ensure_ready(settings.home)
        except SchemaOutdated:
            pass  # reported below, with the fix
        st = schema.state()
    fix = "" if st.current or st.empty else ("upgrade Sijill" if st.unknown else "sijill migrate-db")
    checks.append(Check("catalogue schema", st.current or st.empty, st.describe(), fix))
    checks.append(_rights(connection))
    return checks


def _rights(connection) -> Check:
    if connection.vendor != "postgresql":
        return Check("catalogue rights", True, "SQLite file: the database is writable by this user")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT current_user, has_database_privilege(current_database(), 'CREATE'), "
            "has_schema_privilege('public', 'CREATE'), has_schema_privilege('public', 'USAGE')"
        )
        user, db_create, schema_create, usage = cur.fetchone()
    ok = bool(schema_create and usage)
    yes = {True: "yes", False: "no"}
    detail = f"user {user}: usage of schema public {yes[bool(usage)]}, create in it {yes[bool(schema_create)]}"
    detail += f", create in database {yes[bool(db_create)]}"
    return Check("catalogue rights", ok, detail, "" if ok else f"GRANT USAGE, CREATE ON SCHEMA public TO {user}")


def _secret_key(settings: SijillSettings) -> Check:
    from config.sijill import secret_key_file

    if settings.secret_key:
        return Check("secret key", True, "from SIJILL_SECRET_KEY")
    path = secret_key_file(settings)
    where = "made on first use" if not path.exists() else f"mode {oct(path.stat().st_mode & 0o777)}"
    ok = not path.exists() or path.stat().st_mode & 0o077 == 0
    return Check("secret key", ok, f"random, kept in {path} ({where})", "" if ok else f"chmod 600 {path}")
