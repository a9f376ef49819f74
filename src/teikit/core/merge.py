"""Three-way merge of a generated file that an editor changed by hand (bytes in, bytes out).

base   = what teikit generated last (the editor started from it)
edited = the file as the editor left it
new    = what teikit generates now

The merge is by lines (merge3, the merge of Bazaar/Breezy): teikit writes TEI one element
per line, so a hand edit and a change of the conversion touch different lines unless they
touch the same element. Where both changed the same lines differently it is a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import merge3


@dataclass
class Conflict:
    line: int  # first line of the region in the edited file (1-based)
    lines: int  # its length there
    new_line: int  # first line of the region in the new conversion
    new_lines: int


@dataclass
class Merged:
    data: bytes  # the merge, conflicting regions taken from the edited file
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge(base: bytes, edited: bytes, new: bytes) -> Merged:
    """Replay the editor's changes (base -> edited) onto the new conversion (base -> new)."""
    b, a, n = base.splitlines(True), edited.splitlines(True), new.splitlines(True)
    out: list[bytes] = []
    conflicts: list[Conflict] = []
    for region in merge3.Merge3(b, a, n).merge_regions():
        kind = region[0]
        if kind == "unchanged":
            out += b[region[1]:region[2]]
        elif kind in ("a", "same"):
            out += a[region[1]:region[2]]
        elif kind == "b":
            out += n[region[1]:region[2]]
        else:  # conflict: (z1, z2, a1, a2, b1, b2)
            _z1, _z2, a1, a2, b1, b2 = region[1:]
            conflicts.append(Conflict(a1 + 1, a2 - a1, b1 + 1, b2 - b1))
            out += a[a1:a2]
    return Merged(b"".join(out), conflicts)
