"""Search of the archive (index + query). Built in its own issue on top of the catalogue."""
