"""Migrating legacy paper archives: a tree of scans and, optionally, the old register as CSV."""
