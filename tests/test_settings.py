from pathlib import Path

import pytest

from config import sijill
from config.errors import ConfigError


def test_defaults_need_no_server(tmp_path: Path) -> None:
    s = sijill.load({"SIJILL_HOME": str(tmp_path)})
    assert s.storage == "fs" and s.s3 is None and s.database_url is None
    assert s.store_dir == tmp_path / "objects"
    db = sijill.database_config(s)
    assert db["ENGINE"].endswith("sqlite3") and db["NAME"] == str(tmp_path / "catalogue.sqlite3")
    assert s.ocr.languages == "ara+fra" and s.ocr.dpi == 300 and s.workers >= 1


def test_postgres_url_is_parsed(tmp_path: Path) -> None:
    s = sijill.load({"SIJILL_HOME": str(tmp_path), "SIJILL_DATABASE_URL": "postgresql://sj:p%40ss@db:5433/sijill"})
    db = sijill.database_config(s)
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == ("sj", "p@ss", "db", "5433", "sijill")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SIJILL_STORAGE": "ftp"}, "'fs' or 's3'"),
        ({"SIJILL_STORAGE": "s3"}, "SIJILL_S3_ENDPOINT"),
        ({"SIJILL_WORKERS": "many"}, "whole number"),
        ({"SIJILL_WORKERS": "0"}, "at least 1"),
        ({"SIJILL_OCR_TIMEOUT": "-1"}, "more than 0"),
        ({"SIJILL_DATABASE_URL": "mysql://x"}, "postgresql://"),
        ({"SIJILL_SEARCH": "solr"}, "'tantivy' or 'opensearch'"),
        ({"SIJILL_SEARCH": "opensearch"}, "SIJILL_OPENSEARCH_URL"),
    ],
)
def test_bad_settings_say_what_to_fix(env: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        sijill.database_config(sijill.load(env))


def test_search_defaults_to_the_embedded_index(tmp_path: Path) -> None:
    s = sijill.load({"SIJILL_HOME": str(tmp_path)})
    assert s.search.backend == "tantivy" and s.index_dir == tmp_path.resolve() / "index"
    s = sijill.load({"SIJILL_SEARCH": "OpenSearch", "SIJILL_OPENSEARCH_URL": "https://u:p@os:9200"})
    assert s.search.backend == "opensearch" and s.search.opensearch_index == "sijill-documents"


def test_no_public_secret_key_a_random_one_kept_private_in_home(tmp_path: Path) -> None:
    s = sijill.load({"SIJILL_HOME": str(tmp_path)})
    assert not (tmp_path / "secret_key").exists()  # loading settings creates nothing
    key = sijill.secret_key_for(s)
    assert len(key) >= 50 and key != "dev-only-change-me"
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert sijill.secret_key_for(sijill.load({"SIJILL_HOME": str(tmp_path)})) == key  # kept
    assert sijill.secret_key_for(sijill.load({"SIJILL_HOME": str(tmp_path), "SIJILL_SECRET_KEY": "x" * 60})) == "x" * 60
    assert key not in repr(s)
