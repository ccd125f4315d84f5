"""Scale-out search index: OpenSearch through opensearch-py.

Queries go to an alias; each (re)build creates a new concrete index from the code's template
and swaps the alias in one atomic step, so searches never see a half-built index.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import unquote, urlparse

from opensearchpy import OpenSearch
from opensearchpy import exceptions as osx

from config.errors import IndexingFailed, SearchError, SearchUnavailable
from config.sijill import SearchSettings
from search.backends import opensearch_query as bodies
from search.backends.base import FACETS, RawResults
from search.backends.opensearch_schema import index_template
from search.document import IndexDocument, StoredHit
from search.query import ParsedQuery, SearchRequest

log = logging.getLogger("sijill.search")

BULK_CHUNK = 500


def client_for(url: str, timeout_s: float) -> OpenSearch:
    u = urlparse(url)
    auth = (unquote(u.username), unquote(u.password or "")) if u.username else None
    return OpenSearch(
        hosts=[{"host": u.hostname or "localhost", "port": u.port or 9200, "scheme": u.scheme or "http"}],
        http_auth=auth,
        use_ssl=u.scheme == "https",
        verify_certs=u.scheme == "https",
        timeout=timeout_s,
        max_retries=1,
        retry_on_timeout=False,
        http_compress=True,
    )


class OpenSearchIndex:
    name = "opensearch"

    def __init__(self, client: OpenSearch, alias: str, where: str = "OpenSearch") -> None:
        self.client = client
        self.alias = alias
        self.where = where
        self._concrete: str | None = None
        self._pending: list[IndexDocument] = []

    @classmethod
    def from_settings(cls, s: SearchSettings) -> OpenSearchIndex:
        assert s.opensearch_url
        u = urlparse(s.opensearch_url)
        return cls(
            client_for(s.opensearch_url, s.opensearch_timeout_s), s.opensearch_index, f"OpenSearch at {u.hostname}"
        )

    # --- errors: one translation for every call ---

    def _call(self, what: str, fn: Callable[..., Any], **kwargs: Any) -> Any:
        try:
            return fn(**kwargs)
        except osx.ConnectionTimeout as exc:
            raise SearchUnavailable(f"{self.where} did not answer in time ({what}). Try again shortly.") from exc
        except osx.ConnectionError as exc:
            raise SearchUnavailable(
                f"{self.where} cannot be reached ({what}). Nothing is lost: the index catches up when it is back."
            ) from exc
        except (osx.AuthenticationException, osx.AuthorizationException) as exc:
            raise SearchUnavailable(
                f"{self.where} refused Sijill's credentials ({what}); check SIJILL_OPENSEARCH_URL."
            ) from exc
        except osx.TransportError as exc:
            if exc.status_code in (429, 502, 503, 504):
                raise SearchUnavailable(
                    f"{self.where} is overloaded or restarting ({what}: {exc.status_code}). Try again shortly."
                ) from exc
            raise SearchError(f"{self.where} rejected {what}: {exc.status_code} {_reason(exc)}") from exc

    # --- lifecycle ---

    def _new_index_name(self) -> str:
        return f"{self.alias}-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}-{uuid.uuid4().hex[:6]}"

    def _ensure(self) -> str:
        if self._concrete:
            return self._concrete
        try:
            found = self.client.indices.get_alias(name=self.alias)
            self._concrete = sorted(found)[-1]
            return self._concrete
        except osx.NotFoundError:
            pass
        except osx.TransportError as exc:
            self._call("looking up the index alias", _reraise, exc=exc)
        self._put_template()
        name = self._new_index_name()
        self._call("creating the index", self.client.indices.create, index=name, body={"aliases": {self.alias: {}}})
        self._concrete = name
        return name

    def _put_template(self) -> None:
        self._call(
            "installing the index template",
            self.client.indices.put_index_template,
            name=self.alias,
            body=index_template(self.alias),
        )

    def identity(self) -> str:
        return f"opensearch:{self._ensure()}"

    def close(self) -> None:
        self._pending.clear()
        self.client.close()

    # --- writing ---

    def upsert(self, docs: Iterable[IndexDocument]) -> int:
        before = len(self._pending)
        self._pending.extend(docs)
        return len(self._pending) - before

    def commit(self) -> None:
        target = self._ensure()
        pending, self._pending = self._pending, []
        failed: dict[int, str] = {}
        for chunk in _chunks(pending, BULK_CHUNK):
            failed.update(self._bulk(target, chunk))
        self._call("refreshing the index", self.client.indices.refresh, index=target)
        if failed:
            raise IndexingFailed(
                f"{len(failed)} of {len(pending)} entries were not indexed by {self.where}; "
                "they are retried on the next catch-up.",
                failed,
            )

    def _bulk(self, index: str, docs: list[IndexDocument]) -> dict[int, str]:
        res = self._call("indexing documents", self.client.bulk, body="\n".join(bodies.bulk_lines(index, docs)) + "\n")
        if not res.get("errors"):
            return {}
        failed = {}
        for item in res.get("items", []):
            op = item.get("index") or item.get("create") or {}
            if op.get("error"):
                err = op["error"]
                failed[int(op.get("_id", -1))] = f"{err.get('type')}: {err.get('reason')}"
        for doc_id, reason in failed.items():
            log.warning("entry %s not indexed: %s", doc_id, reason)
        return failed

    def rebuild(self, docs: Iterable[IndexDocument], on_progress: Callable[[int], None] | None = None) -> int:
        self._put_template()
        new = self._new_index_name()
        self._call("creating the new index", self.client.indices.create, index=new, body={})
        n = 0
        failed: dict[int, str] = {}
        for chunk in _chunks(docs, BULK_CHUNK):
            failed.update(self._bulk(new, chunk))
            n += len(chunk)
            if on_progress:
                on_progress(len(chunk))
        if failed:
            self._call("removing the incomplete index", self.client.indices.delete, index=new)
            raise IndexingFailed(
                f"Rebuild stopped: {len(failed)} entries were refused; the old index is still in use.", failed
            )
        self._call("refreshing the new index", self.client.indices.refresh, index=new)
        old = []
        try:
            old = sorted(self.client.indices.get_alias(name=self.alias))
        except osx.NotFoundError:
            pass
        actions: list[dict[str, Any]] = [{"remove": {"index": o, "alias": self.alias}} for o in old]
        actions.append({"add": {"index": new, "alias": self.alias}})
        self._call("switching the alias", self.client.indices.update_aliases, body={"actions": actions})
        for o in old:
            self._call("deleting the previous index", self.client.indices.delete, index=o)
        self._concrete = new
        return n

    # --- reading ---

    def count(self) -> int:
        self._ensure()
        return int(self._call("counting", self.client.count, index=self.alias)["count"])

    def query(self, q: ParsedQuery, request: SearchRequest, min_match: int | None = None) -> RawResults:
        self._ensure()
        res = self._call(
            "the search", self.client.search, index=self.alias, body=bodies.search_body(q, request, min_match)
        )
        total = res["hits"]["total"]
        hits = [StoredHit(float(h.get("_score") or 0.0), h["_source"]["display"]) for h in res["hits"]["hits"]]
        facets = {}
        if request.facets:
            aggs = res.get("aggregations", {})
            facets = {
                name: [(str(b["key"]), int(b["doc_count"])) for b in aggs.get(name, {}).get("buckets", [])]
                for name in FACETS
            }
        return RawResults(int(total["value"] if isinstance(total, dict) else total), hits, facets)

    def analyze(self, analyzer: str, text: str) -> list[str]:
        """Tokens an analyser of the live index produces (for the golden agreement tests)."""
        res = self._call(
            "analysing text",
            self.client.indices.analyze,
            index=self._ensure(),
            body={"analyzer": analyzer, "text": text},
        )
        return [t["token"] for t in res.get("tokens", [])]


def _chunks(items: Iterable[IndexDocument], size: int) -> Iterator[list[IndexDocument]]:
    chunk: list[IndexDocument] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _reason(exc: osx.TransportError) -> str:
    info = exc.info if isinstance(exc.info, dict) else {}
    err = info.get("error")
    if isinstance(err, dict):
        return f"{err.get('type')}: {err.get('reason')}"
    return str(exc.error)


def _reraise(exc: Exception) -> None:
    raise exc
