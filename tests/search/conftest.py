from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.backends.base import SearchIndex
from search.backends.tantivy_index import TantivyIndex

OPENSEARCH_URL = os.environ.get("SIJILL_TEST_OPENSEARCH_URL")
# The OpenSearch half of the shared suite exists only when a cluster is given: no server can
# run on the development machines (see docs/search.md).
BACKENDS = ["tantivy"] + (["opensearch"] if OPENSEARCH_URL else [])


def make_index(kind: str, tmp_path: Path) -> SearchIndex:
    if kind == "tantivy":
        return TantivyIndex(tmp_path / "index")
    from search.backends.opensearch_index import OpenSearchIndex, client_for

    assert OPENSEARCH_URL
    return OpenSearchIndex(client_for(OPENSEARCH_URL, 30), f"sijill-test-{uuid.uuid4().hex[:8]}")


def drop_index(index: SearchIndex) -> None:
    if index.name == "opensearch":
        index.client.indices.delete(index=f"{index.alias}-*")  # type: ignore[attr-defined]
        index.client.indices.delete_index_template(name=index.alias)  # type: ignore[attr-defined]
    index.close()


@pytest.fixture(params=BACKENDS)
def empty_index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchIndex]:
    index = make_index(request.param, tmp_path)
    yield index
    drop_index(index)
