"""The characters OCR reads for digits: one table for every number teikit repairs (years in
dates, the parts of archival shelfmarks).

Only confusions that stand for one digit are here: I/l/i/| and Cyrillic І for 1, O/o and
Cyrillic О/о for 0, Cyrillic З/з for 3, b (Cyrillic б) for 6 ("f.ob" = ф. 06, "db" = д. 6).
Other letters ("z", "S", "B", "G") could stand for more than one digit and are not repaired.
A repaired number is always flagged by its caller (cert, `uncertain`).
"""

from __future__ import annotations

import re

#: character -> the digit it stands for
OCR_DIGITS: dict[str, str] = {
    "O": "0",
    "o": "0",
    "О": "0",  # Cyrillic capital O
    "о": "0",  # Cyrillic small o
    "l": "1",
    "I": "1",
    "i": "1",
    "|": "1",
    "І": "1",  # Cyrillic/Ukrainian capital I
    "З": "3",  # Cyrillic capital Ze
    "з": "3",  # Cyrillic small ze
    "b": "6",  # Cyrillic б
}

#: the characters of a number as OCR may print it, for a regular-expression class
NUMBER_CHARS = "0-9" + "".join(re.escape(c) for c in OCR_DIGITS)

_TABLE = str.maketrans(OCR_DIGITS)


def repair_digits(token: str) -> str:
    """`token` with every OCR confusion replaced by its digit (`l938` -> `1938`)."""
    return token.translate(_TABLE)
