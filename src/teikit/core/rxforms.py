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


def _wanted(key) -> re.Pattern | None:
    """Notes `key` (source, flags) as used by the recording in course, if any, and returns
    its pattern made from a recorded form, or None (`_served`)."""
    used = _USED.get()
    if used is not None:
        used.add(key)
    return _served(key)


def compile(source: str, flags: int = 0) -> re.Pattern:
    """re.compile(source, flags), from its recorded code when there is one. (The parser runs
    in this very frame, as it did before `recording` hooked re: a warning of re's parser is
    attributed by counting frames up from it, to the same line as then.)"""
    flags = int(flags)
    key = (source, flags)
    pattern = _wanted(key)
    if pattern is not None:
        return pattern
    if _sre is None or not isinstance(source, str) or flags & re.DEBUG:
        return re.compile(source, flags)
    try:
        parsed = _parser.parse(source, flags)
        with quick_charsets():
            code = _compiler._code(parsed, flags)
        pattern = _recorded(key, parsed, code)
    except re.error:
        raise
    except Exception:  # internals other than these: as re does it
        return re.compile(source, flags)
    return pattern


def _served(key) -> re.Pattern | None:
    """The pattern of `key` (source, flags) made from its recorded code, or None (none
    recorded, or a form this engine does not take: compiled afresh)."""
    form = _made.get(key) or _known.get(key)
    if form is None:
        return None
    try:
        pattern = _sre.compile(key[0], form[0], list(form[1]), form[2], dict(form[3]), tuple(form[4]))
    except Exception:
        return None
    _made[key] = form
    return pattern


def _recorded(key, parsed, code) -> re.Pattern:
    """The pattern of `key` (source, flags) from its parsed form and generated code (as
    re._compiler.compile makes it), its form recorded."""
    source, flags = key
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, k in groupindex.items():
        indexgroup[k] = name
    form = (flags | parsed.state.flags, [int(c) for c in code], parsed.state.groups - 1, groupindex,
            tuple(indexgroup))
    pattern = _sre.compile(source, form[0], list(form[1]), form[2], dict(form[3]), form[4])
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
    imports, ~200 of them and ~0.03 s for a conversion) is made by `_hook`'s compiler: from
    the code recorded by an earlier run where there is one and the parser could not have
    warned (`_may_warn`)."""
    keys: set = set()
    token = _USED.set(keys)
    hooked = _hook()
    try:
        yield keys
    finally:
        if hooked is not None:
            _compiler.compile = hooked
        _USED.reset(token)


#: re's parser's warnings (Python 3.11-3.13, re/_parser.py: all of them) are issued for a
#: str pattern holding one of these: a possible nested set "[[", a possible set operation
#: "--" "&&" "~~" "||" in a set, a conditional group's reference "(?(" with a non-ASCII
#: digit (bad group names in a str pattern are errors). Each needs its two or three
#: characters side by side in the source (the parser reads a set's items and `(?(`
#: character by character, whitespace included under VERBOSE).
_WARNING_MARKS = ("[[", "--", "&&", "~~", "||", "(?(")
_KNOWN_RE = ((3, 11), (3, 12), (3, 13))  # the Pythons whose parser's warnings _WARNING_MARKS lists
#: re._compiler.compile's variables and names in those Pythons (`through_forms` does what it does)
_KNOWN_COMPILE = (("p", "flags", "pattern", "code", "groupindex", "indexgroup", "k", "i"),
                  ("isstring", "_parser", "parse", "_code", "SRE_FLAG_DEBUG", "print", "dis", "state",
                   "groupdict", "groups", "items", "_sre", "compile", "flags", "tuple"))


def _may_warn(source: str) -> bool:
    """Whether re's parser could issue a warning for the str pattern `source` (see _WARNING_MARKS)."""
    return any(mark in source for mark in _WARNING_MARKS)


def _hookable() -> bool:
    compiler = getattr(_compiler, "compile", None)
    code = getattr(compiler, "__code__", None)
    return (code is not None and getattr(compiler, "_rxforms_original", None) is None
            and sys.version_info[:2] in _KNOWN_RE and (code.co_varnames, code.co_names) == _KNOWN_COMPILE)


def _hook():
    """re's compiler (re._compiler.compile, which re calls only for a pattern its cache does
    not hold) replaced by `through_forms`; returns the one replaced (None: none was, being
    replaced already or `re` not being the one this module knows).

    `through_forms(p, flags)` returns what re._compiler.compile(p, flags) returns, and issues
    the same warnings, attributed to the same lines: a str pattern the parser could not have
    warned about (`_may_warn`) comes from its recorded code when there is one (the same
    source, flags, group names and code); anything else is parsed and compiled as
    re._compiler.compile does it, IN THIS FRAME (the parser's warnings are attributed by
    counting frames: re._compile calls this frame, this frame calls the parser, as with re's
    own), and recorded when it could not have warned. A pattern that may warn is thus parsed
    on each run, and warns as it always did (under -W error: raises)."""
    if _compiler is None or _parser is None or not _hookable():
        return None
    original = _compiler.compile

    def through_forms(p, flags=0):
        kept = None
        if isinstance(p, str) and isinstance(flags, int) and not flags & _compiler.SRE_FLAG_DEBUG \
                and not _may_warn(p):
            kept = (p, int(flags))
            served = _wanted(kept)
            if served is not None:
                return served
        # re._compiler.compile(p, flags), as it is written there
        if _compiler.isstring(p):
            pattern = p
            p = _parser.parse(p, flags)
        else:
            pattern = None
        with quick_charsets():
            code = _compiler._code(p, flags)
        if flags & _compiler.SRE_FLAG_DEBUG:
            print()
            _compiler.dis(code)
        groupindex = p.state.groupdict
        indexgroup = [None] * p.state.groups
        for k, i in groupindex.items():
            indexgroup[i] = k
        if kept is not None:
            try:
                return _recorded(kept, p, code)  # (the same source, flags, group names and code)
            except Exception:  # not recorded: as re makes it
                pass
        return _sre.compile(pattern, flags | p.state.flags, code, p.state.groups - 1, groupindex,
                            tuple(indexgroup))

    through_forms._rxforms_original = original
    _compiler.compile = through_forms
    return original


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
