"""RELAX NG includes read through Files (validate/rnginclude.py): the inlined grammar gives
libxml2's verdicts of the grammar it reads from disk with its includes, on documents that
probe the overridden define and start, ns and datatypeLibrary inheritance, nested includes
in other folders and an externalRef; and a grammar in memory compiles with no file."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from teikit.core.errors import UsageError
from teikit.core.files import MemoryFiles
from teikit.disk import Disk
from teikit.validate import rng, rnginclude

MAIN = Path(__file__).resolve().parent / "data" / "validate" / "rng-include" / "main.rng"


def _documents():
    out = []
    for rootns in ("urn:outer", ""):
        for itemns in ("urn:outer", ""):
            for val in ("1", "a"):
                for v in ("", '<v xmlns="{n}">t</v>'):
                    for ext in ("", '<ext xmlns="{n}">x</ext>', '<ext xmlns="urn:outer">x</ext>'):
                        for deep in ("", '<d xmlns="urn:deep"/>', "<d/>"):
                            out.append(f'<root xmlns="{rootns}"><item xmlns="{itemns}">{val}</item>'
                                       f'{v.format(n=itemns)}{deep}{ext.format(n=itemns)}</root>')
    return out


def test_inlined_grammar_gives_libxml2s_verdicts_of_the_grammar_on_disk():
    on_disk = etree.RelaxNG(file=str(MAIN))  # libxml2 reads the includes itself
    inlined = etree.RelaxNG(etree=rnginclude.inline(etree.parse(str(MAIN)), str(MAIN), Disk()))
    verdicts = []
    for doc in _documents():
        tree = etree.fromstring(doc).getroottree()
        verdicts.append(on_disk.validate(tree))
        assert inlined.validate(tree) == verdicts[-1], doc
    assert 0 < sum(verdicts) < len(verdicts)


def test_a_grammar_and_its_includes_compile_from_memory():
    base = MAIN.parent
    files = MemoryFiles({f"g/{p.relative_to(base)}": p.read_bytes() for p in base.rglob("*.rng")})
    compiled = rng.compile_schema("g/main.rng", None, files=files)
    ok = etree.fromstring(b'<root xmlns="urn:outer"><item>1</item></root>').getroottree()
    bad = etree.fromstring(b'<root xmlns="urn:outer"><item>a</item></root>').getroottree()
    assert rng.validate_tree(compiled, ok, "ok.xml") == []
    assert rng.validate_tree(compiled, bad, "bad.xml")


def test_a_missing_include_is_a_usage_error_naming_it():
    files = MemoryFiles({"m.rng": b'<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
                                  b'<include href="gone.rng"/></grammar>'})
    with pytest.raises(UsageError, match="gone.rng"):
        rng.compile_schema("m.rng", None, files=files)


_BROKEN = {
    "gone": None,  # no such file
    "broken.rng": b'<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start>',
    "foreign.xml": b"<notrng/>",
    "element.rng": b'<element xmlns="http://relaxng.org/ns/structure/1.0" name="a"><empty/></element>',
}


@pytest.mark.parametrize("ref", ["include", "externalRef"])
@pytest.mark.parametrize("target", [*_BROKEN, "main.rng"])
def test_an_include_that_cannot_be_used_is_the_error_libxml2_gives(tmp_path, monkeypatch, ref, target):
    """Where libxml2 once read the included file itself, its first message is kept."""
    monkeypatch.chdir(tmp_path)
    for name, data in _BROKEN.items():
        if data is not None:
            (tmp_path / name).write_bytes(data)
    if ref == "include":
        body = f'<include href="{target}"/><start><empty/></start>'
    else:
        body = f'<start><element name="r"><externalRef href="{target}"/></element></start>'
    (tmp_path / "main.rng").write_text(f'<grammar xmlns="http://relaxng.org/ns/structure/1.0">{body}</grammar>')
    try:
        etree.RelaxNG(file="main.rng")
        expected = None
    except etree.RelaxNGParseError as err:
        expected = err.error_log[0].message
    if expected is None:  # libxml2 accepts it (an externalRef to an element pattern)
        rng.compile_schema("main.rng", None, files=Disk())
        return
    with pytest.raises(UsageError) as raised:
        rng.compile_schema("main.rng", None, files=Disk())
    assert str(raised.value) == f"Cannot compile schema 'main.rng': {expected}"


def test_an_include_that_cannot_be_read_is_a_usage_error_with_the_reason():
    """A file the system will not let teikit read (PermissionError) is named with the
    system's reason, not a traceback."""
    class Locked(MemoryFiles):
        def read(self, path):
            if str(path).endswith("locked.rng"):
                raise PermissionError(13, "Permission denied")
            return super().read(path)

    files = Locked({"m.rng": b'<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
                             b'<include href="locked.rng"/></grammar>', "locked.rng": b"<grammar/>"})
    with pytest.raises(UsageError, match="locked.rng.*Permission denied"):
        rng.compile_schema("m.rng", None, files=files)


def test_the_pruned_grammar_kept_on_disk_follows_an_edited_include(tmp_path):
    """The pruned-grammar cache is keyed by the grammar and everything it includes: a new
    process (empty memory) after an edit of an included file does not get the old grammar."""
    from teikit.disk import DiskCache

    (tmp_path / "inc.rng").write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
                                      '<start><element name="a"><text/></element></start></grammar>',
                                      encoding="utf-8")
    (tmp_path / "m.rng").write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
                                    '<include href="inc.rng"/></grammar>', encoding="utf-8")
    cache, used = DiskCache(tmp_path / "cache"), frozenset({("", "a")})
    doc = etree.fromstring(b"<a>x</a>").getroottree()
    assert rng.validate_tree(rng.compile_schema(str(tmp_path / "m.rng"), used, files=Disk(), cache=cache), doc, "a.xml") == []
    (tmp_path / "inc.rng").write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
                                      '<start><element name="a"><empty/></element></start></grammar>',
                                      encoding="utf-8")
    rng._MEMORY.clear()  # as a new process
    again = rng.compile_schema(str(tmp_path / "m.rng"), used, files=Disk(), cache=cache)
    assert rng.validate_tree(again, doc, "a.xml")
