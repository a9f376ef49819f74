"""Compiled forms of large regular expressions, kept from one run to the next.

Python compiles a regular expression from its source each time a process first uses it,
and keeps nothing between processes. For the registry's name scanner (one alternation of
every variant, ~20 000 characters) and the date finder's forms this costs ~0.08 s per
`teikit build`: more than everything else a build after a one-word edit converts.

`compile(source, flags)` returns what `re.compile(source, flags)` returns. It makes the
pattern the way `re` does (re._compiler.compile: the parser, then the code generator, then
_sre.compile), and records the generated code; where the code of the same source and flags
was recorded before (`keep`), only the last step runs (~2 ms for the scanner). Exact: the
pattern object is made from the same source, flags, group names and code that re.compile
would give it, and code recorded by another Python (its version, _sre's MAGIC and code
size: `ENGINE`) is never used. Where the `re` internals are not the ones this module knows,
or anything fails, it is plain re.compile.

Compiling itself is quicker here (`quick_charsets`): re's code generator optimises every
character class it meets afresh (`_optimize_charset`), and a class holding a character
above U+00FF (the name scanner's separator `[\\s.,'’\\-]`, printed ~800 times in it; the
date forms' OCR digits) costs a 64 KiB bitmap each time (~0.06 ms): ~0.045 of the scanner's
~0.05 s of code generation. Each class's optimised form is kept by its items and flags.

A library module: the application layer stores `made()` and hands it back through `keep`.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import sys
import threading

try:
    import _sre
    from re import _compiler, _parser
except ImportError:  # another implementation of `re`: always re.compile
    _sre = _compiler = _parser = None

#: the regular expression engine the recorded code is for
ENGINE = (sys.implementation.name, sys.version, getattr(_sre, "MAGIC", None), getattr(_sre, "CODESIZE", None))

_known: dict[tuple[str, int], tuple] = {}  # recorded before (keep)
_made: dict[tuple[str, int], tuple] = {}  # used in this process
_USED: contextvars.ContextVar[set | None] = contextvars.ContextVar("rxforms_used", default=None)


def compile(source: str, flags: int = 0) -> re.Pattern:
    """re.compile(source, flags), from its recorded code when there is one."""
    return _compile(source, int(flags), re.compile)


def _compile(source, flags: int, fallback) -> re.Pattern:
    """compile(); `fallback(source, flags)` where this module does not make the pattern."""
    key = (source, flags)
    used = _USED.get()
    if used is not None:
        used.add(key)
    form = _made.get(key) or _known.get(key)
    if form is not None:
        try:
            pattern = _sre.compile(source, form[0], list(form[1]), form[2], dict(form[3]), tuple(form[4]))
        except Exception:  # a form this engine does not take: compiled afresh
            form = None
        else:
            _made[key] = form
            return pattern
    if _sre is None or not isinstance(source, str) or flags & re.DEBUG:
        return fallback(source, flags)
    try:
        parsed = _parser.parse(source, flags)
        with quick_charsets():
            code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, k in groupindex.items():
            indexgroup[k] = name
        form = (flags | parsed.state.flags, [int(c) for c in code], parsed.state.groups - 1, groupindex,
                tuple(indexgroup))
        pattern = _sre.compile(source, form[0], list(form[1]), form[2], dict(form[3]), form[4])
    except re.error:
        raise
    except Exception:  # internals other than these: as re does it
        return fallback(source, flags)
    _made[key] = form
    return pattern


def keep(forms) -> None:
    """Use `forms` (a `made()` of an earlier run under the same ENGINE) where they apply."""
    if isinstance(forms, dict):
        _known.update(forms)


def made(keys=None) -> dict[tuple[str, int], tuple]:
    """The forms this process used (to be handed to `keep` by a later run); with `keys`,
    those of them only (a `recording`'s)."""
    return {k: v for k, v in _made.items() if keys is None or k in keys}


@contextlib.contextmanager
def recording():
    """Yields the set of the (source, flags) compiled while the block runs (a project's
    conversion: what it keeps is its own patterns, not those of another project this
    process converted before). Meanwhile what `re` itself compiles (re.compile, re.match...
    of a pattern not in re's own cache: the module-level patterns of the modules the block
    imports, ~200 of them and ~0.03 s for a conversion) is made by `compile` too: from the
    code recorded by an earlier run where there is one (`_through_forms`)."""
    keys: set = set()
    token = _USED.set(keys)
    hooked = _hook()
    try:
        yield keys
    finally:
        if hooked is not None:
            _compiler.compile = hooked
        _USED.reset(token)


def _hook():
    """re's compiler (re._compiler.compile, which re calls only for a pattern its cache does
    not hold) replaced by `_through_forms`; returns the one replaced (None: none was, being
    replaced already or `re` not being the one this module knows)."""
    if _compiler is None or not callable(getattr(_compiler, "compile", None)) or \
            getattr(_compiler.compile, "_rxforms_original", None) is not None:
        return None
    original = _compiler.compile

    def through_forms(p, flags=0):
        return _through_forms(p, flags, original)

    through_forms._rxforms_original = original
    _compiler.compile = through_forms
    return original


def _through_forms(p, flags, original):
    """What re._compiler.compile(p, flags) returns: for a pattern's source (a str), `compile`'s
    pattern (made the same way from the same source and flags; from its recorded code when
    there is one, and recorded otherwise); anything else (a parsed pattern, bytes) by `original`.
    re._compile then keeps it in re's cache as it would keep its own."""
    if isinstance(p, str) and isinstance(flags, int):
        return _compile(p, flags, original)
    return original(p, flags)


# --- the code generator's character classes, each optimised once ---------------------------
_CHARSETS: dict[tuple, tuple] = {}  # (items, iscased, fixup, fixes is None) -> (optimised items, hascased)
_CHARSETS_MAX = 4096
_PATCH = threading.Lock()
_installed = [0]  # how many quick_charsets blocks are open (the memo is installed while > 0)
_plain_optimize = getattr(_compiler, "_optimize_charset", None)
_KNOWN_SIGNATURE = ("charset", "iscased", "fixup", "fixes")


def _optimize_charset(charset, iscased=None, fixup=None, fixes=None):
    """re._compiler._optimize_charset(charset, iscased, fixup, fixes), each argument set
    optimised once. Exact: that function is pure (it reads its arguments and constants only,
    and returns a new list or `charset` itself, whose items its callers only read: the code
    generator copies them into the code); the memo's key holds every argument (the items,
    which are hashable tuples of re's constants and ints, the two functions, and `fixes`,
    which is None or re's one table of extra cases), and each caller gets a list of its own."""
    extra = getattr(_compiler, "_EXTRA_CASES", None)
    if fixes is not None and fixes is not extra:
        return _plain_optimize(charset, iscased, fixup, fixes)
    try:
        key = (tuple(charset), iscased, fixup, fixes is None)
        hit = _CHARSETS.get(key)
    except TypeError:  # an item that is not hashable: not kept
        return _plain_optimize(charset, iscased, fixup, fixes)
    if hit is None:
        out, hascased = _plain_optimize(charset, iscased, fixup, fixes)
        if len(_CHARSETS) >= _CHARSETS_MAX:
            _CHARSETS.clear()
        hit = _CHARSETS[key] = (tuple(out), hascased)
    return list(hit[0]), hit[1]


def _known_generator() -> bool:
    code = getattr(_plain_optimize, "__code__", None)
    return code is not None and code.co_varnames[:4] == _KNOWN_SIGNATURE


@contextlib.contextmanager
def quick_charsets():
    """While the block runs, every regular expression this process compiles (re.compile, or
    `compile` above) has its character classes optimised by `_optimize_charset` (the same
    code, generated quicker); outside it, re is as it was. Where re's code generator is not
    the one this module knows, nothing changes."""
    if _compiler is None or not _known_generator():
        yield
        return
    with _PATCH:
        if not _installed[0]:
            _compiler._optimize_charset = _optimize_charset
        _installed[0] += 1
    try:
        yield
    finally:
        with _PATCH:
            _installed[0] -= 1
            if not _installed[0]:
                _compiler._optimize_charset = _plain_optimize
