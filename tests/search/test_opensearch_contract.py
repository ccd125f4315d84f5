"""The OpenSearch adapter's contract: what it sends over HTTP and how it takes failures.

Checked against a scripted HTTP server (no cluster can run here); the same adapter runs the
shared behavioural suite when SIJILL_TEST_OPENSEARCH_URL points at a real cluster.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
from collections.abc import Iterator

import pytest

from config.errors import IndexingFailed, SearchError, SearchUnavailable
from search.api import search
from search.backends.opensearch_index import OpenSearchIndex, client_for
from search.backends.opensearch_query import search_body
from search.backends.opensearch_schema import index_template
from search.query import SearchRequest, parse
from tests.fixtures.opensearch_stub import StubServer
from tests.search.corpus import LETTERS

ALIAS = "sijill-documents"


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as s:
        yield s


@pytest.fixture
def index(stub: StubServer) -> OpenSearchIndex:
    return OpenSearchIndex(client_for(stub.url, 2.0), ALIAS)


def test_first_use_installs_the_template_and_an_aliased_index(index: OpenSearchIndex, stub: StubServer) -> None:
    ident = index.identity()
    tpl = stub.cluster.calls("PUT", "/_index_template/")[0]
    assert tpl.path == f"/_index_template/{ALIAS}" and tpl.body == index_template(ALIAS)
    create = stub.cluster.calls("PUT", f"/{ALIAS}-")[0]
    assert create.body == {"aliases": {ALIAS: {}}}
    assert ident == f"opensearch:{create.path.strip('/')}"
    index.identity()
    assert len(stub.cluster.calls("PUT")) == 2  # resolved once, not re-created


def test_template_analysis_mirrors_the_python_chains() -> None:
    tpl = index_template(ALIAS)
    assert tpl["index_patterns"] == [f"{ALIAS}-*"]
    analysis = tpl["template"]["settings"]["analysis"]
    ar = analysis["analyzer"]["sijill_arabic"]["filter"]
    # Stop words before letter folding (Lucene's order), stemming last.
    assert ar.index("sijill_ar_stop") < ar.index("arabic_normalization") < ar.index("sijill_ar_stem") == len(ar) - 1
    assert {"persian_normalization", "decimal_digit", "sijill_hamza_on_waw", "sijill_hamza_on_ya"} <= set(ar)
    fr = analysis["analyzer"]["sijill_french"]["filter"]
    assert fr == ["sijill_elision", "lowercase", "sijill_fr_stop", "asciifolding", "sijill_fr_stem"]
    assert analysis["filter"]["sijill_ar_stem"] == {"type": "snowball", "language": "Arabic"}
    assert "على" in analysis["filter"]["sijill_ar_stop"]["stopwords"]
    assert "علي" not in analysis["filter"]["sijill_ar_stop"]["stopwords"]
    props = tpl["template"]["mappings"]["properties"]
    assert props["body"]["index_phrases"] is True  # word pairs, as Tantivy's `pairs` field
    assert props["body"]["fields"] == {
        "ar": {"type": "text", "analyzer": "sijill_arabic"},
        "fr": {"type": "text", "analyzer": "sijill_french"},
    }
    assert props["refs"] == {"type": "keyword"} and props["display"] == {"type": "object", "enabled": False}
    assert tpl["template"]["mappings"]["dynamic"] == "strict"


def test_bulk_body_indexes_by_entry_id_with_reference_keys(index: OpenSearchIndex, stub: StubServer) -> None:
    index.upsert(LETTERS[:2])
    index.commit()
    bulk = stub.cluster.calls("POST", "/_bulk")[0].body
    concrete = stub.cluster.aliases[ALIAS]
    assert bulk[0] == {"index": {"_index": concrete, "_id": "1"}}
    src = bulk[1]
    assert src["id"] == 1 and src["registry_number"] == "A-2026-000001" and src["number"] == "a-2026-000001"
    assert "2026/1432" in src["refs"] and src["received"] == "2026-09-15T10:00:00+01:00"
    assert src["letter_date"] == "2026-09-14" and src["year"] == 2026 and src["language"] == ["ar"]
    assert src["body"].startswith("المملكة المغربية") and src["display"]["subject"] == "طلب رخصة إصلاح سقف منزل"
    assert "88/جن/2026" in bulk[3]["refs"]  # Eastern digits in the letter, one key
    assert stub.cluster.calls("POST", "/_refresh")


def test_search_body_for_words_filters_and_facets() -> None:
    req = SearchRequest(
        text="رخصة Oubella",
        mail_type="urbanisme",
        received_from=dt.date(2026, 1, 1),
        received_to=dt.date(2026, 3, 31),
        facets=True,
    )
    body = search_body(parse(req.text), req)
    assert body["query"]["bool"]["must"] == [
        {
            "bool": {
                "should": [
                    {"match": {"body": {"query": "رخصة", "boost": 1.5}}},
                    {"match": {"body.ar": {"query": "رخصة"}}},
                    {"terms": {"names": ["l:rxs", "l:rxst"], "boost": 0.5}},  # as a name in Latin
                ],
                "minimum_should_match": 1,
            }
        },
        {
            "bool": {
                "should": [
                    {"match": {"body": {"query": "Oubella", "boost": 1.5}}},
                    {"match": {"body.fr": {"query": "Oubella"}}},
                    {"fuzzy": {"body": {"value": "oubella", "fuzziness": 1, "boost": 0.5}}},
                    {"terms": {"names": ["a:bl"], "boost": 0.5}},  # أوبلا, أوبلة in Arabic
                ],
                "minimum_should_match": 1,
            }
        },
    ]
    assert body["query"]["bool"]["filter"] == [
        {"term": {"mail_type": "urbanisme"}},
        {
            "range": {
                "received": {
                    "time_zone": "Africa/Casablanca",
                    "format": "strict_date",
                    "gte": "2026-01-01",
                    "lte": "2026-03-31",
                }
            }
        },
    ]
    assert set(body["aggs"]) == {"mail_type", "department", "status", "tags", "year"}
    assert body["track_total_hits"] is True and body["_source"] == ["display"] and body["size"] == 10


def test_search_body_for_phrase_prefix_reference_exclusion() -> None:
    body = search_body(parse('"طلب رخصة" رخص* ١٢٣٤/ق.ت/٢٠٢٦ -مقهى'), SearchRequest())
    must = body["query"]["bool"]["must"]
    assert must[0] == {"match_phrase": {"body": {"query": "طلب رخصه"}}}
    assert must[1]["bool"]["should"][0] == {"prefix": {"body": {"value": "رخص"}}}
    assert {"term": {"refs": {"value": "1234/قت/2026", "boost": 5.0}}} in must[2]["bool"]["should"]
    assert body["query"]["bool"]["must_not"][0]["bool"]["should"][0]["match"]["body"]["query"] == "مقهى"


def test_relaxed_search_uses_minimum_should_match() -> None:
    body = search_body(parse("a1 b2 c3 d4"), SearchRequest(), min_match=3)
    assert len(body["query"]["bool"]["should"]) == 4 and body["query"]["bool"]["minimum_should_match"] == 3


def test_empty_search_sorts_newest_first() -> None:
    body = search_body(parse(""), SearchRequest(status="closed"))
    assert body["query"]["bool"]["must"] == [{"match_all": {}}] and body["sort"] == [{"received": "desc"}]


def test_hits_and_facets_are_read_back(index: OpenSearchIndex, stub: StubServer) -> None:
    doc = LETTERS[2]
    stub.cluster.search_reply = {
        "hits": {"total": {"value": 1}, "hits": [{"_score": 2.5, "_source": {"display": doc.display()}}]},
        "aggregations": {"mail_type": {"buckets": [{"key": "facture", "doc_count": 1}]}, "year": {"buckets": []}},
    }
    res = search(index, SearchRequest(text="facture", facets=True))
    assert res.total == 1 and res.hits[0].registry_number == "A-2026-000003" and res.hits[0].score == 2.5
    assert "<mark>facture</mark>" in res.hits[0].snippet.html()
    assert res.facets["mail_type"] == [("facture", 1)] and res.facets["status"] == []


def test_partial_bulk_failure_names_the_entries(index: OpenSearchIndex, stub: StubServer) -> None:
    def partly(req):
        items = []
        for line in req.body[::2]:
            _id = line["index"]["_id"]
            if _id == "2":
                items.append(
                    {
                        "index": {
                            "_id": _id,
                            "status": 400,
                            "error": {"type": "mapper_parsing_exception", "reason": "bad date"},
                        }
                    }
                )
            else:
                items.append({"index": {"_id": _id, "status": 201}})
        return 200, {"errors": True, "items": items}

    index.identity()
    stub.cluster.overrides[("POST", "/_bulk")] = partly
    index.upsert(LETTERS[:3])
    with pytest.raises(IndexingFailed) as err:
        index.commit()
    assert err.value.failed == {2: "mapper_parsing_exception: bad date"}
    assert "1 of 3" in err.value.message and "retried" in err.value.message


def test_rebuild_swaps_the_alias_atomically_then_drops_the_old_index(index: OpenSearchIndex, stub: StubServer) -> None:
    old = index.identity().split(":", 1)[1]
    n = index.rebuild(LETTERS)
    assert n == len(LETTERS)
    swap = stub.cluster.calls("POST", "/_aliases")[0].body["actions"]
    new = stub.cluster.aliases[ALIAS]
    assert swap == [{"remove": {"index": old, "alias": ALIAS}}, {"add": {"index": new, "alias": ALIAS}}]
    assert stub.cluster.calls("DELETE")[-1].path == f"/{old}"
    assert index.identity() == f"opensearch:{new}" != f"opensearch:{old}"
    # The alias moves only after every document was accepted and the new index refreshed.
    order = [(r.method, r.path.split("/")[-1]) for r in stub.cluster.requests]
    assert order.index(("POST", "_aliases")) > max(i for i, o in enumerate(order) if o == ("POST", "_bulk"))


def test_failed_rebuild_keeps_the_old_index(index: OpenSearchIndex, stub: StubServer) -> None:
    old = index.identity()
    stub.cluster.overrides[("POST", "/_bulk")] = lambda req: (
        200,
        {"errors": True, "items": [{"index": {"_id": "1", "status": 400, "error": {"type": "x", "reason": "y"}}}]},
    )
    with pytest.raises(IndexingFailed, match="old index is still in use"):
        index.rebuild(LETTERS)
    assert not stub.cluster.calls("POST", "/_aliases") and index.identity() == old


@pytest.mark.parametrize(("status", "error", "match"), [
    (503, SearchUnavailable, "overloaded or restarting"),
    (429, SearchUnavailable, "overloaded"),
    (401, SearchUnavailable, "credentials"),
    (400, SearchError, "rejected the search: 400"),
])  # fmt: skip
def test_http_errors_become_clear_messages(index: OpenSearchIndex, stub: StubServer, status, error, match) -> None:
    index.identity()
    stub.cluster.overrides[("POST", f"/{ALIAS}/_search")] = lambda req: (
        status,
        {"error": {"type": "some_exception", "reason": "details"}, "status": status},
    )
    with pytest.raises(error, match=match):
        search(index, SearchRequest(text="facture"))


def test_timeout_is_reported_as_unavailable(stub: StubServer) -> None:
    index = OpenSearchIndex(client_for(stub.url, 0.3), ALIAS)
    index.identity()
    stub.delay_s = 1.0
    with pytest.raises(SearchUnavailable, match="did not answer in time"):
        search(index, SearchRequest(text="facture"))


def test_unreachable_cluster_is_reported_as_unavailable() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    index = OpenSearchIndex(client_for(f"http://127.0.0.1:{port}", 1.0), ALIAS)
    with pytest.raises(SearchUnavailable, match=r"cannot be reached.*Nothing is lost"):
        index.identity()


def test_credentials_in_the_url_are_sent(stub: StubServer) -> None:
    import base64

    client = client_for(stub.url.replace("http://", "http://clerk:s%40cret@"), 2.0)
    conn = client.transport.get_connection()
    assert conn.headers.get("authorization") == "Basic " + base64.b64encode(b"clerk:s@cret").decode()


def test_documents_are_replaced_by_id(index: OpenSearchIndex, stub: StubServer) -> None:
    index.upsert([LETTERS[0], dataclasses.replace(LETTERS[0], status="closed")])
    index.commit()
    lines = stub.cluster.calls("POST", "/_bulk")[0].body
    assert [line["index"]["_id"] for line in lines[::2]] == ["1", "1"]  # "index" op: last one wins
