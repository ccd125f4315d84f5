"""The archivist's disposal pages. At the top: executing a list seals its certificate (signing)."""
