"""teikit: compiled archival texts to a citable TEI P5 corpus."""

__version__ = "0.1.0"
