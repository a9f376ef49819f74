"""schema/teikit.rng and schema/teikit.sch: fixtures, the corpus, and the TEI subset proof.

Fixtures are in tests/data/schema (see make_fixtures.py there): valid/ passes everything;
invalid/sch-<rule>[--variant].<n>.xml fails Schematron rule <rule> exactly n times;
invalid/rng-<what>.xml is rejected by teikit.rng. jing runs once per schema for the whole
module (all files in one JVM call); without jing those tests skip, unless CI is set.
"""

from __future__ import annotations

import calendar
import functools
import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree, isoschematron

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schema"
DATA = ROOT / "tests" / "data" / "schema"
VALID = sorted((DATA / "valid").glob("*.xml"))
INVALID = sorted((DATA / "invalid").glob("*.xml"))
SCH_FIXTURES = [p for p in INVALID if p.name.startswith("sch-")]
RNG_FIXTURES = [p for p in INVALID if p.name.startswith("rng-")]
CORPUS = sorted((ROOT / "corpus" / "tei").glob("*.xml"))
from .conftest import TEI_ALL, need_jing  # noqa: E402
from teikit.projectinputs import read_registry  # noqa: E402

SCH_NS = {"sch": "http://purl.oclc.org/dsdl/schematron"}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
TEI_NS = "http://www.tei-c.org/ns/1.0"

#: sch fixtures whose fault the grammar also catches (datatype, ID uniqueness)
ALSO_RNG_INVALID = {"date-real", "id-unique"}

#: for each rule id, a valid fixture in which the rule's context fires and passes
PASSING = {
    "lines-order": "fx-letter", "date-real": "fx-telegram", "date-pair": "fx-conversation",
    "date-exclusive": "fx-persons", "date-order": "fx-undated", "date-dateline": "fx-conversation",
    "date-inference": "fx-letter", "id-unique": "fx-letter", "id-form": "fx-letter",
    "docid-idno": "fx-places", "ref-resolves": "fx-letter", "target-local": "fx-places",
    "ref-kind": "fx-conversation", "licence": "fx-corpus", "title-main": "fx-matter",
    "doc-parts": "fx-matter", "corresp-for-letters": "fx-letter",
    "partic-for-conversations": "fx-conversation",
}


# ------------------------------------------------------------------ helpers
def parse(path: Path) -> etree._ElementTree:
    # recover: a duplicate xml:id is a fatal parse error for lxml otherwise
    return etree.parse(str(path), etree.XMLParser(recover=True, no_network=True, resolve_entities=False))


@pytest.fixture(scope="module")
def rng() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA / "teikit.rng")))


@functools.lru_cache(maxsize=1)
def compiled_sch() -> isoschematron.Schematron:
    return isoschematron.Schematron(etree.parse(str(SCHEMA / "teikit.sch")), store_report=True)


@pytest.fixture(scope="module")
def sch() -> isoschematron.Schematron:
    return compiled_sch()


def rules() -> dict[str, tuple[str, str]]:
    """rule id -> (role, context of its rule), read from teikit.sch."""
    doc = etree.parse(str(SCHEMA / "teikit.sch"))
    out = {}
    for test in doc.xpath("//sch:assert | //sch:report", namespaces=SCH_NS):
        out[test.get("id")] = (test.get("role", "error"), test.getparent().get("context"))
    return out


def failures(sch, tree) -> Counter:
    sch.validate(tree)
    report = sch.validation_report
    return Counter(el.get("id") for el in report.iter(SVRL + "failed-assert", SVRL + "successful-report"))


def rule_of(fixture: Path) -> tuple[str, int]:
    m = re.fullmatch(r"sch-(?P<rule>[a-z-]+?)(--[a-z-]+)?\.(?P<n>\d+)\.xml", fixture.name)
    assert m, f"fixture name {fixture.name!r} does not say its rule and count"
    return m["rule"], int(m["n"])


def registry_files(folder: Path) -> list[Path]:
    """The registries as registry.py writes them, from data/registry."""
    from teikit.convert import registry
    from teikit.core import facts

    reg = read_registry(ROOT / "data" / "registry")
    about = facts.registry_about(json.loads((ROOT / "corpus" / "source" / "corpus.json").read_text("utf-8")))
    out = []
    for name, make in (("persons", registry.to_tei_list_person), ("places", registry.to_tei_list_place),
                       ("orgs", registry.to_tei_list_org)):
        path = folder / f"{name}.xml"
        path.write_bytes(etree.tostring(make(reg, about), encoding="UTF-8", xml_declaration=True))
        out.append(path)
    return out


@pytest.fixture(scope="module")
def registries(tmp_path_factory) -> list[Path]:
    return registry_files(tmp_path_factory.mktemp("registry"))


# ------------------------------------------------------------- schematron
def test_rule_ids_are_unique_and_every_rule_has_fixtures():
    doc = etree.parse(str(SCHEMA / "teikit.sch"))
    ids = doc.xpath("//sch:assert/@id | //sch:report/@id", namespaces=SCH_NS)
    assert len(ids) == len(set(ids))
    failing = {rule_of(p)[0] for p in SCH_FIXTURES}
    assert set(ids) == failing == set(PASSING)


@pytest.mark.parametrize("fixture", SCH_FIXTURES, ids=lambda p: p.stem)
def test_failing_fixture_breaks_its_rule_exactly(sch, fixture):
    rule, count = rule_of(fixture)
    assert failures(sch, parse(fixture)) == Counter({rule: count})


@pytest.mark.parametrize("rule", sorted(PASSING))
def test_passing_fixture_fires_the_rule_and_passes(sch, rule):
    tree = parse(DATA / "valid" / f"{PASSING[rule]}.xml")
    assert failures(sch, tree) == Counter()
    fired = {el.get("context") for el in sch.validation_report.iter(SVRL + "fired-rule")}
    assert rules()[rule][1] in fired


@pytest.mark.parametrize("fixture", SCH_FIXTURES, ids=lambda p: p.stem)
def test_schematron_fixtures_are_otherwise_valid(rng, fixture):
    rule, _ = rule_of(fixture)
    assert rng.validate(parse(fixture)) is (rule not in ALSO_RNG_INVALID), str(rng.error_log)


def test_warnings_are_the_extraction_rules():
    roles = {rule: role for rule, (role, _) in rules().items() if role != "error"}
    assert roles == {"corresp-for-letters": "warning", "partic-for-conversations": "warning"}


def _dates_doc(**attrs) -> etree._ElementTree:
    root = etree.Element(f"{{{TEI_NS}}}TEI")
    el = etree.SubElement(root, f"{{{TEI_NS}}}date")
    for k, v in attrs.items():
        el.set(k, v)
    return etree.ElementTree(root)


@pytest.mark.parametrize("value, real", [
    ("1940", True), ("1940-02", True), ("1940-02-29", True), ("1900-02-29", False),
    ("2000-02-29", True), ("1941-02-29", False), ("1941-04-31", False), ("1941-12-31", True),
    ("1941-13", False), ("1941-00-10", False), ("1941-01-00", False), ("41-01-01", False),
    ("1941-1-01", False), ("1941/01/01", False),
])
def test_date_real_table(sch, value, real):
    assert failures(sch, _dates_doc(when=value))["date-real"] == (0 if real else 1)


@settings(max_examples=150, deadline=None)
@given(st.integers(1000, 2999), st.integers(1, 12), st.integers(1, 31))
def test_date_real_agrees_with_the_calendar(y, m, d):
    sch = compiled_sch()
    real = d <= calendar.monthrange(y, m)[1]
    assert failures(sch, _dates_doc(when=f"{y:04d}-{m:02d}-{d:02d}"))["date-real"] == (0 if real else 1)


def _iso(draw_parts) -> str:
    y, m, d, precision = draw_parts
    return [f"{y:04d}", f"{y:04d}-{m:02d}", f"{y:04d}-{m:02d}-{d:02d}"][precision]


_dates = st.tuples(st.integers(1938, 1941), st.integers(1, 12), st.integers(1, 28), st.integers(0, 2)).map(_iso)


@settings(max_examples=150, deadline=None)
@given(_dates, _dates)
def test_date_order_means_the_range_is_not_empty(start, end):
    """@from <= @to iff the earliest day of @from is not after the latest day of @to."""
    sch = compiled_sch()
    lo = (start + "-01-01")[:10]
    hi = end + ("-12-31" if len(end) == 4 else "-31" if len(end) == 7 else "")
    ordered = lo <= hi
    for attrs in ({"from": start, "to": end}, {"notBefore": start, "notAfter": end}):
        assert failures(sch, _dates_doc(**attrs))["date-order"] == (0 if ordered else 1)


# --------------------------------------------------------------- relax ng
@pytest.mark.parametrize("fixture", VALID, ids=lambda p: p.stem)
def test_valid_fixtures(rng, sch, fixture):
    tree = parse(fixture)
    assert rng.validate(tree), str(rng.error_log)
    assert failures(sch, tree) == Counter()


@pytest.mark.parametrize("fixture", RNG_FIXTURES, ids=lambda p: p.stem)
def test_rng_fixtures_are_rejected_with_a_located_message(rng, fixture):
    assert not rng.validate(parse(fixture))
    assert any(e.line > 0 and e.message for e in rng.error_log)


def test_registry_files_as_written(rng, sch, registries):
    for path in registries:
        tree = parse(path)
        assert rng.validate(tree), (path.name, str(rng.error_log))
        assert failures(sch, tree) == Counter(), path.name


def test_corpus_is_valid(rng, sch):
    assert CORPUS, "corpus/tei holds no TEI: run `teikit build`"
    bad = {}
    warnings = Counter()
    roles = {rule: role for rule, (role, _) in rules().items()}
    for path in CORPUS:
        tree = parse(path)
        if not rng.validate(tree):
            bad[path.name] = str(rng.error_log.last_error)
        for rule, n in failures(sch, tree).items():
            if roles[rule] == "error":
                bad[path.name] = rule
            warnings[rule] += n
    assert bad == {}
    assert set(warnings) <= {"corresp-for-letters", "partic-for-conversations"}


# ------------------------------------------------------------------- jing
def _jing(schema: Path, files: list[Path]) -> set[str]:
    """Paths jing rejects (one JVM call for all files)."""
    out = subprocess.run(["jing", str(schema), *map(str, files)], capture_output=True, text=True, timeout=300)
    bad = set()
    for line in out.stdout.splitlines() + out.stderr.splitlines():
        m = re.match(r"(/.+?\.xml):\d+:\d+: (error|fatal)", line)
        if m:
            bad.add(str(Path(m.group(1)).resolve()))
    assert out.returncode == (1 if bad else 0), out.stdout[-2000:] + out.stderr[-2000:]
    return bad


@pytest.fixture(scope="module")
def jing_verdicts(registries):
    need_jing()
    files = [*CORPUS, *VALID, *INVALID, *registries]
    return files, {"tei_all": _jing(TEI_ALL, files), "teikit": _jing(SCHEMA / "teikit.rng", files)}


def test_tei_all_accepts_the_corpus_and_every_valid_fixture(jing_verdicts, registries):
    _, bad = jing_verdicts
    rejected = sorted(Path(p).name for p in bad["tei_all"] if Path(p) in {*CORPUS, *VALID, *registries})
    assert rejected == []


def test_teikit_rng_is_a_subset_of_tei_all(jing_verdicts):
    """No file that teikit.rng accepts is rejected by tei_all (jing on both)."""
    files, bad = jing_verdicts
    accepted = {str(p.resolve()) for p in files} - bad["teikit"]
    assert len(accepted) > len(CORPUS)  # the corpus, the valid and the sch-only fixtures
    assert sorted(Path(p).name for p in accepted & bad["tei_all"]) == []


def test_lxml_and_jing_agree_on_teikit_rng(rng, jing_verdicts):
    files, bad = jing_verdicts
    disagree = []
    for path in files:
        if path.name == "corpus.xml" or path.name == "fx-corpus.xml":
            continue  # jing expands XInclude, lxml validates the unexpanded file
        if rng.validate(parse(path)) == (str(path.resolve()) in bad["teikit"]):
            disagree.append(path.name)
    assert disagree == []
