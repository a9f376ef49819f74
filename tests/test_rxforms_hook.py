"""teikit.core.rxforms while a conversion records (`recording` hooks re's compiler) and the
forms kept in corpus/.teikit/cache/regexes.pickle: what a user sees is what re alone gives.

review20 F1: re's parser's warnings (a reader profile's "[[:digit:]]", CI's -W error) are issued
as before, attributed to the same line, on every run; review20 F2: a damaged regexes.pickle
that still unpickles changes no pattern."""

from __future__ import annotations

import pickle
import random
import re
import uuid
import warnings

import pytest

from teikit import doccache
from teikit.core import rxforms


def _compiled_by_user(source):
    return re.compile(source)  # the line re's warnings are attributed to


_USER_LINE = _compiled_by_user.__code__.co_firstlineno + 1


def _warnings_of(compile_, source):
    """[(file, line, category, message)] of the warnings compile_(source) issues (all shown)."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            compile_(source)
        except re.error:
            pass
    return [(w.filename, w.lineno, w.category, str(w.message)) for w in seen]


@pytest.fixture
def new_process(monkeypatch):
    """rxforms' and re's caches empty, as in a new process (restored after the test)."""
    monkeypatch.setattr(rxforms, "_known", {})
    monkeypatch.setattr(rxforms, "_made", {})
    monkeypatch.setattr(re, "_cache", {})

    def again(forms=None):
        rxforms._known.clear()
        rxforms._made.clear()
        re._cache.clear()
        if forms:
            rxforms.keep(forms)

    return again


def test_a_warning_of_re_s_parser_is_issued_as_before_on_every_run(new_process):
    """A pattern re's parser warns about (a POSIX class in a reader profile's pattern)
    compiled while a conversion records: the same warning, attributed to the caller's line
    (not to a line in re or rxforms), in the first run and in a later one that has the forms
    of the first; under -W error it raises, as re does."""
    source = rf"^[[:digit:]]+ annex-{uuid.uuid4().hex}$"
    expected = [(__file__, _USER_LINE, FutureWarning, "Possible nested set at position 2")]
    assert _warnings_of(_compiled_by_user, source) == expected  # re alone (no recording)
    new_process()
    with rxforms.recording() as keys:
        assert _warnings_of(_compiled_by_user, source) == expected
    forms = rxforms.made()
    new_process(forms)
    with rxforms.recording():
        assert _warnings_of(_compiled_by_user, source) == expected
    new_process(forms)
    with rxforms.recording(), warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(FutureWarning, match="Possible nested set"):
            _compiled_by_user(source)
    assert (source, 0) not in keys and (source, 0) not in forms  # never served from a form


def test_the_patterns_re_compiles_while_recording_warn_as_re_alone(new_process):
    """Random patterns made of the characters the parser's warnings are about: while
    recording (first run, and a run with the first's forms) each gives re's pattern and
    re's warnings, same lines; and `_may_warn` holds for every one re warns about."""
    rng = random.Random(20)
    alphabet = ["[", "]", "-", "&", "~", "|", "^", "a", "b", ":", "(", ")", "?", "(?(", "1", "\u0661",
                "\\", "\\d", " ", "#", "[[", "--"]
    sources = []
    for _ in range(2000):
        body = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9)))
        sources.append(f"{body}(?#{uuid.uuid4().hex})")  # new to re's cache
    original = re._compiler.compile
    alone = {}
    for source in sources:
        alone[source] = _warnings_of(_compiled_by_user, source)
        if alone[source]:
            assert rxforms._may_warn(source), source
    assert sum(1 for w in alone.values() if w) > 50  # (the alphabet makes warnings)
    valid = [s for s in sources if _valid(s)]
    assert len(valid) > 300
    for forms in (None, "kept"):
        new_process(kept if forms else None)
        with rxforms.recording():
            for source in sources:
                assert _warnings_of(_compiled_by_user, source) == alone[source], source
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = {s: re.compile(s) for s in valid}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for source in valid:
                assert got[source] == original(source, 0), source
        kept = rxforms.made()
    assert any(not rxforms._may_warn(s) for s in kept)  # (the second run had forms to serve)


def _valid(source):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re._compiler.compile(source, 0)
    except re.error:
        return False
    return True


def _through_rxforms(source):
    return rxforms.compile(source)


def _one_above(source):
    return _through_rxforms(source)


def _two_above(source):
    return _one_above(source)  # rxforms.compile's warnings land here (re's frame count)


def test_rxforms_compile_warns_at_the_line_it_did(new_process):
    """rxforms.compile runs the parser in its own frame, as before the hook: a warning is
    attributed by re's count of frames to the same caller line as then (two above its caller)."""
    source = rf"^[[:alpha:]]+ {uuid.uuid4().hex}$"
    line = _two_above.__code__.co_firstlineno + 1
    assert _warnings_of(_two_above, source) == [(__file__, line, FutureWarning, "Possible nested set at position 2")]


def _damaged(path, change):
    """The file at `path` (save_value's) with one form's code changed by `change` and pickled
    again: a damage that keeps it loadable (its digest left as it was)."""
    data = pickle.loads(path.read_bytes())
    forms = pickle.loads(data["value"])
    key = next(iter(forms))
    form = forms[key]
    forms[key] = (form[0], change(list(form[1])), *form[2:])
    data["value"] = pickle.dumps(forms, protocol=pickle.HIGHEST_PROTOCOL)
    path.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    return key


def test_a_damaged_regexes_pickle_that_still_loads_changes_no_pattern(new_process, tmp_path):
    """A form whose code has one literal changed is taken by _sre.compile (it checks the
    structure, not the characters): the kept forms are used only when their bytes have the
    digest they were saved with, so the pattern is re's."""
    source = rf"tag-{uuid.uuid4().hex[:8]}q"
    path = tmp_path / "cache" / "regexes.pickle"
    with rxforms.recording() as keys:
        re.compile(source)
    doccache.save_forms(path, {}, keys)
    loaded = doccache.load_forms(path)
    assert (source, 0) in loaded  # kept and loaded as saved

    def literal_q_to_p(code):
        at = max(i for i, c in enumerate(code) if c == ord("q") and i and code[i - 1] == int(re._constants.LITERAL))
        code[at] = ord("p")
        return code

    assert _damaged(path, literal_q_to_p) == (source, 0)
    damaged = pickle.loads(pickle.loads(path.read_bytes())["value"])[(source, 0)]
    assert rxforms._sre.compile(source, damaged[0], list(damaged[1]), damaged[2], dict(damaged[3]), damaged[4])  # taken
    new_process()
    assert doccache.load_forms(path) == {} and not rxforms._known
    with rxforms.recording():
        pattern = re.compile(source)
    assert pattern == re._compiler.compile(source, 0) and pattern.match(source) and not pattern.match(source[:-1] + "p")
    assert rxforms.compile(source) == pattern
