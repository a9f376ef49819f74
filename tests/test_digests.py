"""One digest of teikit's code (teikit.project.code_digest), used by the build's caches and
by the validation result cache alike, and one walk of a folder's files (teikit.disk.files_below)
for it and for the XML files `teikit validate` collects."""

import hashlib
import os

from pathlib import Path

from teikit import project, resultcache, validation
from teikit.disk import files_below


def _tree(root):
    for rel, data in {"a.py": b"1", "b/c.py": b"2", "b-c.py": b"3", "b/d/e.json": b"4", "B.py": b"5",
                      "b/__pycache__/c.cpython-311.pyc": b"x", "f.pyc": b"y", "g.txt": b"6"}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "outside").mkdir()
    (root / "outside" / "h.py").write_bytes(b"7")
    os.symlink(root / "outside", root / "b" / "linked")  # a linked folder is not entered


def _as_rglob(root, pattern):
    """The digest as pathlib's rglob gives the files (what code_digest hashed before)."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts
                       and p.suffix not in (".pyc", ".pyo")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def test_the_files_of_a_folder_are_hashed_as_rglob_orders_them(tmp_path):
    _tree(tmp_path)
    assert sorted(files_below(str(tmp_path), skip_bytecode=True)) == sorted(
        ["a.py", "b/c.py", "b-c.py", "b/d/e.json", "B.py", "g.txt", "outside/h.py"])
    for pattern in ("*.py", "*", "*.json"):
        h = hashlib.sha256()
        project._digest_files(h, tmp_path, pattern)
        assert h.hexdigest() == _as_rglob(tmp_path, pattern), pattern


def test_the_result_cache_is_keyed_by_the_code_digest(monkeypatch):
    before = resultcache.fingerprint()
    monkeypatch.setattr(resultcache, "_FINGERPRINT", [])
    monkeypatch.setattr(project, "code_digest", lambda: "other code")
    assert resultcache.fingerprint() != before
    assert resultcache.key is project.key


def test_the_code_digest_memo_gives_code_digest_and_sees_every_change(tmp_path, monkeypatch):
    """resultcache.code_digest_memo: remembered by the files' inode, size and times; a file
    whose bytes change (same size, its modification time put back) is seen by its change
    time; nothing is remembered while a file is newer than SETTLED_NS."""
    code = tmp_path / "code"
    _tree(code)
    monkeypatch.setattr(project, "code_roots", lambda: [(code, "*.py"), (tmp_path / "missing", "*")])
    memo = tmp_path / "memo"

    def digest():
        project.code_digest.cache_clear()
        return project.code_digest()

    try:
        first = digest()
        assert resultcache.code_digest_memo(memo) == first
        assert not (memo / resultcache.MEMO_NAME).exists()  # the files are new: not remembered yet
        monkeypatch.setattr(resultcache, "SETTLED_NS", 0)
        assert resultcache.code_digest_memo(memo) == first
        assert (memo / resultcache.MEMO_NAME).exists()
        monkeypatch.setattr(project, "code_digest", lambda: "computed")  # a memo that holds is used
        assert resultcache.code_digest_memo(memo) == first
        monkeypatch.undo()
        monkeypatch.setattr(project, "code_roots", lambda: [(code, "*.py"), (tmp_path / "missing", "*")])
        before = os.stat(code / "b" / "c.py")
        (code / "b" / "c.py").write_bytes(b"9")  # the same size, the same modification time
        os.utime(code / "b" / "c.py", ns=(before.st_atime_ns, before.st_mtime_ns))
        assert digest() != first
        assert resultcache.code_digest_memo(memo) == digest()
    finally:
        project.code_digest.cache_clear()


def test_the_memo_never_pairs_the_files_now_with_a_digest_of_the_files_before(tmp_path, monkeypatch):
    """A process's code_digest is of the files as it started: when one changes afterwards (a
    `git pull` during a build), its digest is not remembered under the new files' signature,
    where every later run would take it for the new code's (and a build would keep outputs of
    the old code); the next run computes the new digest and remembers that."""
    code = tmp_path / "code"
    _tree(code)
    monkeypatch.setattr(project, "code_roots", lambda: [(code, "*.py")])
    monkeypatch.setattr(resultcache, "SETTLED_NS", 0)
    memo = tmp_path / "memo"
    try:
        project.code_digest.cache_clear()
        old = project.code_digest()  # this process's code
        (code / "b" / "c.py").write_bytes(b"changed while the process ran")
        assert resultcache.code_digest_memo(memo) == old  # (the code that runs here)
        assert not (memo / resultcache.MEMO_NAME).exists()
        project.code_digest.cache_clear()  # the next process
        new = project.code_digest()
        assert new != old
        assert resultcache.code_digest_memo(memo) == new
        assert (memo / resultcache.MEMO_NAME).exists()
        project.code_digest.cache_clear()
        assert resultcache.code_digest_memo(memo) == new  # remembered: the new code's digest
    finally:
        project.code_digest.cache_clear()


def test_the_xml_files_of_a_folder_are_what_rglob_finds_links_to_nothing_included(tmp_path, monkeypatch):
    """As rglob's files, plus links to nothing (validate reports them as unreadable, not
    leaving them out unsaid)."""
    _tree(tmp_path)
    for rel in ("x.xml", ".hidden.xml", "b/y.xml", "b/__pycache__/z.xml", "outside/w.xml", "UPPER.XML",
                "dir.xml/v.xml"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"<a/>")
    os.symlink(tmp_path / "x.xml", tmp_path / "b" / "link.xml")
    os.symlink(tmp_path / "missing.xml", tmp_path / "b" / "broken.xml")
    for folder in (str(tmp_path), str(tmp_path) + "/", str(tmp_path / "b")):
        expected = sorted(str(p) for p in Path(folder).rglob("*.xml") if p.is_file() or p.is_symlink())
        assert sorted(validation._xml_files_below(folder)) == expected, folder
        assert any(p.endswith("broken.xml") for p in expected)
    monkeypatch.chdir(tmp_path)
    assert sorted(validation._xml_files_below(".")) == \
        sorted(str(p) for p in Path(".").rglob("*.xml") if p.is_file() or p.is_symlink())


def test_a_project_takes_the_code_digest_its_validation_remembered(tmp_path, monkeypatch):
    """conversion_inputs' code digest (project.project_code_digest): the memo the corpus's
    validation keeps in corpus/.teikit/cache/validate when it holds (read only, never
    written here), else code_digest computed."""
    code = tmp_path / "code"
    _tree(code)
    monkeypatch.setattr(project, "code_roots", lambda: [(code, "*.py"), (tmp_path / "missing", "*")])
    monkeypatch.setattr(resultcache, "SETTLED_NS", 0)
    corpus = project.Project(tmp_path / "corpus")
    folder = corpus.state_dir / "cache" / "validate"
    try:
        project.code_digest.cache_clear()
        first = project.code_digest()
        monkeypatch.setattr(project, "code_digest", lambda: "computed")
        assert project.project_code_digest(corpus) == "computed"  # no memo
        assert not corpus.state_dir.exists()
        monkeypatch.undo()
        monkeypatch.setattr(project, "code_roots", lambda: [(code, "*.py"), (tmp_path / "missing", "*")])
        monkeypatch.setattr(resultcache, "SETTLED_NS", 0)
        assert resultcache.code_digest_memo(folder) == first
        assert folder.joinpath(resultcache.MEMO_NAME) == corpus.state_dir.joinpath(*project.CODE_MEMO)
        monkeypatch.setattr(project, "code_digest", lambda: "computed")
        assert project.project_code_digest(corpus) == first  # the memo holds
        assert project.conversion_inputs(corpus)["code"] == first
        before = os.stat(code / "b" / "c.py")
        (code / "b" / "c.py").write_bytes(b"9")  # the same size, the same modification time
        os.utime(code / "b" / "c.py", ns=(before.st_atime_ns, before.st_mtime_ns))
        assert project.project_code_digest(corpus) == "computed"  # the memo does not hold
    finally:
        monkeypatch.undo()
        project.code_digest.cache_clear()
