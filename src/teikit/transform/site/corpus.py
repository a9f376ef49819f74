"""Reading the corpus for the site: corpus.xml, its XIncluded members (read through the
`Files` the application layer hands over), and the facts of each member that the pages need."""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from pathlib import PurePath

from lxml import etree

from teikit.core import xinclude
from teikit.core.files import MemoryFiles
from teikit.core.errors import InputError
from teikit.core.names import TEI_NS
from teikit.transform import runner as transform

XI_NS = "http://www.w3.org/2001/XInclude"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
CORPUS_FILE = "corpus.xml"
NS = {"t": TEI_NS}
#: registry list element -> (page kind, ref prefix)
REGISTRIES = {"listPerson": ("person", "pers"), "listPlace": ("place", "place"), "listOrg": ("org", "org")}
ENTRY = {"listPerson": "person", "listPlace": "place", "listOrg": "org"}
#: a registry file's id -> its list element, for a registry without entries (teikit.convert.registry.tei
#: writes a paragraph, not an empty list, which TEI does not allow)
REGISTRY_IDS = {"persons": "listPerson", "places": "listPlace", "orgs": "listOrg"}
_DATE_ATTRS = ("when", "from", "notBefore")
_DATE_PATH = ("t:teiHeader/t:profileDesc/t:creation/t:date | "
              "t:teiHeader/t:profileDesc/t:correspDesc/t:correspAction[@type='sent']/t:date")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Member:
    """One file of the corpus: a document or a registry."""

    path: PurePath
    tree: etree._ElementTree
    digest: str  # of the file's bytes
    doc_id: str
    title: str
    date: str = ""  # ISO start date ('' = undated)
    type: str = ""
    registry: str = ""  # 'listPerson' etc. for a registry file
    listed: bool = True  # dated, typed or with correspondence (front/back matter: False)
    senders: tuple[str, ...] = ()  # @ref of correspAction[@type='sent'] agents ('pers:chicherin')
    addressees: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()  # every distinct @ref of the file, sorted
    listing: str = ""  # digest of what a page listing this document shows (header, refs)
    agents: dict = field(default_factory=dict)  # ref -> name as printed in correspDesc
    data: bytes = field(default=b"", repr=False)  # the file's bytes (copied to the site as they are)
    _absent: frozenset | None = field(default=None, repr=False, compare=False)

    def parsed(self) -> etree._ElementTree:
        """The file's tree: `tree`, parsed from `data` when it was not (a member whose facts
        came from the memo is parsed only when something needs more than its facts)."""
        if self.tree is None:
            self.tree = transform.parse_tei(self.data, str(self.path))
        return self.tree

    def absent(self) -> frozenset:
        """The stylesheet features the file does not have (runner.absent_features, from its
        bytes where they tell), found once for its page and its text."""
        if self._absent is None:
            self._absent = transform.absent_features(self.parsed(), self.data)
        return self._absent

    @property
    def sort_key(self) -> tuple:
        return (self.date, self.doc_id)

    @property
    def month(self) -> str:
        return self.date[:7] if len(self.date) >= 7 and self.date[4] == "-" else ""


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _xpath(path: str, **options) -> etree.XPath:
    return etree.XPath(path, namespaces=NS, **options)


#: describe's queries, compiled once (the same expressions: the same nodes, in document order)
_TITLES = (_xpath("t:teiHeader/t:fileDesc/t:titleStmt/t:title[@type='main']"),
           _xpath("t:teiHeader/t:fileDesc/t:titleStmt/t:title"))
_DATES = _xpath(_DATE_PATH)
_CATEGORY = _xpath("t:teiHeader/t:profileDesc/t:textClass/t:catRef[contains(@target, '#')]")
_LISTED = _xpath("t:teiHeader/t:profileDesc[t:creation/t:date or t:textClass/t:catRef or t:correspDesc]")
_ACTIONS = _xpath("t:teiHeader/t:profileDesc/t:correspDesc[1]/t:correspAction[@type='sent' or @type='received']")
_AGENTS = _xpath("t:persName[@ref] | t:orgName[@ref] | t:name[@ref]")
#: every @ref of a file, as plain strings (not lxml's "smart" strings, which each keep their element)
_REFS = etree.XPath(".//@ref", smart_strings=False)


def describe(path: PurePath, tree, digest: str, data: bytes = b"") -> Member:
    """The facts of one TEI file the site needs: id, title, ISO date, type, registry kind,
    correspondents, references and the digest of its listing."""
    root = tree.getroot()
    doc_id = root.get(XML_ID) or path.stem
    titles = _TITLES[0](root) or _TITLES[1](root)
    title = _text(titles[0]) if titles else "Untitled"
    date = ""
    for el in _DATES(root):
        date = next((el.get(a) for a in _DATE_ATTRS if el.get(a)), "")
        if date:
            break
    cats = _CATEGORY(root)
    cat = cats[0] if cats else None
    registry = next((name for name in REGISTRIES if root.find(f"t:text/t:body/t:{name}", NS) is not None), "")
    if not registry and doc_id in REGISTRY_IDS and not root.xpath("t:text/t:body/*[not(self::t:p)]", namespaces=NS):
        registry = REGISTRY_IDS[doc_id]  # one without entries (its page would be the corpus page of that name)
    listed = bool(_LISTED(root))
    agents: dict[str, str] = {}
    roles: dict[str, list[str]] = {"sent": [], "received": []}
    for action in _ACTIONS(root):
        for agent in _AGENTS(action):
            ref = " ".join(agent.get("ref").split())
            roles[action.get("type")].append(ref)
            agents.setdefault(ref, _text(agent))
    refs = tuple(sorted({" ".join(r.split()) for r in _REFS(root)}))
    header = root.find(f"{{{TEI_NS}}}teiHeader")
    listing = sha(b"\0".join([doc_id.encode(), etree.tostring(header) if header is not None else b"",
                              "\n".join(refs).encode()]))
    return Member(path=path, tree=tree, digest=digest, doc_id=doc_id, title=title, date=date,
                  type=cat.get("target").split("#", 1)[1] if cat is not None else "",
                  registry=registry, listed=listed, senders=tuple(dict.fromkeys(roles["sent"])),
                  addressees=tuple(dict.fromkeys(roles["received"])), refs=refs, listing=listing,
                  agents=agents, data=data)


#: Member fields that are facts of the file (kept in the memo); the others are path, tree, digest, data
FACTS = ("doc_id", "title", "date", "type", "registry", "listed", "senders", "addressees", "refs", "listing", "agents")


def date_order(members: list[Member]) -> list[Member]:
    """Documents (not registries) in date order: dated ones by date then id; undated last, by id."""
    docs = [m for m in members if not m.registry]
    return sorted(docs, key=lambda m: (m.date == "", m.date, m.doc_id))


def neighbours(ordered: list[Member]) -> dict[str, tuple[Member | None, Member | None]]:
    """doc-id -> (previous, next) in date order, among the listed documents."""
    listed = [m for m in ordered if m.listed]
    out: dict[str, tuple[Member | None, Member | None]] = {m.doc_id: (None, None) for m in ordered}
    for i, m in enumerate(listed):
        out[m.doc_id] = (listed[i - 1] if i else None, listed[i + 1] if i + 1 < len(listed) else None)
    return out


def _expand(corpus_tree, members: dict[str, Member], copy_member):
    """A copy of the teiCorpus with every xi:include replaced by `copy_member(member)`
    (by href), through the one XInclude expander (teikit.core.xinclude)."""
    root = copy.deepcopy(corpus_tree.getroot())

    def member_root(href, _path):
        member = members.get(href)
        if member is None:
            raise InputError(f"XInclude href {href!r} in {CORPUS_FILE} names no file of the TEI folder. "
                             f"Rebuild the corpus with `teikit build`.")
        return copy_member(member), []

    base = PurePath(corpus_tree.docinfo.URL or CORPUS_FILE)
    # the members were read (and path-checked) by read_corpus: the check here is on names
    issues = xinclude.expand(root, str(base), files=MemoryFiles(), root=base.parent, load=member_root,
                             mark_base=False)
    if issues:
        raise InputError(f"{issues[0].format()}. Rebuild the corpus with `teikit build`.")
    return root.getroottree()


def expand_corpus(corpus_tree, members: dict[str, Member]):
    """A copy of the teiCorpus with every xi:include replaced by its member's root (by href)."""
    return _expand(corpus_tree, members, lambda m: copy.deepcopy(m.parsed().getroot()))


def slim_member(root) -> etree._Element:
    """A light copy of one document for the corpus pages, which read its header and the @ref
    of its text only: its tei:text becomes one `ab` holding one empty element per distinct
    (name, @ref). Registries are copied whole."""
    text = root.find(f"{{{TEI_NS}}}text")
    lists = tuple(f"{{{TEI_NS}}}{name}" for name in REGISTRIES)
    if text is None or any(el.tag in lists for el in text.iterfind(f"{{{TEI_NS}}}body/*")):
        return copy.deepcopy(root)
    out = etree.Element(root.tag, dict(root.attrib), nsmap=root.nsmap)
    for child in root:
        if child is not text:
            out.append(copy.deepcopy(child))
    new = etree.SubElement(out, f"{{{TEI_NS}}}text")
    ab = etree.SubElement(etree.SubElement(new, f"{{{TEI_NS}}}body"), f"{{{TEI_NS}}}ab")
    seen = set()
    for el in _WITH_REF(text):  # the elements of text (itself too) with @ref, in document order
        pair = (el.tag, el.get("ref"))
        if pair not in seen:
            seen.add(pair)
            etree.SubElement(ab, el.tag, ref=pair[1])
    return out


_WITH_REF = etree.XPath("descendant-or-self::*[@ref]")


def slim_corpus(corpus_tree, members: dict[str, Member], memo=None):
    """The teiCorpus with every xi:include replaced by the slim copy of its member.

    With a `memo` (teikit.transform.site.memo) a document's slim copy is kept as its
    serialisation, under the file's name and sha256 (slim_member reads nothing else), and
    parsed again by the parser that read the file: the same elements, attributes, text and
    namespaces as the copy made from the file (tests/test_site_memo.py compares both)."""
    if memo is None:
        return _expand(corpus_tree, members, lambda m: slim_member(m.parsed().getroot()))
    parser = transform.hardened_parser()  # one for the copies, parsed one after the other (a parser
    # is set up afresh for each parse: the same trees; making one costs ~30 us, 185 for the corpus)

    def copy_member(m: Member):
        if m.registry:
            return slim_member(m.parsed().getroot())
        made = []

        def make():
            made.append(slim_member(m.parsed().getroot()))
            return etree.tostring(made[0])

        data = memo.get(("slim", m.path.name, m.digest), make)
        return made[0] if made else etree.fromstring(data, parser)

    return _expand(corpus_tree, members, copy_member)


def read_corpus(files, tei_dir: PurePath, memo=None) -> tuple[bytes, etree._ElementTree, dict[str, Member]]:
    """corpus.xml and its XIncluded members (href -> Member), read through `files` (a
    teikit.core.files.Files); only files inside tei_dir are read.

    With a `memo` (teikit.transform.site.memo), a member's facts (FACTS, which `describe`
    derives from the file's bytes and its name alone) are kept under its name and sha256,
    and a document found there is not parsed (Member.parsed parses it when needed);
    registries are always parsed."""
    tei_dir = PurePath(tei_dir)
    corpus_path = tei_dir / CORPUS_FILE
    try:
        corpus_bytes, reason = files.read(corpus_path), "No such file or directory"
    except OSError as err:
        corpus_bytes, reason = None, err.strerror
    if corpus_bytes is None:
        raise InputError(f"corpus file {str(corpus_path)!r} cannot be read: {reason}. "
                         f"Run `teikit build` to write corpus/tei.")
    corpus_tree = transform.parse_tei(corpus_bytes, str(corpus_path))
    root_dir = files.real(tei_dir)
    members: dict[str, Member] = {}
    for inc in corpus_tree.iter(f"{{{XI_NS}}}include"):
        href = inc.get("href", "")
        path, _why = xinclude.locate(href, corpus_path, root_dir, files, top=root_dir)
        data = files.read(path) if path is not None else None
        if data is None:
            raise InputError(f"XInclude href {href!r} in {corpus_path} is not a file inside {tei_dir}. "
                             f"Only members in the TEI folder are read.")
        digest = sha(data)
        if memo is None:
            members[href] = describe(path, transform.parse_tei(data, str(path)), digest, data)
            continue
        made: list[Member] = []

        def make(path=path, data=data, digest=digest):
            made.append(describe(path, transform.parse_tei(data, str(path)), digest, data))
            return {name: getattr(made[0], name) for name in FACTS}

        facts = memo.get(("member", path.name, digest), make)
        member = made[0] if made else Member(path=path, tree=None, digest=digest, data=data, **facts)
        if member.registry:
            member.parsed()
        members[href] = member
    return corpus_bytes, corpus_tree, members


def registry_names(members) -> dict[str, str]:
    """Prefixed ref ('pers:chicherin') -> the registry's regularised name, for every entry."""
    out: dict[str, str] = {}
    for m in members:
        if not m.registry:
            continue
        _kind, prefix = REGISTRIES[m.registry]
        tag = ENTRY[m.registry]
        for e in m.parsed().getroot().iter(f"{{{TEI_NS}}}{tag}"):
            eid = e.get(XML_ID)
            if not eid:
                continue
            names = [c for c in e if isinstance(c.tag, str) and c.tag.endswith("Name")]
            reg = next((c for c in names if c.get("type") == "reg"), names[0] if names else None)
            out[f"{prefix}:{eid}"] = _text(reg) or eid
    return out
