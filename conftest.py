"""Test-wide setup: every run gets its own SIJILL_HOME, never the developer's ./var."""

import os
import tempfile

os.environ["SIJILL_HOME"] = tempfile.mkdtemp(prefix="sijill-test-home-")
os.environ.setdefault("SIJILL_WORKERS", "2")
