"""The per-document conversion cache: what converting one document gave, kept between builds.

A build after one source document was edited converts only that document again. Each
document passes three cached steps; each is a function of what its key holds and nothing
else, so a cached result is used only where a fresh one would be the same:

    read + refine + extract + tag   key: the document's paragraphs as printed (start and end
                                    lines, heading level, every line), its heading span's shape
                                    and reason, its number, the chapter heads in force before it,
                                    the year the document before it ends with (the reader's
                                    Part.key, compilation.chapters_after, metadata.year_after:
                                    the only state one document passes to the next)
                                    value: the document, the chapter heads printed in it, the
                                    reader profile's patterns it used (for profile:unused), its
                                    name lookups (kept in the name memo while it is reused)
    render (TEI bytes)              key: the whole document as the corpus-wide steps left it
                                    (ids, overrides, passage ids, contents entry, dates, warnings:
                                    every attribute, recursively, `canon`), the build date; where
                                    its blocks are still those its document step gave (checked
                                    by teikit.blockstate), that step's key stands in for them
                                    (`DocCache.render_key`)
                                    value: the bytes and the passage ids the writer gave out
    a document's facts              key: its render key (as above: the whole document)
    (pipeline._facts)               value: its words and paragraphs (corpus.xml's extent) and the
                                    keys of the person names printed in it (persons.xml)
    persons, places, orgs.xml       key: the printed names' keys (persons.xml); the registry and
                                    the configuration are in the base
                                    value: the file's bytes
    no-text-lost check              key: the file's name, its source lines (number and text),
                                    the hash of its bytes
                                    value: that file's words and the passages lost

Every key also holds the base: the fingerprints of teikit's code (with the Python and library
versions that run it), the configuration (reader profile included), the registry and
SOURCE_DATE_EPOCH, and this module's VERSION. The corpus-wide steps (headings, ids,
overrides, contents matching, reprints, corpus.xml, front and back matter, the registries'
lists) always run.

Beside it: the registry as loaded and checked (registry.pickle, under the fingerprints of the
registry folder and of the code, its schema included) and each paragraph's derived properties
(paragraphs.pickle, ParaMemo, under the paragraph's every field and the code's fingerprint).

It lives in corpus/.teikit/cache/documents.pickle (gitignored, local to the checkout; a fresh
clone converts everything once) and holds the entries the last conversion used, so it does
not grow. A cache that cannot be read is empty; one that cannot be written costs time only.
Application layer (reads and writes a file).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import pickle
from itertools import chain
from pathlib import Path

from teikit import blockstate
from teikit.core.errors import OutputError
from teikit.disk import unpickle_private, write_private

VERSION = 3


class Uncacheable(TypeError):
    """A value `canon` cannot write down exactly: the step is not cached."""


def canon(obj) -> str:
    """An exact, deterministic text of `obj`: every attribute of every object, recursively
    (class names included; sets sorted). Raises Uncacheable for anything else."""
    out: list[str] = []
    _canon(obj, out)
    return "".join(out)


_ATOMS = blockstate.ATOMS
_ATOMS_OR_SEQUENCES = _ATOMS | {list, tuple}
_NAMES: dict[type, str] = {}


def _canon(obj, out: list[str]) -> None:
    t = type(obj)
    if t in _ATOMS:
        out.append(repr(obj))
    elif t is list or t is tuple:
        if obj and set(map(type, obj)) <= _ATOMS:  # atoms only: their repr, written in C
            out.append("%")  # (no other form starts so: the repr of a list or tuple follows)
            out.append(repr(obj))
            return
        if len(obj) > 1 and _flat_run(obj, out):
            return
        out.append("[" if t is list else "(")
        for x in obj:
            _canon(x, out)
            out.append(",")
        out.append("]" if t is list else ")")
    elif t is dict:
        if obj and set(map(type, obj)) <= _ATOMS and _atoms_or_runs(obj.values()):
            out.append("%")  # as above: the repr of a dict of atoms (or lists of atoms) follows
            out.append(repr(obj))
            return
        out.append("{")
        for k, v in obj.items():
            _canon(k, out)
            out.append(":")
            _canon(v, out)
            out.append(",")
        out.append("}")
    elif t is set or t is frozenset:
        if set(map(type, obj)) <= _ATOMS:  # what the loop below gives, written in C
            out.append(f"{t.__name__}[{','.join(sorted(map(repr, obj)))}]")
            return
        items = []
        for x in obj:
            sub: list[str] = []
            _canon(x, sub)
            items.append("".join(sub))
        out.append(f"{t.__name__}[{','.join(sorted(items))}]")
    else:
        attrs = getattr(obj, "__dict__", None)
        if attrs is None or hasattr(t, "__slots__") or callable(obj):
            raise Uncacheable(f"{t.__module__}.{t.__qualname__}")
        name = _NAMES.get(t)
        if name is None:
            name = _NAMES[t] = f"{t.__module__}.{t.__qualname__}"
        for v in attrs.values():
            if type(v) not in _ATOMS:
                break
        else:  # only atoms (an inline run, a date): their repr is exact, and written in C
            out.append(name)
            out.append(repr(attrs))
            return
        out.append(name + "{")
        for k, v in attrs.items():
            out.append(k)
            out.append("=")
            _canon(v, out)
            out.append(",")
        out.append("}")


def _atoms_or_runs(values) -> bool:
    """Every value an atom, or a list or tuple of atoms (their repr is then exact)."""
    kinds = set(map(type, values))
    if kinds <= _ATOMS:
        return True
    if not kinds <= _ATOMS_OR_SEQUENCES:
        return False
    return set(map(type, chain.from_iterable(v for v in values if type(v) in (list, tuple)))) <= _ATOMS


def _flat_run(items, out: list[str]) -> bool:
    """A list of objects of one class whose attributes are all atoms (a block's inline runs):
    written as the class name and the repr of their attribute dicts, in one go."""
    cls = type(items[0])
    if cls in _ATOMS or cls in (list, tuple, dict, set, frozenset) or hasattr(cls, "__slots__"):
        return False
    try:
        dicts = [x.__dict__ for x in items if type(x) is cls]
    except AttributeError:
        return False
    if len(dicts) != len(items) or not {type(v) for d in dicts for v in d.values()} <= _ATOMS:
        return False
    name = _NAMES.get(cls)
    if name is None:
        name = _NAMES[cls] = f"{cls.__module__}.{cls.__qualname__}"
    out.append(f"{type(items).__name__}*{name}")
    out.append(repr(dicts))
    return True


def digest(*parts) -> str:
    """A key: the hash of parts written down by `canon`."""
    return hashlib.sha256(canon(parts).encode("utf-8")).hexdigest()


class DocCache:
    """The entries of the last conversion under `base`; `get` / `put` values (pickled).
    `made`: id(document) -> (document, its document step's key, the state of its blocks
    then), for `render_key` (see `made_by`)."""

    def __init__(self, base: str, known: dict[str, bytes] | None = None):
        self.base = base
        self.known = known or {}
        self.used: dict[str, bytes] = {}
        self.hits = 0
        self.misses = 0
        self.made: dict[int, tuple] = {}

    def key(self, step: str, *parts) -> str:
        return digest(self.base, step, parts)

    def made_by(self, key: str | None, doc) -> None:
        """`doc` is what the document step under `key` gave (read from the cache, or made
        and about to be kept there): its blocks are a function of `key`. Their state is
        noted (`blocks_state`), so that `render_key` need not write them down again."""
        if key is None:
            return
        state = blockstate.blocks_state(getattr(doc, "blocks", None))
        if state is not None:
            self.made[id(doc)] = (doc, key, state)

    def render_key(self, doc, date: str) -> str:
        """The render step's key of `doc` (the whole document as the corpus-wide steps left
        it, and the build date). Where `doc`'s blocks are still those the document step
        gave (`made_by`: the same objects, holding the same values, teikit.blockstate), they
        are a function of that step's key, which then stands in for them: the key holds
        that step's key and every other attribute of the document (`canon`), so it tells
        apart exactly the documents `canon` of the whole document tells apart, without
        writing down its text again. Otherwise the whole document is written down.
        Raises Uncacheable as `key` does."""
        made = self.made.pop(id(doc), None)
        if made is not None and made[0] is doc and blockstate.unchanged(made[2], doc.blocks):
            rest = {name: (_MADE if name == "blocks" else value) for name, value in doc.__dict__.items()}
            return self.key("render-made", made[1], _class_name(type(doc)), rest, date)
        return self.key("render", doc, date)

    def get(self, key: str):
        data = self.used.get(key)
        if data is None:
            data = self.known.get(key)
        if data is None:
            self.misses += 1
            return None
        try:
            value = pickle.loads(data)
        except Exception:  # a damaged entry is a miss
            self.misses += 1
            return None
        self.used[key] = data
        self.hits += 1
        return value

    def put(self, key: str, value) -> None:
        self.used[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    @property
    def changed(self) -> bool:
        return self.used.keys() != self.known.keys()


#: stands for the blocks in a render key made from the document step's key
_MADE = "<the blocks the document step gave>"


def _class_name(t: type) -> str:
    name = _NAMES.get(t)
    if name is None:
        name = _NAMES[t] = f"{t.__module__}.{t.__qualname__}"
    return name


def lookup(cache: DocCache | None, step: str, *parts) -> tuple[str | None, object]:
    """(key, the value kept under it or None) of a step in `cache`; (None, None) without a
    cache or for parts `canon` cannot write down (the step is then not cached)."""
    if cache is None:
        return None, None
    try:
        key = cache.key(step, *parts)
    except Uncacheable:
        return None, None
    return key, cache.get(key)


def lookup_render(cache: DocCache | None, doc, date: str) -> tuple[str | None, object]:
    """lookup of the render step of `doc` (DocCache.render_key)."""
    if cache is None:
        return None, None
    try:
        key = cache.render_key(doc, date)
    except Uncacheable:
        return None, None
    return key, cache.get(key)


class ParaMemo:
    """A paragraph's derived properties (its text, bare text, bold share...: the `cached_property`
    values of readers.paragraphs.Para, pure functions of its fields) kept from the last
    conversion, under the paragraph's every field (start, end, heading level, lines)."""

    def __init__(self, base: str, known: dict | None = None):
        self.base = base
        self.known = known or {}
        self.paras: list = []

    @staticmethod
    def _key(para) -> tuple:
        return (para.start, para.end, para.heading_level, tuple(para.lines))

    def prepare(self, paras) -> None:
        """Give each paragraph what was kept for one with the same fields."""
        self.paras = paras
        known = self.known
        for para in paras:
            props = known.get(self._key(para))
            if props:
                para.__dict__.update(props)

    def entries(self) -> dict:
        """This conversion's paragraphs and the properties computed for them."""
        if not self.paras:
            return {}
        names = _derived(type(self.paras[0]))
        out = {}
        for para in self.paras:
            props = {n: para.__dict__[n] for n in names if n in para.__dict__}
            if props:
                key = self._key(para)
                # a text equal to a line or to another text is kept as that same string: it
                # is pickled once (one-line paragraphs: raw is the line, text often unmarked)
                same = {line: line for line in key[3]}
                out[key] = {n: same.setdefault(v, v) if type(v) is str else v for n, v in props.items()}
        return out


def _derived(cls) -> tuple[str, ...]:
    return tuple(n for c in reversed(cls.__mro__) for n, v in vars(c).items() if isinstance(v, functools.cached_property))


def paras_path(state_dir: Path) -> Path:
    return Path(state_dir) / "cache" / "paragraphs.pickle"


def load_paras(path: Path, base: str) -> ParaMemo:
    known = load_value(path, base)
    return ParaMemo(base, known if isinstance(known, dict) else None)


def save_paras(path: Path, memo: ParaMemo) -> None:
    entries = memo.entries()
    if entries and entries != memo.known:
        save_value(path, memo.base, entries)


def path_of(state_dir: Path) -> Path:
    return Path(state_dir) / "cache" / "documents.pickle"


def registry_path(state_dir: Path) -> Path:
    return Path(state_dir) / "cache" / "registry.pickle"


def load_value(path: Path, key: str, checked: bool = False):
    """The value kept in `path` under `key` (save_value), or None. The value is unpickled
    only under its key (a value kept by other code is never loaded); `checked`: only when
    its bytes have the sha256 they were saved with (save_value's `checked`: a file damaged
    on disk that still unpickles is not used)."""
    try:
        data = unpickle_private(path)
        if not isinstance(data, dict) or data.get("version") != VERSION or data.get("key") != key:
            return None
        inner = data["value"]
        if checked and data.get("sha256") != hashlib.sha256(inner).digest():
            return None
        return pickle.loads(inner)
    except Exception:  # missing, unreadable, another version: none
        return None


def save_value(path: Path, key: str, value, checked: bool = False) -> None:
    """Keep `value` in `path` under `key` (for load_value); `checked`: with the sha256 of its bytes."""
    try:
        inner = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        data = {"version": VERSION, "key": key, "value": inner}
        if checked:
            data["sha256"] = hashlib.sha256(inner).digest()
        write_private(Path(path), pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    except (OutputError, pickle.PicklingError, TypeError, AttributeError):
        pass  # not kept: the next build loads it again


def load(path: Path, base: str) -> DocCache:
    """The cache of `path` when it was made under `base`, else an empty one."""
    known = None
    try:
        data = unpickle_private(path)
        if data.get("version") == VERSION and data.get("base") == base and isinstance(data.get("entries"), dict):
            known = data["entries"]
    except Exception:  # missing, unreadable, or written by another version: start empty
        known = None
    return DocCache(base, known)


def save(path: Path, cache: DocCache) -> None:
    """Write the entries this conversion used (only when they differ from what is stored)."""
    if not cache.changed:
        return
    data = pickle.dumps({"version": VERSION, "base": cache.base, "entries": cache.used},
                        protocol=pickle.HIGHEST_PROTOCOL)
    try:
        write_private(Path(path), data)
    except OutputError:
        pass  # a cache that cannot be written costs time, never a result



# --- process-wide memos kept between conversions ------------------------------------------
#: besides those of this run, at most this many compiled regular expressions of earlier runs are kept
FORMS_KEPT = 8


def forms_path(state_dir: Path) -> Path:
    return Path(state_dir) / "cache" / "regexes.pickle"


def load_forms(path: Path) -> dict:
    """Hand teikit.core.rxforms the compiled regular expressions kept by an earlier run of
    the same Python (their key is rxforms.ENGINE); returns them (for `save_forms`). Only
    forms whose bytes have the digest they were kept with: a form's code is taken by
    _sre.compile as long as its structure holds, so a damaged literal would make a pattern
    match other text (every pattern a conversion compiles comes from here, re's own too)."""
    from teikit.core import rxforms

    forms = load_value(path, repr(rxforms.ENGINE), checked=True)
    forms = forms if isinstance(forms, dict) else {}
    rxforms.keep(forms)
    return forms


def save_forms(path: Path, loaded: dict, keys) -> None:
    """Keep the compiled forms of `keys` (those a conversion compiled, rxforms.recording), and
    up to FORMS_KEPT more of those `loaded` (a registry edited back and forth compiles again
    less often); only when one is new."""
    from teikit.core import rxforms

    forms = rxforms.made(keys)
    if forms.keys() <= loaded.keys():
        return
    earlier = [key for key in loaded if key not in forms][:FORMS_KEPT]
    forms.update((key, loaded[key]) for key in earlier)
    save_value(path, repr(rxforms.ENGINE), forms, checked=True)


def memo_path(state_dir: Path) -> Path:
    return Path(state_dir) / "cache" / "answers.pickle"


def load_memo(path: Path, base: str):
    """teikit.core.runmemo.Memo of the answers kept under `base` (the code's fingerprint)."""
    from teikit.core import runmemo

    return runmemo.Memo(load_value(path, base))


def save_memo(path: Path, base: str, memo) -> None:
    """Keep this conversion's answers under `base` (only when they differ from those kept)."""
    if memo.changed:
        save_value(path, base, memo.used)


@contextlib.contextmanager
def reused(state_dir: Path, later: list | None = None, code: str | None = None, keep: list | None = None):
    """The run memo (teikit.core.runmemo: answers of pure steps) and the compiled regular
    expressions (teikit.core.rxforms) the last run kept in `state_dir`, installed for the
    block; what this run used is kept when it ends (or, with `later`, by functions appended
    to it, which keep what the memo holds when they run). Nothing when a run memo is installed already (a build's, for its whole length).
    `code`: teikit.project.code_digest, when the caller has it (conversion_inputs' "code").
    `keep`: where the memo and the forms go when the block ends (a process that ends at once
    does not free them), else None."""
    from teikit.core import runmemo
    from teikit.project import code_digest, key

    if runmemo.current() is not None:
        yield
        return
    from teikit.convert import dates
    from teikit.core import rxforms

    base = key(code if code is not None else code_digest(), VERSION)
    memo = load_memo(memo_path(state_dir), base)
    forms = load_forms(forms_path(state_dir))
    dates.compile_afresh()  # (the date forms this conversion uses are then recorded as its own)
    with memo.installed(), rxforms.recording() as compiled:
        saves = [lambda: save_memo(memo_path(state_dir), base, memo),
                 lambda: save_forms(forms_path(state_dir), forms, compiled)]
        if later is not None:
            later.extend(saves)  # (they keep what the memo holds when they run)
        yield
    if keep is not None:
        keep.append((memo, forms, compiled))
    if later is None:
        for save in saves:
            save()
