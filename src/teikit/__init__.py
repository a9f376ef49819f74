"""teikit: compiled archival texts to a citable TEI P5 corpus.

The public API (docs/api.md) is importable from here: `teikit.convert_text`, `teikit.validate`,
`teikit.transform`, `teikit.cite`, `teikit.Project`, `teikit.build`, ... (see teikit.api).
"""

import gc as _gc

__version__ = "0.1.0"


class _no_collections:  # noqa: N801 (used as a function: `with _no_collections():`)
    """Within it the cyclic garbage collector does not run. An import makes objects by the
    thousand (functions, classes and their dataclass methods, compiled patterns) and frees
    hardly any, so the collections it sets off walk them for nothing: about 30 of them, some
    4 ms CPU, while `teikit validate` imports the modules it runs (teikit, cli, validation).
    Nothing is lost: what became garbage meanwhile is collected by the first collection after
    it; the collector is left as it was found (disabled by the caller: still disabled).

    That first collection still walks every object the imports made (about 4 ms after the
    validation modules). The `teikit` program, whose process is its own and ends when its
    command does, sets `freeze` (teikit.entry): what exists when a block ends is then frozen
    (gc.freeze: never walked, never collected) before the collector is given back. A caller
    that imports teikit into its own process keeps its collector as it was: freeze is off."""

    freeze = False  # the teikit program's choice (teikit.entry), never a library caller's

    def __enter__(self):
        self.was_enabled = _gc.isenabled()
        _gc.disable()
        return self

    def __exit__(self, *_exc):
        if self.was_enabled:
            if _no_collections.freeze:
                _gc.freeze()
            _gc.enable()
        return False


with _no_collections():
    from teikit.api import __all__  # noqa: E402 (the public API; light: heavy modules load on first call)


def __getattr__(name: str):
    """The public API's names (teikit.api.__all__), each taken from teikit.api when first
    asked for (`teikit.Project` imports teikit.project then, not with teikit)."""
    if name in __all__:
        from teikit import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
