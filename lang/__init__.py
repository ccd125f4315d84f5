"""Text analysis shared by indexing, querying and snippets, so all three agree on what a word is."""
