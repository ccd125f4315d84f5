"""The OpenSearch index template: analysis and mapping, owned by the code.

The chains mirror ``lang`` step for step (marks stripped, stop words before letter
folding, Snowball stemmers), so both backends index a word the same way. Known difference:
Python also applies NFKC to Arabic presentation forms; OpenSearch without the ICU plugin does
not (Sijill's ingest already folds them out of PDF text layers).
"""

from __future__ import annotations

from typing import Any

from lang import stopwords
from lang.folding import ARABIC_MARKS

TEMPLATE_VERSION = 4  # 4: the Moroccan letters ڭ ݣ گ ڤ پ folded

_SHARED_LETTER_FILTERS = [
    "arabic_normalization",
    "persian_normalization",
    "sijill_hamza_on_waw",
    "sijill_hamza_on_ya",
    "sijill_alef_wasla",
    "sijill_moroccan_gaf",
    "sijill_moroccan_veh",
    "sijill_moroccan_peh",
]


def analysis() -> dict[str, Any]:
    return {
        "char_filter": {
            "sijill_marks": {"type": "pattern_replace", "pattern": f"[{ARABIC_MARKS}]", "replacement": ""},
        },
        "filter": {
            "sijill_elision": {"type": "elision", "articles": list(stopwords.ELISIONS), "articles_case": True},
            "sijill_ar_stop": {"type": "stop", "stopwords": sorted(stopwords.ARABIC)},
            "sijill_fr_stop": {"type": "stop", "stopwords": sorted(stopwords.FRENCH)},
            "sijill_hamza_on_waw": {"type": "pattern_replace", "pattern": "ؤ", "replacement": "و"},
            "sijill_hamza_on_ya": {"type": "pattern_replace", "pattern": "ئ", "replacement": "ي"},
            "sijill_alef_wasla": {"type": "pattern_replace", "pattern": "ٱ", "replacement": "ا"},
            "sijill_moroccan_gaf": {"type": "pattern_replace", "pattern": "[ڭݣگ]", "replacement": "ك"},
            "sijill_moroccan_veh": {"type": "pattern_replace", "pattern": "ڤ", "replacement": "ف"},
            "sijill_moroccan_peh": {"type": "pattern_replace", "pattern": "پ", "replacement": "ب"},
            "sijill_final_ta": {"type": "pattern_replace", "pattern": "ه$", "replacement": "ة"},
            "sijill_conjunction_article": {
                "type": "pattern_replace",
                "pattern": "^[وف](ال.{3,})$",
                "replacement": "$1",
            },
            "sijill_ar_stem": {"type": "snowball", "language": "Arabic"},
            "sijill_fr_stem": {"type": "snowball", "language": "French"},
        },
        "analyzer": {
            "sijill_exact": {
                "type": "custom",
                "char_filter": ["sijill_marks"],
                "tokenizer": "standard",
                "filter": ["sijill_elision", "lowercase", "decimal_digit", *_SHARED_LETTER_FILTERS, "asciifolding"],
            },
            "sijill_arabic": {
                "type": "custom",
                "char_filter": ["sijill_marks"],
                "tokenizer": "standard",
                "filter": [
                    "lowercase",
                    "decimal_digit",
                    "sijill_ar_stop",
                    *_SHARED_LETTER_FILTERS,
                    "sijill_final_ta",
                    "sijill_conjunction_article",
                    "sijill_ar_stem",
                ],
            },
            "sijill_french": {
                "type": "custom",
                "char_filter": ["sijill_marks"],
                "tokenizer": "standard",
                "filter": ["sijill_elision", "lowercase", "sijill_fr_stop", "asciifolding", "sijill_fr_stem"],
            },
        },
    }


def mappings() -> dict[str, Any]:
    keyword = {"type": "keyword"}
    return {
        "dynamic": "strict",
        "_meta": {"sijill_template_version": TEMPLATE_VERSION},
        "properties": {
            "id": {"type": "long"},
            "registry_number": keyword,
            "number": keyword,
            "refs": keyword,
            "body": {
                "type": "text",
                "analyzer": "sijill_exact",
                "index_phrases": True,  # word pairs indexed: fast phrase queries, as on Tantivy
                "fields": {
                    "ar": {"type": "text", "analyzer": "sijill_arabic"},
                    "fr": {"type": "text", "analyzer": "sijill_french"},
                },
            },
            "sender": {"type": "text", "analyzer": "sijill_exact"},
            "names": keyword,  # lang.names keys: a name found from its other script's spelling
            "direction": keyword,
            "mail_type": keyword,
            "department": keyword,
            "access": keyword,
            "status": keyword,
            "tags": keyword,
            "language": keyword,
            "received": {"type": "date"},
            "letter_date": {"type": "date", "format": "strict_date"},
            "year": {"type": "integer"},
            # What a result list shows; kept in _source only, never indexed.
            "display": {"type": "object", "enabled": False},
        },
    }


def index_template(alias: str) -> dict[str, Any]:
    return {
        "index_patterns": [f"{alias}-*"],
        "priority": 100,
        "version": TEMPLATE_VERSION,
        "template": {
            "settings": {"number_of_shards": 1, "analysis": analysis()},
            "mappings": mappings(),
        },
    }
