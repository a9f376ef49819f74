"""Archival references and earlier-publication / source notes that close documents.

The compilation closes most documents with a line such as

    Avp rf, f. 059, on. 1, p. 293, d. 2027, l. 77-79.          (archival shelfmark)
    Print. By architect.                                       (printed from the archive)
    Publ .: international life. - 1991. - no. 8. - p. 105.     (earlier publication)

all machine-translated from Russian (АВП РФ, ф., оп., п., д., л.; Печат. по арх.;
Опубл. в газ. «Известия» № ...) after OCR, so labels and digits come in many garbled
forms. The functions here read one line (strings in, model objects out) and keep the
printed text verbatim beside every parsed part. A part read with a repair or a doubt is
named in `ArchivalRef.uncertain`; a part that cannot be read is left None and named too.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from dataclasses import dataclass

from teikit.convert import dates
from teikit.convert.model import ArchivalRef, Publication
from teikit.convert.ocr import NUMBER_CHARS, repair_digits

__all__ = [
    "continues_source_note",
    "find_archival_ref",
    "find_publication",
    "is_source_line",
]

# --------------------------------------------------------------------------- repositories

AVP_RF = "AVP RF"  # Arkhiv vneshnei politiki RF: Archive of Foreign Policy of the RF
AP_RF = "AP RF"  # Arkhiv Prezidenta RF, Archive of the President of the Russian Federation

#: repository abbreviations as they come out of OCR + MT; read without doubt
_REPO_TOKENS = {"avp": AVP_RF, "wua": AVP_RF, "ap": AP_RF}

# A repository is only taken as the start of a reference when a fond follows it
# ("f" label, or a bare number as in "wua rf, 059, on. 1"): prose naming an archive
# never matches.
_FOND_AHEAD = r"(?=[\s,.]*(?:f(?:[\s.\-,']|(?=\d))|\d))"
_REPO = re.compile(
    r"(?P<ap_long>\barchive\s+of\s+the\s+president\s+of\s+the\s+russian\s+federation\b)"
    r"|(?P<rf_first>\brf\s+wua\b)"  # "the RF WUA": АВП РФ with the parts swapped
    r"|\b(?P<tok>[a-z]{2,4}?)\s*rf\b" + _FOND_AHEAD,
    re.IGNORECASE,
)
_PUBL = re.compile(r"\bPubl\b")

# ------------------------------------------------------------------------ shelfmark parts

# Labels: f = фонд; on/op = опись; p/n/item = папка (п. transliterated "n", translated
# "item"); d = дело, "a." a misread д.; l = лист, often read "I"; an l/I label before the
# delo is a misread "p" (папка) and is placed by position.
_LABEL = re.compile(
    r"[\s,.]*(?P<lab>item|on|op|f|p|n|d|a|l|i)"
    r"(?:[.\-:,]+\s*|\s+|(?=\d)|(?=[bz]\b)|(?=['\u2019]))",
    re.IGNORECASE,
)
_VALUE = re.compile(r"['\u2019]?(?P<val>[^\s,.]+(?:\s+[-\u2013\u2014]\s+[^,.]+)?)")
_UNLABELLED_NUMBER = re.compile(r"[\s,.]*(?P<val>\d+[a-z]?)\b", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"\d+[a-z]?")
# a number as OCR may print it; its confusions are repaired by teikit.convert.ocr
_OCR_NUMBER = re.compile(rf"[{NUMBER_CHARS}]+")

# Fond numbers that OCR + MT turned into words ("Oh", "About" for Об = 06), the (fond, opis)
# series printed in clear digits that choose between their candidates, and the newspapers
# as machine translation names them ("news" for «Известия»): the compilation's vocabulary,
# data of its reader profile (`archive`; docs/reader-profile.md), not code.


@dataclass(frozen=True)
class ArchiveVocabulary:
    """`fond_words`: a word -> the fonds it may stand for; `series`: (fond, opis) pairs
    printed in clear digits, which choose between several candidates; `newspapers`: a word
    of a newspaper note -> the newspaper's title."""

    fond_words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    series: frozenset[tuple[str, str]] = frozenset()
    newspapers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_dict(cls, data: dict | None) -> "ArchiveVocabulary":
        data = data or {}
        return cls(
            fond_words=tuple((w.lower(), tuple(f)) for w, f in data.get("fond_words", {}).items()),
            series=frozenset((str(f), str(o)) for f, o in data.get("series", [])),
            newspapers=tuple((w.lower(), t) for w, t in data.get("newspapers", {}).items()),
        )

    def fonds(self, word: str) -> tuple[str, ...]:
        return dict(self.fond_words).get(word.lower(), ())

    def newspaper(self, word: str) -> str | None:
        return dict(self.newspapers).get(word.lower())


_CURRENT: contextvars.ContextVar[ArchiveVocabulary] = contextvars.ContextVar(
    "archive_vocabulary", default=ArchiveVocabulary())


@contextlib.contextmanager
def vocabulary(vocab: ArchiveVocabulary):
    """Read archival references and notes with `vocab` inside the block (the reader sets
    its profile's vocabulary around a conversion); outside, the neutral empty one."""
    token = _CURRENT.set(vocab)
    try:
        yield vocab
    finally:
        _CURRENT.reset(token)


_FIELD_OF_LABEL = {"f": "fond", "on": "opis", "op": "opis", "p": "papka", "n": "papka",
                   "item": "papka", "d": "delo", "a": "delo"}
_PARTS = ("repository", "fond", "opis", "papka", "delo", "folios")

_FOLIO_ITEM = r"\d+[a-z]?(?:-\d+[a-z]?)?"
_FOLIOS = re.compile(rf"{_FOLIO_ITEM}(?:, {_FOLIO_ITEM})*")


def _clean_number(token: str) -> tuple[str | None, bool]:
    """(cleaned value or None, read with repair or doubt)."""
    token = token.strip().strip("'\u2019")
    if _PLAIN_NUMBER.fullmatch(token):
        return token, False
    if _OCR_NUMBER.fullmatch(token):
        return repair_digits(token), True
    return None, True


def _clean_fond(token: str, opis: str | None) -> tuple[str | None, bool]:
    head = re.split(r"\s+[-\u2013\u2014]\s+", token.strip().strip("'\u2019"))[0]
    value, doubt = _clean_number(head)
    if value is not None:
        return value, doubt
    vocab = _CURRENT.get()
    candidates = vocab.fonds(head)
    if len(candidates) > 1:
        candidates = tuple(c for c in candidates if (c, opis) in vocab.series)
    return (candidates[0] if len(candidates) == 1 else None), True


def _clean_folios(text: str) -> tuple[str | None, bool]:
    text = re.sub(r"\s*[-\u2013\u2014]\s*", "-", text.strip().rstrip(".").strip())
    text = re.sub(r"\s*,\s*", ", ", text)
    doubt = False
    if not _FOLIOS.fullmatch(text):
        repaired = ", ".join(
            "-".join(_clean_number(n)[0] or "?" for n in item.split("-"))
            for item in text.split(", ")
        )
        if not _FOLIOS.fullmatch(repaired):
            return None, True
        text, doubt = repaired, True
    for a, b in re.findall(r"(\d+)-(\d+)", text):
        if int(b) < int(a):  # a descending range: printed so, but doubtful
            doubt = True
    return text, doubt


def _repository(m: re.Match) -> tuple[str | None, bool]:
    """(normalised repository, doubtful); None when only the fond can tell."""
    if m.group("ap_long"):
        return AP_RF, False
    if m.group("rf_first"):
        return AVP_RF, True
    return _REPO_TOKENS.get(m.group("tok").lower()), m.group("tok").lower() not in _REPO_TOKENS


def _parse_parts(text: str) -> tuple[dict[str, str], set[str]]:
    """Labelled values after the repository: ({field: raw value}, fields placed by position)."""
    raw: dict[str, str] = {}
    positional: set[str] = set()
    pos = 0
    m = _UNLABELLED_NUMBER.match(text)
    if m and not _LABEL.match(text):
        raw["fond"] = m.group("val")
        positional.add("fond")
        pos = m.end()
    while pos < len(text):
        lab = _LABEL.match(text, pos)
        if not lab:
            break
        label = lab.group("lab").lower()
        if label in ("l", "i") and "delo" not in raw and "papka" not in raw and "opis" in raw:
            field, by_position = "papka", True
        elif label in ("l", "i"):
            value = text[lab.end():]
            if value.strip():
                raw["folios"] = value
            elif "folios" not in raw:
                raw["folios"] = ""
            return raw, positional
        else:
            field, by_position = _FIELD_OF_LABEL[label], label == "a"
        val = _VALUE.match(text, lab.end())
        if field in raw or not val:
            break
        raw[field] = val.group("val")
        if by_position:
            positional.add(field)
        pos = val.end()
    return raw, positional


def find_archival_ref(line: str, line_no: int | None = None) -> tuple[int, ArchivalRef] | None:
    """(offset where the reference starts, parsed reference), or None.

    The offset lets the caller split a signature fused in front of the reference
    ("Molotov avp rf, f. 059, ..."). `printed` runs to the end of the line or to a
    following `Publ` note (see find_publication).
    """
    if line.isascii():  # every match holds "rf" or "federation" (ASCII: any case is lower())
        low = line.lower()
        if "rf" not in low and "federation" not in low:
            return None
    for m in _REPO.finditer(line):
        publ = _PUBL.search(line, m.end())
        end = publ.start() if publ else len(line)
        printed = line[m.start():end].rstrip()
        raw, positional = _parse_parts(line[m.end():end])
        if len(raw) < 2 or not ({"fond", "delo"} & raw.keys()):
            continue
        ref = ArchivalRef(printed=printed, line=line_no)
        doubtful = set(positional)
        repository, repo_doubt = _repository(m)
        for field in ("opis", "papka", "delo"):
            if field in raw:
                value, doubt = _clean_number(raw[field])
                setattr(ref, field, value)
                if doubt:
                    doubtful.add(field)
        if "fond" in raw:
            ref.fond, doubt = _clean_fond(raw["fond"], ref.opis)
            if doubt:
                doubtful.add("fond")
        if "folios" in raw:
            ref.folios, doubt = _clean_folios(raw["folios"])
            if doubt:
                doubtful.add("folios")
        if repository is None and ref.fond:
            # AVP RF numbers the fonds of the NKID secretariats and desks from 0 (059,
            # 06, 082); AP RF fonds here are plain (3, 45, 56).
            repository = AVP_RF if ref.fond.startswith("0") else None
        ref.repository = repository
        if repo_doubt or repository is None:
            doubtful.add("repository")
        ref.uncertain = [p for p in _PARTS if p in doubtful]
        return m.start(), ref
    return None


# ----------------------------------------------------------------- publication / source

_ISSUE = re.compile(r"(?P<no>\d[\d ]*?)\s*\(\s*(?P<cum>\d[\d ]*?)\s*\)")

# Печат. по арх. = printed from the archive: "Print. By architect.", "Pgchat. About arch.",
# "It's a seal. By arch." (печать = seal), "Print. By srh.", "... By apx" (Cyrillic арх).
# "There is no print. By apx," is read the same way: "по арх." is certain and a note
# "not printed from the archive" does not exist in this series' conventions; the
# "There is no" is taken as a garbled "Печат.".
_PRINT_VERB = r"(?:there\s+is\s+no\s+)?(?:it'?s\s+a\s+seal|print(?:ed)?(?:\s+t)?|pg\w{0,4}t)\s*\.?"
_FROM_ARCHIVE = re.compile(
    rf"^{_PRINT_VERB}\s+(?:by|about)\s+(?:arch\w*|srh|apx)\b\s*[.,]?", re.IGNORECASE
)
_BY_NEWSPAPER = re.compile(rf"^{_PRINT_VERB}\s+by\s+gas\.", re.IGNORECASE)
_BROCHURE = re.compile(rf"^{_PRINT_VERB}\s+according\s+to\s+the\s+brochure\b", re.IGNORECASE)
_PUBL_START = re.compile(r"^(?:publ|the\s+opoble|opubl)\b", re.IGNORECASE)
_GAS = re.compile(r"\b(?:into|in|to)\s+(?:the\s+)?gas\.|\bby\s+gas\.", re.IGNORECASE)
_ISSUE_LINE = re.compile(
    r"^No\.\s*(?P<no>\d[\d ]*?)\s*\(\s*(?P<cum>\d[\d ]*?)\s*\)\s*,\s*"
    r"(?P<date>[A-Za-z]+\s+\d{1,2}\s*,\s*\d{4})\s*\.?$"
)
_PAGES = r"(?:s|p|pp)\s*\.\s*(?P<pages>\d+[a-z]?(?:\s*-\s*\d+[a-z]?)?)"
# "Publ .: international life. - 1991. - no. 6. - s. 126."; also the tail alone when
# "Publ" ended the line before (".: international life. ...").
_JOURNAL = re.compile(
    r"^(?:publ\s*)?\.?\s*:\s*(?P<title>[^:]+?)\s*\.\s+-\s*(?P<year>1[89]\d\d)\s*\.\s*-\s*"
    rf"no\.\s*(?P<no>[^\s.]+)\s*\.\s*-\s*{_PAGES}\s*\.?$",
    re.IGNORECASE,
)
# "Publ.: Soviet-English relations ... - t. 1. - p. 77-81."
_VOLUME_BOOK = re.compile(
    r"^publ\s*\.?\s*:\s*(?P<title>.+?)\s+-\s*t\.\s*[^\s.]+\s*\.\s*-\s*" + _PAGES + r"\s*\.?$",
    re.IGNORECASE,
)
# 'Publ. In the "collection of existing contracts ..." I, m., no. 24, pp. 281-285.'
_QUOTED_BOOK = re.compile(r'^publ\s*\.?\s*in\s+the\s+"(?P<title>[^"]+)"', re.IGNORECASE)
_SOURCE = re.compile(r"^Source\s+(?P<title>\S.*?)\s*$")
_EMPHASIS = re.compile(r"^(?P<lead>\s*[*_]*)(?P<body>.*?)[*_]*\s*$", re.DOTALL)


def _body_span(line: str) -> tuple[int, int]:
    """(start, end) of _EMPHASIS's body: the line without the white space and `*`/`_`
    marks around it (the pattern's span, found without trying each lazy extension)."""
    i, n = 0, len(line)
    while i < n and line[i].isspace():
        i += 1
    while i < n and line[i] in "*_":
        i += 1
    end = len(line[: len(line.rstrip())].rstrip("*_"))
    return i, max(i, end)


def _iso_date(text: str) -> str | None:
    """The first single day printed in `text` (teikit.convert.dates reads it), as ISO."""
    return next((m.when for m in dates.find_dates(text) if m.when and m.precision == "day"), None)


def _issue(m: re.Match) -> str:
    return f"{re.sub(' ', '', m.group('no'))} ({re.sub(' ', '', m.group('cum'))})"


def _newspaper(pub: Publication, rest: str) -> None:
    pub.kind = "newspaper"
    name = re.match(r'\s*"\s*([^"]+?)\s*"|\s*([A-Za-z]+)', rest)
    if name:
        pub.title = _CURRENT.get().newspaper(name.group(1) or name.group(2))
    issue = _ISSUE.search(rest)
    if issue:
        pub.issue = _issue(issue)
    pub.date = _iso_date(rest)


def _parse_publication(pub: Publication) -> None:
    text = pub.printed
    archive = _FROM_ARCHIVE.match(text)
    if archive:
        pub.from_archive = True
        pub.kind = "archive"
        text = text[archive.end():].strip()
        if not text:
            return
    if m := _ISSUE_LINE.match(text):
        pub.kind, pub.issue, pub.date = "newspaper", _issue(m), _iso_date(m.group("date"))
    elif m := _BY_NEWSPAPER.match(text) or (_PUBL_START.match(text) and _GAS.search(text)):
        _newspaper(pub, text[m.end():])  # m ends after "gas."
    elif m := _BROCHURE.match(text):
        pub.kind = "brochure"
        title = re.match(r'\s*"\s*([^"]+?)\s*"', text[m.end():])
        pub.title = title.group(1) if title else None
        year = re.search(r"\bM\.\s*(1[89]\d\d)\b", text[m.end():])
        pub.date = year.group(1) if year else None
    elif m := _JOURNAL.match(text):
        pub.kind, pub.title, pub.date = "journal", m.group("title"), m.group("year")
        pub.issue = m.group("no") if m.group("no").isdigit() else None
        pub.pages = re.sub(r"\s*-\s*", "-", m.group("pages"))
    elif m := _VOLUME_BOOK.match(text):
        pub.kind, pub.title = "book", m.group("title")
        pub.pages = re.sub(r"\s*-\s*", "-", m.group("pages"))
    elif m := _QUOTED_BOOK.match(text):
        pub.kind, pub.title = "book", m.group("title")
        pages = re.search(_PAGES, text[m.end():], re.IGNORECASE)
        pub.pages = re.sub(r"\s*-\s*", "-", pages.group("pages")) if pages else None
        year = re.search(r'\bm\W{0,3}(1[89]\d\d)\b', text[m.end():], re.IGNORECASE)
        pub.date = year.group(1) if year else None
    elif m := _SOURCE.match(text):
        pub.kind, pub.title = "book", m.group("title")


def _starts_note(text: str) -> bool:
    return bool(
        _FROM_ARCHIVE.match(text) or _BY_NEWSPAPER.match(text) or _BROCHURE.match(text)
        or _PUBL_START.match(text) or _ISSUE_LINE.match(text) or _JOURNAL.match(text)
        or _SOURCE.match(text)
    )


def find_publication(line: str, line_no: int | None = None) -> tuple[int, Publication] | None:
    """(offset where the note starts, parsed note), or None.

    A note starts the line (markdown emphasis `*...*` is not part of it) or follows an
    archival reference on the same line (`... l. 5-6. Publ. : international life ...`).
    Parts are filled only where certain; `printed` is the note verbatim.
    """
    start, end = _body_span(line)
    ref = find_archival_ref(line)
    if ref:
        publ = _PUBL.search(line, ref[0])
        if not publ:
            return None
        start = publ.start()
    elif not _starts_note(line[start:end]):
        return None
    pub = Publication(printed=line[start:end].rstrip(), line=line_no)
    _parse_publication(pub)
    return start, pub


def is_source_line(line: str) -> bool:
    """True when the whole line is an archival reference and/or a publication/source note.

    A line with a signature fused in front of the reference ("Molotov avp rf, ...") is
    not wholly a source line: split it with find_archival_ref's offset.
    """
    lead = _body_span(line)[0]
    if not line[lead:].strip():
        return False
    found = find_archival_ref(line) or find_publication(line)
    return bool(found) and found[0] == lead


def continues_source_note(previous: str, line: str) -> bool:
    """True when `line` completes the note begun on `previous` (the last non-blank line).

    Join the two with a space and parse the result. Cases in the source: a reference
    ending in "Publ" whose tail (".: international life ...") is on the next line; a
    newspaper note whose issue date or issue line follows ("... (637)," / "April 23,
    1919 ."; 'Publ. Into gas. "news"' / "No. 239 (1382), October 25, 1921").
    """
    start, end = _body_span(line)
    text = line[start:end].strip()
    if re.search(r"\bPubl\s*$", previous.rstrip()) and find_archival_ref(previous):
        return text.startswith((".", ":"))
    found = find_publication(previous)
    if not found or found[1].kind != "newspaper" or found[1].date:
        return False
    if _ISSUE_LINE.match(text):
        return True
    date_only = re.fullmatch(r"[A-Za-z]+\s+\d{1,2}\s*,\s*\d{4}\s*\.?", text)
    return bool(date_only) and _iso_date(text) is not None
