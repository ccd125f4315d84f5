"""The request bodies Sijill sends to OpenSearch, as plain dicts (easy to read and to test)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from lang.names import text_keys
from lang.references import reference_key, references_in
from search.backends.base import FACETS
from search.document import IndexDocument
from search.query import AnyOf, Clause, Keyword, ParsedQuery, Phrase, Prefix, SearchRequest, Term

LOCAL_TZ = "Africa/Casablanca"


def source(d: IndexDocument) -> dict[str, Any]:
    refs = set(references_in(d.text))
    refs |= {reference_key(v) for v in (d.letter_reference, d.legacy_number, d.registry_number) if v}
    received = d.received_at if d.received_at.tzinfo else d.received_at.replace(tzinfo=dt.UTC)
    body: dict[str, Any] = {
        "id": d.id,
        "registry_number": d.registry_number,
        "number": reference_key(d.registry_number),
        "refs": sorted(refs),
        "body": d.searchable_text,
        "sender": d.sender,
        "names": text_keys(d.searchable_text),
        "direction": d.direction,
        "mail_type": d.mail_type or None,
        "department": list(d.departments),
        "access": list(d.access),
        "status": d.status or None,
        "tags": list(d.tags),
        "language": list(d.languages),
        "received": received.isoformat(),
        "letter_date": d.letter_date.isoformat() if d.letter_date else None,
        "year": received.astimezone(dt.timezone(dt.timedelta(hours=1))).year,
        "display": d.display(),
    }
    return body


def bulk_lines(index: str, docs: Iterable[IndexDocument]) -> list[str]:
    """NDJSON lines for ``_bulk``: index (create or replace) by entry id."""
    lines = []
    for d in docs:
        lines.append(json.dumps({"index": {"_index": index, "_id": str(d.id)}}))
        lines.append(json.dumps(source(d), ensure_ascii=False))
    return lines


def clause(c: Clause) -> dict[str, Any]:
    if isinstance(c, Term):
        should: list[dict[str, Any]] = [{"match": {"body": {"query": c.word, "boost": 1.5}}}]
        if c.forms.arabic:
            should.append({"match": {"body.ar": {"query": c.word}}})
        if c.forms.french:
            should.append({"match": {"body.fr": {"query": c.word}}})
        if c.fuzzy:
            should.append({"fuzzy": {"body": {"value": c.forms.exact, "fuzziness": c.fuzzy, "boost": 0.5}}})
        if c.names:
            should.append({"terms": {"names": list(c.names), "boost": 0.5}})
        return should[0] if len(should) == 1 else {"bool": {"should": should, "minimum_should_match": 1}}
    if isinstance(c, Phrase):
        return {"match_phrase": {"body": {"query": " ".join(c.words)}}}
    if isinstance(c, Prefix):
        should = [{"prefix": {"body": {"value": c.prefix}}}]
        if c.script in ("ar", "latin"):
            should.append({"prefix": {"body.ar" if c.script == "ar" else "body.fr": {"value": c.prefix}}})
        return {"bool": {"should": should, "minimum_should_match": 1}}
    if isinstance(c, Keyword):
        return {
            "bool": {
                "should": [
                    {"term": {"refs": {"value": c.key, "boost": 5.0}}},
                    {"term": {"number": {"value": c.key, "boost": 5.0}}},
                    {"match_phrase": {"body": {"query": " ".join(c.words)}}},
                ],
                "minimum_should_match": 1,
            }
        }
    if isinstance(c, AnyOf):
        return {"bool": {"should": [clause(o) for o in c.options], "minimum_should_match": 1}}
    raise TypeError(f"unknown clause {c!r}")


def filters(r: SearchRequest) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name in ("direction", "mail_type", "department", "status", "language"):
        if value := getattr(r, name):
            out.append({"term": {name: value}})
    out += [{"term": {"tags": t}} for t in r.tags]
    if r.access is not None:
        out.append({"terms": {"access": list(r.access)}})
    if r.sender:
        out.append({"match": {"sender": {"query": r.sender, "operator": "and"}}})
    if r.received_from or r.received_to:
        rng: dict[str, Any] = {"time_zone": LOCAL_TZ, "format": "strict_date"}
        if r.received_from:
            rng["gte"] = r.received_from.isoformat()
        if r.received_to:
            rng["lte"] = r.received_to.isoformat()  # whole day: OpenSearch rounds "lte" dates up
        out.append({"range": {"received": rng}})
    if r.letter_from or r.letter_to:
        rng = {"format": "strict_date"}
        if r.letter_from:
            rng["gte"] = r.letter_from.isoformat()
        if r.letter_to:
            rng["lte"] = r.letter_to.isoformat()
        out.append({"range": {"letter_date": rng}})
    return out


def search_body(q: ParsedQuery, r: SearchRequest, min_match: int | None = None) -> dict[str, Any]:
    boolean: dict[str, Any] = {"filter": filters(r)}
    clauses = [clause(c) for c in q.must]
    if clauses and min_match is None:
        boolean["must"] = clauses
    elif clauses:
        boolean["should"] = clauses
        boolean["minimum_should_match"] = min_match
    else:
        boolean["must"] = [{"match_all": {}}]
    if q.must_not:
        boolean["must_not"] = [clause(c) for c in q.must_not]
    body: dict[str, Any] = {
        "query": {"bool": boolean},
        "from": r.offset,
        "size": r.limit,
        "track_total_hits": True,
        "_source": ["display"],
    }
    if not clauses:
        body["sort"] = [{"received": "desc"}]
    if r.facets:
        body["aggs"] = {name: {"terms": {"field": name, "size": 100}} for name in FACETS}
    return body
