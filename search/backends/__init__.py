"""Search index backends: Tantivy (embedded default) and OpenSearch (scale-out)."""
