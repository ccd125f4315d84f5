"""The archive: object store, catalogue, registry numbers, audit log, quarantine."""
