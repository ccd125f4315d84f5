"""Incoming mail: intake → pages → OCR → searchable copy. See ``ingest.pipeline``."""
