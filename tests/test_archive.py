"""Archival references and publication / source notes (teikit.archive)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teikit.convert import archive
from teikit.convert.archive import (
    continues_source_note,
    find_archival_ref,
    find_publication,
    is_source_line,
)
from teikit.convert.model import ArchivalRef, Publication

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "corpus" / "source" / "soviet-foreign-policy-documents-1919-1942.md"
from .conftest import SHARED, bundled_profile  # noqa: E402

#: the tests read the bundled compilation's archive vocabulary (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("source_conventions")

GOLD = SHARED / "gold-dev" / "gold-dev.json"


def _ref(printed, repository, fond, opis, papka, delo, folios, uncertain=()):
    return ArchivalRef(printed=printed, line=None, repository=repository, fond=fond, opis=opis,
                       papka=papka, delo=delo, folios=folios, uncertain=list(uncertain))


AVP, AP = "AVP RF", "AP RF"

# (line as printed, offset where the reference starts, expected reference)
REFS = [
    ("Avp rf, f. 059, on 1, p. 293, d. 2027, l. 77-79.", 0,
     _ref("Avp rf, f. 059, on 1, p. 293, d. 2027, l. 77-79.", AVP, "059", "1", "293", "2027", "77-79")),
    ("Wua rf, f 059, on I, n 294, d 2029, l 83", 0,
     _ref("Wua rf, f 059, on I, n 294, d 2029, l 83", AVP, "059", "1", "294", "2029", "83", ["opis"])),
    ("Avp rf, f. Oh, on 4, p 28, d 86, l 40-43", 0,
     _ref("Avp rf, f. Oh, on 4, p 28, d 86, l 40-43", AVP, "011", "4", "28", "86", "40-43", ["fond"])),
    ("Avp rf, f. Oh, on. 3, p. 1, d. 4, l. 42-47.", 0,
     _ref("Avp rf, f. Oh, on. 3, p. 1, d. 4, l. 42-47.", AVP, "06", "3", "1", "4", "42-47", ["fond"])),
    ("Avp rf, f. Oil, on. 4, p. 31, d. 166, l. 151-154.", 0,
     _ref("Avp rf, f. Oil, on. 4, p. 31, d. 166, l. 151-154.", AVP, "011", "4", "31", "166", "151-154",
          ["fond"])),
    ("O. Nikitnikova avp rf, f. Oil, on. 4, p. 31, d. 166, l. 140-145.", 15,
     _ref("avp rf, f. Oil, on. 4, p. 31, d. 166, l. 140-145.", AVP, "011", "4", "31", "166", "140-145",
          ["fond"])),
    ("Avp rf, f. 011. On. 4, p 31, d 166, l 247-249", 0,
     _ref("Avp rf, f. 011. On. 4, p 31, d 166, l 247-249", AVP, "011", "4", "31", "166", "247-249")),
    ("Wua rf. F 'oh, on 4, I 31, d 166, l 242", 0,
     _ref("Wua rf. F 'oh, on 4, I 31, d 166, l 242", AVP, "011", "4", "31", "166", "242", ["fond", "papka"])),
    ("V. Potemkin wua rf, f oil, on. 4, p 24, d.7, l. 29-30.", 12,
     _ref("wua rf, f oil, on. 4, p 24, d.7, l. 29-30.", AVP, "011", "4", "24", "7", "29-30", ["fond"])),
    ("Terentyev avp rf, f. Ou, on. 4, p. 31, d. 166, l. 286-288.", 10,
     _ref("avp rf, f. Ou, on. 4, p. 31, d. 166, l. 286-288.", AVP, "011", "4", "31", "166", "286-288",
          ["fond"])),
    ("Surits\\ avp rf, f 059. On 1, p. 302, d 2090. L 45-46", 8,
     _ref("avp rf, f 059. On 1, p. 302, d 2090. L 45-46", AVP, "059", "1", "302", "2090", "45-46")),
    ("Charge d'affaires of the RF WUA, f. 059, on. 1, p. 294, d. 2036, l. 131-132.", 25,
     _ref("RF WUA, f. 059, on. 1, p. 294, d. 2036, l. 131-132.", AVP, "059", "1", "294", "2036", "131-132",
          ["repository"])),
    ("Plenipotentiary of wua rf, 059, on. 1, p. 294, d. 2036, l. 18-20.", 19,
     _ref("wua rf, 059, on. 1, p. 294, d. 2036, l. 18-20.", AVP, "059", "1", "294", "2036", "18-20",
          ["fond"])),
    ("Terentyev, avp rf, f. 059, on. 1, p. 298, d. 2059, l. 201-204.", 11,
     _ref("avp rf, f. 059, on. 1, p. 298, d. 2059, l. 201-204.", AVP, "059", "1", "298", "2059", "201-204")),
    ("Wua rf, f 06. On. I, l 14, d 153, l. 97-99.", 0,
     _ref("Wua rf, f 06. On. I, l 14, d 153, l. 97-99.", AVP, "06", "1", "14", "153", "97-99",
          ["opis", "papka"])),
    ("Avp rf, f. 0745, on. 14, n 32, d. 3, l. 75-93.", 0,
     _ref("Avp rf, f. 0745, on. 14, n 32, d. 3, l. 75-93.", AVP, "0745", "14", "32", "3", "75-93")),
    ("Terentyev wua rf. F. 059. On 1, I 293, d 2028, l 256-260.", 10,
     _ref("wua rf. F. 059. On 1, I 293, d 2028, l 256-260.", AVP, "059", "1", "293", "2028", "256-260",
          ["papka"])),
    ("Wua rf, f 011, on 4, p. 31, d 166, l 353\u2014365.", 0,
     _ref("Wua rf, f 011, on 4, p. 31, d 166, l 353\u2014365.", AVP, "011", "4", "31", "166", "353-365")),
    ("Wua rf, f oil. On 4.n 31 d 166, l 331-344.", 0,
     _ref("Wua rf, f oil. On 4.n 31 d 166, l 331-344.", AVP, "011", "4", "31", "166", "331-344", ["fond"])),
    ("Avp rf, f. Oil, on. 4, p. 24, d. 5, l, 61-66.", 0,
     _ref("Avp rf, f. Oil, on. 4, p. 24, d. 5, l, 61-66.", AVP, "011", "4", "24", "5", "61-66", ["fond"])),
    ("Avp rf, f. 059, on. 1, p. 314, d. 2160. L. 221-223.", 0,
     _ref("Avp rf, f. 059, on. 1, p. 314, d. 2160. L. 221-223.", AVP, "059", "1", "314", "2160", "221-223")),
    ("Lip rf, f. 059, on. 1, p. 315, d. 2174, l. 264-266.", 0,
     _ref("Lip rf, f. 059, on. 1, p. 315, d. 2174, l. 264-266.", AVP, "059", "1", "315", "2174", "264-266",
          ["repository"])),
    ("Hdl rf, f. 059, on. 1, l. 314, d. 2161, l. 290-294.", 0,
     _ref("Hdl rf, f. 059, on. 1, l. 314, d. 2161, l. 290-294.", AVP, "059", "1", "314", "2161", "290-294",
          ["repository", "papka"])),
    ("Avp rf, f. 0144, on. 20, p. 105, d. 3, l. 1-3.", 0,
     _ref("Avp rf, f. 0144, on. 20, p. 105, d. 3, l. 1-3.", AVP, "0144", "20", "105", "3", "1-3")),
    ("Vinogradov , Avp rf, f. 059, on. 1, p. 314, d. 2162, l. 59-60.", 13,
     _ref("Avp rf, f. 059, on. 1, p. 314, d. 2162, l. 59-60.", AVP, "059", "1", "314", "2162", "59-60")),
    ("Avp rf, f. 07, on. 1, p. 2, d.22, l. 29-36.", 0,
     _ref("Avp rf, f. 07, on. 1, p. 2, d.22, l. 29-36.", AVP, "07", "1", "2", "22", "29-36")),
    ("Avp rf, f. 059, on. 1, p. 315, d. 2165, l. 73-74, 75-76.", 0,
     _ref("Avp rf, f. 059, on. 1, p. 315, d. 2165, l. 73-74, 75-76.", AVP, "059", "1", "315", "2165",
          "73-74, 75-76")),
    ("Archive of the president of the Russian federation, f. 56, on. 1, d. 1161, l. 147-155.", 0,
     _ref("Archive of the president of the Russian federation, f. 56, on. 1, d. 1161, l. 147-155.", AP,
          "56", "1", None, "1161", "147-155")),
    ("Avp rf, f. 059, on. 1, item 328, a. 2253, l. 267-269.", 0,
     _ref("Avp rf, f. 059, on. 1, item 328, a. 2253, l. 267-269.", AVP, "059", "1", "328", "2253", "267-269",
          ["delo"])),
    ("Recorded by v. Pavlov archive of the president of the Russian federation, f. 3, on. 64, d.675, "
     "l. 21-30. Publ .: new and contemporary history. - 1993. - no. 5. - s. 69-73.", 22,
     _ref("archive of the president of the Russian federation, f. 3, on. 64, d.675, l. 21-30.", AP,
          "3", "64", None, "675", "21-30")),
    ("Molotov avp rf, f. 059, on. 1, p. 338, d. 2314, l. 5-6, 7-9. Publ. : international life. - 1991. "
     "- no. 6. - s. 126.", 8,
     _ref("avp rf, f. 059, on. 1, p. 338, d. 2314, l. 5-6, 7-9.", AVP, "059", "1", "338", "2314", "5-6, 7-9")),
    ("Vyshinsky avp rf, f. 059, on. 1, p. 339, d. 2315, l. 35, 35a, 36, 38, 39. Publ  ", 10,
     _ref("avp rf, f. 059, on. 1, p. 339, d. 2315, l. 35, 35a, 36, 38, 39.", AVP, "059", "1", "339", "2315",
          "35, 35a, 36, 38, 39")),
    ("Archive of the president of the Russian federation, f. 3, on. 64, d. 675, I. 49-67.", 0,
     _ref("Archive of the president of the Russian federation, f. 3, on. 64, d. 675, I. 49-67.", AP,
          "3", "64", None, "675", "49-67")),
    ("Avp rf, f. 059, on. 1, p. 316, d., 2177, l. 129.", 0,
     _ref("Avp rf, f. 059, on. 1, p. 316, d., 2177, l. 129.", AVP, "059", "1", "316", "2177", "129")),
    ("S. Vinogradov, avp rf, f. 0132, on. 24a, p. 236, d. 7, l. 32-30", 15,
     _ref("avp rf, f. 0132, on. 24a, p. 236, d. 7, l. 32-30", AVP, "0132", "24a", "236", "7", "32-30",
          ["folios"])),
    ("Recorded subcerob of wua rf, f.ob, op. 2, p.z, d.19, l.10-14.", 21,
     _ref("wua rf, f.ob, op. 2, p.z, d.19, l.10-14.", AVP, "06", "2", None, "19", "10-14", ["fond", "papka"])),
    ("Wua rf, f.059, op.1, p.314, d.2163, l.170-174.", 0,
     _ref("Wua rf, f.059, op.1, p.314, d.2163, l.170-174.", AVP, "059", "1", "314", "2163", "170-174")),
    ("Recorded subcerob of the rf wua, f.ob, op. 2, p.z, d.19, l.50-57.", 25,
     _ref("rf wua, f.ob, op. 2, p.z, d.19, l.50-57.", AVP, "06", "2", None, "19", "50-57",
          ["repository", "fond", "papka"])),
    ("I. Maisky avprf, f.059, op.24, p.70, d.43, l.132-137.", 10,
     _ref("avprf, f.059, op.24, p.70, d.43, l.132-137.", AVP, "059", "24", "70", "43", "132-137")),
    ("Recorded subcerob wua rf, f. 06, on. 2, p. 20, d. 229, l. Is \u2014 21.", 18,
     _ref("wua rf, f. 06, on. 2, p. 20, d. 229, l. Is \u2014 21.", AVP, "06", "2", "20", "229", None, ["folios"])),
    ("Plenipotentiary representative of the USSR in Germany Dekanozov avprf, f. 082, on. 24, p. 105, db, "
     "l. 75-76.", 64,
     _ref("avprf, f. 082, on. 24, p. 105, db, l. 75-76.", AVP, "082", "24", "105", "6", "75-76", ["delo"])),
    ("Avp rf, f. 074, on. 26, p. Po, d. 6, l. 26-27.", 0,
     _ref("Avp rf, f. 074, on. 26, p. Po, d. 6, l. 26-27.", AVP, "074", "26", None, "6", "26-27", ["papka"])),
    ("Avp rf, f. About. On. 3. P. 1, d.5. L. 32-33.", 0,
     _ref("Avp rf, f. About. On. 3. P. 1, d.5. L. 32-33.", AVP, "06", "3", "1", "5", "32-33", ["fond"])),
    ("A. Vyshinsky wua rf. F. 06. On. 3. P. 3. D. 29. L. 73-74.", 13,
     _ref("wua rf. F. 06. On. 3. P. 3. D. 29. L. 73-74.", AVP, "06", "3", "3", "29", "73-74")),
    ("Wua rf. F. 048. On. 48. P. 431. D. 10. L. 5-12.", 0,
     _ref("Wua rf. F. 048. On. 48. P. 431. D. 10. L. 5-12.", AVP, "048", "48", "431", "10", "5-12")),
    ("Wua rf. F. 06. On. 3, p. 1.d. 6.l. 103-105.", 0,
     _ref("Wua rf. F. 06. On. 3, p. 1.d. 6.l. 103-105.", AVP, "06", "3", "1", "6", "103-105")),
    ("Avp rf, f. For - Great Britain, d. 107.", 0,
     _ref("Avp rf, f. For - Great Britain, d. 107.", AVP, "3a", None, None, "107", None, ["fond"])),
    ("Vinogradov wua rf. F- 06. On. 3. L. 22.d. 300. L. 58-59.", 11,
     _ref("wua rf. F- 06. On. 3. L. 22.d. 300. L. 58-59.", AVP, "06", "3", "22", "300", "58-59", ["papka"])),
    ("Vinogradov wua rf. F. About. On. 3. L. 22.d. 300. L. 60-61.", 11,
     _ref("wua rf. F. About. On. 3. L. 22.d. 300. L. 60-61.", AVP, "06", "3", "22", "300", "60-61",
          ["fond", "papka"])),
    ("Ap rf. F. 45. On. 1.d. 279. L. 115-122.", 0,
     _ref("Ap rf. F. 45. On. 1.d. 279. L. 115-122.", AP, "45", "1", None, "279", "115-122")),
    ("Wua rf. F. 06. On. 3. P. I. D. 7. L. 45-46.", 0,
     _ref("Wua rf. F. 06. On. 3. P. I. D. 7. L. 45-46.", AVP, "06", "3", "1", "7", "45-46", ["papka"])),
]


@pytest.mark.parametrize(("line", "offset", "expected"), REFS, ids=[r[0][:40] for r in REFS])
def test_find_archival_ref(line, offset, expected):
    assert find_archival_ref(line) == (offset, expected)


def test_line_number_is_kept():
    offset, ref = find_archival_ref("Avp rf, f. 059, on. 1, p. 300, d. 2077, l. 24.", 3186)
    assert (offset, ref.line, ref.folios) == (0, 3186, "24")


def _pub(printed, kind=None, title=None, issue=None, date=None, pages=None, from_archive=False):
    return Publication(printed=printed, line=None, kind=kind, title=title, issue=issue, date=date,
                       pages=pages, from_archive=from_archive)


PUBS = [
    ("It's a seal. By arch. The opoble. To the gas. \"Izvestia\" lq 85 (637),  ", 0,
     _pub("It's a seal. By arch. The opoble. To the gas. \"Izvestia\" lq 85 (637),", "newspaper", "Izvestia",
          "85 (637)", None, from_archive=True)),
    ("It's a seal. By arch. The opoble. To the gas. \"Izvestia\" lq 85 (637), April 23, 1919 .", 0,
     _pub("It's a seal. By arch. The opoble. To the gas. \"Izvestia\" lq 85 (637), April 23, 1919 .",
          "newspaper", "Izvestia", "85 (637)", "1919-04-23", from_archive=True)),
    ("Publ. into gas. Izvestia Jt\u00e8 123 (970), June 9, 1920", 0,
     _pub("Publ. into gas. Izvestia Jt\u00e8 123 (970), June 9, 1920", "newspaper", "Izvestia", "123 (970)",
          "1920-06-09")),
    ("Print. according to the brochure \"Report of the People's Commissar for Foreign Affairs GV Chicherin "
     "at a meeting of the All-Russian Central Executive Committee on June 17, 1920. (Transcript) \", NKID, "
     "M. 1920.", 0,
     _pub("Print. according to the brochure \"Report of the People's Commissar for Foreign Affairs GV Chicherin "
          "at a meeting of the All-Russian Central Executive Committee on June 17, 1920. (Transcript) \", NKID, "
          "M. 1920.", "brochure",
          "Report of the People's Commissar for Foreign Affairs GV Chicherin at a meeting of the All-Russian "
          "Central Executive Committee on June 17, 1920. (Transcript)", date="1920")),
    ("Printed according to the brochure \"Annual report of the NK.ID to the VIII Congress of Soviets "
     "(1919-1920)\", M. 1921. As manuscript.", 0,
     _pub("Printed according to the brochure \"Annual report of the NK.ID to the VIII Congress of Soviets "
          "(1919-1920)\", M. 1921. As manuscript.", "brochure",
          "Annual report of the NK.ID to the VIII Congress of Soviets (1919-1920)", date="1921")),
    ("Print. by architect.", 0, _pub("Print. by architect.", "archive", from_archive=True)),
    ("Print. By architect.", 0, _pub("Print. By architect.", "archive", from_archive=True)),
    ("Printed by architect.", 0, _pub("Printed by architect.", "archive", from_archive=True)),
    ("Pgchat. About arch.", 0, _pub("Pgchat. About arch.", "archive", from_archive=True)),
    ("Print. By srh.", 0, _pub("Print. By srh.", "archive", from_archive=True)),
    ("There is no print. By apx,", 0, _pub("There is no print. By apx,", "archive", from_archive=True)),
    ("Pgkat. By arch", 0, _pub("Pgkat. By arch", "archive", from_archive=True)),
    ("Print t. By architect.", 0, _pub("Print t. By architect.", "archive", from_archive=True)),
    ("Publ. In the \"collection of existing contracts ...\" I, m., no. 24, pp. 281-285.", 0,
     _pub("Publ. In the \"collection of existing contracts ...\" I, m., no. 24, pp. 281-285.", "book",
          "collection of existing contracts ...", pages="281-285")),
    ("Publ. In the \"collection of existing contracts ...\". No. Iii, m \"1922, pp. 49-57.", 0,
     _pub("Publ. In the \"collection of existing contracts ...\". No. Iii, m \"1922, pp. 49-57.", "book",
          "collection of existing contracts ...", date="1922", pages="49-57")),
    ("Publ. Into gas. \"news\"", 0, _pub("Publ. Into gas. \"news\"", "newspaper", "Izvestia")),
    ("No. 239 (1382), October 25, 1921", 0,
     _pub("No. 239 (1382), October 25, 1921", "newspaper", None, "239 (1382)", "1921-10-25")),
    ("*No. 165 (6 327), July 16, 1937*", 1,
     _pub("No. 165 (6 327), July 16, 1937", "newspaper", None, "165 (6327)", "1937-07-16")),
    ("*Print. By gas. \"news\"*", 1, _pub("Print. By gas. \"news\"", "newspaper", "Izvestia")),
    ("Publ .: new and contemporary history. - 1995. - no. 4. - p. 77-79.", 0,
     _pub("Publ .: new and contemporary history. - 1995. - no. 4. - p. 77-79.", "journal",
          "new and contemporary history", "4", "1995", "77-79")),
    ("Publ. : international life. - 1991. - no. B. - s. 131-132.", 0,
     _pub("Publ. : international life. - 1991. - no. B. - s. 131-132.", "journal", "international life",
          None, "1991", "131-132")),
    ("Publ.: international life. - 1991. - no. 8. - s. 117.", 0,
     _pub("Publ.: international life. - 1991. - no. 8. - s. 117.", "journal", "international life", "8",
          "1991", "117")),
    (".: international life. - 1991. - no. 8. - p. 105.", 0,
     _pub(".: international life. - 1991. - no. 8. - p. 105.", "journal", "international life", "8", "1991",
          "105")),
    ("Molotov avp rf, f. 059, on. 1, p. 338, d. 2314, l. 5-6, 7-9. Publ. : international life. - 1991. "
     "- no. 6. - s. 126.", 61,
     _pub("Publ. : international life. - 1991. - no. 6. - s. 126.", "journal", "international life", "6",
          "1991", "126")),
    ("Vyshinsky avp rf, f. 059, on. 1, p. 339, d. 2315, l. 35, 35a, 36, 38, 39. Publ .: international life. "
     "- 1991. - no. 8. - p. 105.", 74,
     _pub("Publ .: international life. - 1991. - no. 8. - p. 105.", "journal", "international life", "8",
          "1991", "105")),
    ("Publ.: Soviet-English relations ... - t. 1. - p. 77-81.", 0,
     _pub("Publ.: Soviet-English relations ... - t. 1. - p. 77-81.", "book", "Soviet-English relations ...",
          pages="77-81")),
    ("Publ .: foreign policy of the USSR ... -t. I. - s. 145-146.", 0,
     _pub("Publ .: foreign policy of the USSR ... -t. I. - s. 145-146.", "book",
          "foreign policy of the USSR ...", pages="145-146")),
    ("Publ .: Soviet-English relations ... - t. I. - s. 192-197", 0,
     _pub("Publ .: Soviet-English relations ... - t. I. - s. 192-197", "book", "Soviet-English relations ...",
          pages="192-197")),
    ("Source USSR foreign policy documents", 0,
     _pub("Source USSR foreign policy documents", "book", "USSR foreign policy documents")),
]


@pytest.mark.parametrize(("line", "offset", "expected"), PUBS, ids=[p[0][:40] for p in PUBS])
def test_find_publication(line, offset, expected):
    assert find_publication(line) == (offset, expected)


def test_reference_without_publication_has_no_publication():
    assert find_publication("Avp rf, f. 059, on. 1, p. 293, d. 2027, l. 77-79.") is None


PROSE = [
    "",
    "Source",
    "Documents Archives",
    "Chicherin",
    "[2] see gas. Izvestia, June 17, 1937",
    "\\* see doc. No. 288. \\*\\* see gas. Izvestia, august 11, 1938",
    "The archive of the people's commissariat was published in 1938 and printed by the state press.",
    "Printing of the treaty was entrusted to the archive of the NKID.",
    "The Soviet government published the text in Izvestia No. 85 (637) on April 23, 1919.",
    "I informed the ambassador that the AVP RF has no record of the note.",
    "Publishers in Ankara printed the declaration by order of the government.",
    "April 23, 1919 .",
    "July 16, 1937",
    "(Tass)",
    "Plenipotentiary of the USSR in Turkey A. Terentyev",
]


@pytest.mark.parametrize("line", PROSE)
def test_prose_is_not_a_source_line(line):
    assert (is_source_line(line), find_archival_ref(line), find_publication(line)) == (False, None, None)


@pytest.mark.parametrize(("line", "expected"), [
    ("Avp rf, f. 059, on. 1, p. 293, d. 2027, l. 77-79.", True),
    ("Wua rf. F. 06. On. 3. P. I. D. 7. L. 45-46.", True),
    ("Print. By architect.", True),
    ("*Print. By gas. \"news\"*", True),
    ("Archive of the president of the Russian federation, f. 56, on. 1, d. 1161, l. 147-155.", True),
    ("Molotov avp rf, f. 059, on. 1, p. 338, d. 2314, l. 5-6, 7-9.", False),  # signature fused: split first
    ("Avp rf, f. For - Great Britain, d. 107.", True),
])
def test_is_source_line(line, expected):
    assert is_source_line(line) is expected


@pytest.mark.parametrize(("previous", "line", "expected"), [
    ("It's a seal. By arch. The opoble. To the gas. \"Izvestia\" lq 85 (637),  ", "April 23, 1919 .", True),
    ("Publ. Into gas. \"news\"", "No. 239 (1382), October 25, 1921", True),
    ("*Print. By gas. \"news\"*", "*No. 166 (6328), July 17, 1937*", True),
    ("Vyshinsky avp rf, f. 059, on. 1, p. 339, d. 2315, l. 35, 35a, 36, 38, 39. Publ  ",
     ".: international life. - 1991. - no. 8. - p. 105.", True),
    ("Publ. into gas. Izvestia Jt\u00e8 123 (970), June 9, 1920", "July 16, 1937", False),
    ("Print. By architect.", "April 23, 1919 .", False),
    ("Chicherin", "April 23, 1919 .", False),
])
def test_continues_source_note(previous, line, expected):
    assert continues_source_note(previous, line) is expected


# ------------------------------------------------------------------------ the real source

def _source_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


#: archival-reference lines of the source, counted by hand (grep for the repository forms
#: avp/wua/ap/lip/hdl rf, avprf, "rf wua", "archive of the president", then read each)
HAND_COUNT_ARCHIVAL_LINES = 100
#: lines whose reference follows a signature on the same line, by hand
HAND_FUSED_LINES = [2928, 3096, 3154, 3172, 3197, 3205, 3237, 3510, 3827, 4064, 4218, 4320, 4399, 4421,
                    4431, 4475, 4503, 4691, 4711, 4822, 4886, 4959, 5009, 5108, 5146, 5172, 5224, 5244,
                    5359, 5379, 5403, 5437, 5477, 5601, 5617, 5679, 5731, 5773, 5811, 5837, 6416, 6446]
#: publication / source-note lines (no archival reference on them), by hand
HAND_NOTE_LINES = [450, 494, 650, 730, 746, 994, 1024, 1076, 1170, 1261, 1301, 1383, 1579, 1685, 1987, 2010,
                   2012, 2046, 2463, 2482, 2484, 2806, 2816, 2828, 2846, 2898, 2918, 4364, 4459, 4504, 4555,
                   4635, 5956, 6044, 6236, 6378, 6558, 6585]
HAND_UNCERTAIN = {
    2928: ["fond"], 2962: ["fond"], 3030: ["fond"], 3042: ["opis"], 3096: ["fond"], 3140: ["fond", "papka"],
    3154: ["fond"], 3172: ["fond"], 3205: ["repository"], 3289: ["opis", "papka"], 3510: ["papka"],
    3817: ["fond"], 3827: ["opis"], 3895: ["fond"], 3959: ["repository"], 3978: ["repository"],
    4008: ["repository", "papka"], 4383: ["delo"], 4886: ["folios"], 5009: ["fond", "papka"],
    5108: ["repository", "fond", "papka"], 5172: ["folios"], 5244: ["delo"], 5271: ["fond"],
    5299: ["papka"], 5795: ["fond"], 6082: ["fond"], 6416: ["papka"], 6446: ["fond", "papka"],
    6583: ["papka"],
}


def test_source_archival_lines_match_hand_count():
    found = {i: r for i, line in enumerate(_source_lines(), 1) if (r := find_archival_ref(line, i))}
    assert len(found) == HAND_COUNT_ARCHIVAL_LINES
    assert sorted(i for i, (offset, _) in found.items() if offset > 0) == HAND_FUSED_LINES
    assert {i: ref.uncertain for i, (_, ref) in found.items() if ref.uncertain} == HAND_UNCERTAIN
    # every reference printed verbatim, every one with a repository and a delo or flagged
    for i, (offset, ref) in found.items():
        line = _source_lines()[i - 1]
        assert line[offset:offset + len(ref.printed)] == ref.printed
        assert ref.line == i
        assert ref.repository == ("AP RF" if "resident" in line or line.startswith("Ap ") else "AVP RF")


def test_source_lines_classified():
    lines = _source_lines()
    source = [i for i, line in enumerate(lines, 1) if is_source_line(line)]
    notes = [i for i in source if not find_archival_ref(lines[i - 1])]
    assert notes == HAND_NOTE_LINES
    assert len(source) == HAND_COUNT_ARCHIVAL_LINES - len(HAND_FUSED_LINES) + len(HAND_NOTE_LINES)


def test_source_continuations():
    lines = _source_lines()
    pairs, previous = [], None
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if previous and continues_source_note(previous[1], line):
            pairs.append((previous[0], i))
        previous = (i, line)
    assert pairs == [(450, 451), (2010, 2012), (2482, 2484), (4503, 4504)]


def test_series_table_is_attested_in_source():
    """The (fond, opis) series used to resolve garbled fonds occur with clear digits."""
    clear = set()
    for line in _source_lines():
        m = re.search(r"\bf[.\-]?\s*(0\d+)[.,]\s*o[np][.]?\s*(\d+)\b", line, re.IGNORECASE)
        if m and find_archival_ref(line):
            clear.add((m.group(1), m.group(2)))
    assert bundled_profile().archive.series <= clear


@pytest.mark.needs_shared
def test_gold_dev_archival_refs():
    lines = _source_lines()
    docs = json.loads(GOLD.read_text(encoding="utf-8"))["documents"]
    checked = 0
    for doc in docs:
        refs = [r[1] for i in range(doc["start_line"], doc["end_line"] + 1)
                if (r := find_archival_ref(lines[i - 1], i))]
        gold = doc["archival_ref"]
        if gold is None:
            assert refs == [], doc["seq"]
            continue
        got = refs[0]
        parts = ("printed", "repository", "fond", "opis", "papka", "delo", "folios")
        assert [getattr(got, p) for p in parts] == [gold[p] for p in parts], doc["seq"]
        checked += 1
    assert checked == 10


# ------------------------------------------------------------------------------ properties

@given(st.text(alphabet="AvpwuRFf.,0123456789 onpdlI-OihabPu'", max_size=80))
def test_reference_printed_is_verbatim(text):
    found = find_archival_ref(text)
    if found:
        offset, ref = found
        assert text[offset:offset + len(ref.printed)] == ref.printed
        assert set(ref.uncertain) <= {"repository", "fond", "opis", "papka", "delo", "folios"}


@given(st.text(max_size=120))
def test_never_raises(text):
    is_source_line(text)
    found = find_publication(text)
    if found:
        assert found[1].printed in text
