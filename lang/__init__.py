"""Arabic and French text rules shared by reading, indexing, querying and snippets: letter-variant
folding, Eastern digits, stemming chains, tokens, references and dates. It sits beneath ``ingest``
and ``search`` so that both agree on what a word is, and neither imports the other."""
