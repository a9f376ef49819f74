"""teikit: compiled archival texts to a citable TEI P5 corpus.

The public API (docs/api.md) is importable from here: `teikit.convert_text`, `teikit.validate`,
`teikit.transform`, `teikit.cite`, `teikit.Project`, `teikit.build`, ... (see teikit.api).
"""

__version__ = "0.1.0"

from teikit.api import *  # noqa: E402,F401,F403 (the public API; light: heavy modules load on first call)
from teikit.api import __all__  # noqa: E402,F401
