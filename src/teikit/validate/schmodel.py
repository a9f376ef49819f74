"""The compiled form of an ISO Schematron schema: patterns, rules and checks whose
expressions are compiled for their binding (validate/schxpath.py).

Read and compiled by schcompile.py (from a document schread.py has prepared), run by
schrun.py; schematron.py is the entry point.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from teikit.core.errors import Issue
from teikit.validate.schxpath import Expr

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
TEIX_NS = "http://www.tei-c.org/ns/Examples"


def sch(local: str) -> str:
    """The Clark name of a Schematron element."""
    return f"{{{SCH_NS}}}{local}"


@dataclass
class Check:
    """One assert or report of a rule, compiled."""

    kind: str  # "assert" | "report"
    test: Expr
    test_source: str
    code: str
    severity: str
    message: list  # strings and ("value-of", Expr) / ("name", Expr | None)
    line: int | None
    rule_label: str = ""


@dataclass
class Rule:
    """One rule of a pattern: its context, lets and checks."""

    context: str
    select: Expr | None  # None: the context could not be compiled
    lets: list  # (name, Expr)
    checks: list[Check]
    label: str = ""
    names: object = None  # condition on the element names a match needs (None: unknown)


@dataclass
class Pattern:
    """One pattern: its lets and rules, in order."""

    id: str | None
    lets: list
    rules: list[Rule]


@dataclass
class Schematron:
    """A compiled Schematron schema (the active phase's patterns)."""

    path: str
    namespaces: dict
    lets: list
    patterns: list[Pattern]
    problems: list[Issue] = field(default_factory=list)
    inline: dict = field(default_factory=dict)  # XPath 1: absolute lets, substituted textually
    xpath2: bool = False
    phase: str | None = None
