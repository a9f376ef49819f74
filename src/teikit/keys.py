"""The keys of teikit's caches: one hash of JSON-able parts (application layer).

Its own module, importing only hashlib and json, so that `teikit validate` names its result
cache's entries without importing teikit.project (and teikit.corpusdir with it) before its
work begins; teikit.project re-exports it.
"""

from __future__ import annotations

import hashlib
import json


def key(*parts) -> str:
    """One hash of JSON-able parts (anything else is written as str())."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()
