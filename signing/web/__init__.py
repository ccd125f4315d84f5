"""Outgoing mail in the browser: replies, visas, signing."""
