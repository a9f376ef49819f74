"""Readers: one module per source format; each returns model objects."""
