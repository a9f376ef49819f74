"""Data shipped in the wheel: schema/ and xslt/ of the repository (see pyproject.toml)."""
