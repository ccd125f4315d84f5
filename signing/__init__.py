"""Outgoing mail: départ registration and PAdES signatures. Built in its own issue."""
