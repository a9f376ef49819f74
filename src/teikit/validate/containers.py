"""A file that XIncludes others (a teiCorpus), validated from its own nodes and stubs of the
members that the same run validates on their own (teikit.validate.stubs, memberlocal).

The run's flow (teikit.validate.validator):

1. `Expansion.loader` is the XInclude loader: a member that is one of the run's own parsed
   files is put in as a bare stub (no deep copy), any other target as before.
2. `Expansion.decide`, once every file's schemas are chosen, keeps a stub only where its
   member is validated against the container's RELAX NG grammar (and is one of the members
   teikit.validate.included replaces, when libxml2 checks the grammar) and runs every
   Schematron schema of the container; and only when memberlocal proves every such schema.
   Every other stub becomes the full copy XInclude gives (stubs.full_copy). The kept ones
   get the copies the proofs demand.
3. The per-file layers check the container's RELAX NG on the reduced tree of included.py,
   as before; its Schematron is left to `Expansion.settle`, run once the members' own
   findings are known, which gives the findings the expanded tree gives
   (stubs.schematron_findings) or, when that cannot be had, expands the container and
   runs its Schematron on it. A container whose RELAX NG check needs the full tree (the
   stand-in member is invalid, or precise messages are due) is expanded first, so that
   included.py's and rngwalk's full path sees what it saw before.
"""

from __future__ import annotations

import copy
import hashlib
import json

from lxml import etree

from teikit.core.files import NoCache
from teikit.validate import included, schematron, stubs


class Expansion:
    """The stubs of one run: {container path: {stub: member root}} and who they stand for."""

    def __init__(self, trees_by_real: dict, path_by_real: dict, files, cache=None, base_free=frozenset()):
        """`cache` (a Cache) keeps the proofs of memberlocal between runs; `base_free`: the
        real paths of trees known to hold no xml:base (stubs.can_stub need not look)."""
        self.by_real, self.path_by_real, self.files = trees_by_real, path_by_real, files
        self.base_free = base_free
        self.cache = cache if cache is not None else NoCache()
        self.stubs: dict[str, dict] = {}
        self.members: dict[str, dict] = {}  # container -> {stub: member path}
        self.analyses: dict[str, dict] = {}  # container -> {schematron path: Analysis}
        self._stubbed: dict[str, set] = {}  # container -> id() of the member roots the loader stubbed

    def loader(self, container: str):
        """The XInclude loader for `container`: (element, issues) or None (no such file)."""
        from teikit.core import xinclude

        def load(href, target):
            real = str(self.files.real(target))
            tree = self.by_real.get(real)
            if tree is None:
                return xinclude.parse_target(href, target, self.files)
            root = tree.getroot()
            stubbed = self._stubbed.setdefault(container, set())  # id() of the roots stubbed: alive in self.stubs
            if not stubs.can_stub(root, base_free=real in self.base_free) or id(root) in stubbed:  # once per container
                return copy.deepcopy(root), []
            stub = stubs.bare(root)
            stubbed.add(id(root))
            self.stubs.setdefault(container, {})[stub] = root
            self.members.setdefault(container, {})[stub] = self.path_by_real[real]
            return stub, []
        return load

    def decide(self, plan, sch_compiled: dict, rng_by_libxml2: bool) -> None:
        for container in list(self.stubs):
            self._decide(container, plan, sch_compiled, rng_by_libxml2)
            if not self.stubs.get(container):
                self.drop(container)

    def _decide(self, container, plan, sch_compiled, rng_by_libxml2) -> None:
        mine, members = self.stubs[container], self.members[container]
        schema = plan.schema_of.get(container)
        schs = plan.schematrons_of.get(container, [])
        for stub in list(mine):
            p = members[stub]
            if p not in plan.trees or plan.schema_of.get(p) != schema \
                    or not set(schs) <= set(plan.schematrons_of.get(p, ())):
                self._unstub(container, stub)
        if schema and rng_by_libxml2 and mine:
            tree = plan.trees[container]
            group = {id(el) for el, _p in included.replaced_group(tree, container, plan.schema_of,
                                                                  set(plan.trees), files=self.files)}
            for stub in list(mine):
                if id(stub) not in group:
                    self._unstub(container, stub)
        if not mine or not schs:
            return
        root = plan.trees[container].getroot()
        own_ancestors = frozenset(_name(a) for stub in mine for a in stub.iterancestors())
        roots = frozenset(_name(stub) for stub in mine)
        proofs = {}
        for sch_path in schs:
            sch = sch_compiled.get(sch_path)
            proof = None if sch is None else _analysis(sch, own_ancestors, roots, _name(root), self.cache)
            if proof is None:
                for stub in list(mine):
                    self._unstub(container, stub)
                return
            proofs[sch_path] = proof
        self.analyses[container] = proofs
        stubs.fill(mine, {d for proof in proofs.values() for d in proof.demands})

    def _unstub(self, container, stub) -> None:
        member_root = self.stubs[container].pop(stub)
        self.members[container].pop(stub)
        stub.getparent().replace(stub, stubs.full_copy(stub, member_root))

    def drop(self, container) -> None:
        """The container's tree, fully expanded (what XInclude gives)."""
        stubs.expand(self.stubs.pop(container, {}))
        self.members.pop(container, None)
        self._stubbed.pop(container, None)
        self.analyses.pop(container, None)

    def content(self) -> dict:
        """{stub: member root} of every container."""
        return {stub: root for mine in self.stubs.values() for stub, root in mine.items()}

    def schematron_due(self, container) -> bool:
        """Is the container's Schematron left to settle()?"""
        return container in self.stubs

    def settle(self, container, plan, sch_compiled, by_path: dict, advisory, needs_full_rng: bool) -> list:
        """The container's Schematron findings (its RELAX NG ones are by_path's); with
        `needs_full_rng` the container is expanded, for the RELAX NG full path after it."""
        found = None
        if not needs_full_rng:
            found = self._from_stubs(container, plan, sch_compiled, by_path)
        if found is None:
            self.drop(container)
            found = {}
            for sch_path in plan.schematrons_of.get(container, []):
                sch = sch_compiled.get(sch_path)
                if sch is not None:
                    found[sch_path] = schematron.validate_tree(sch, plan.trees[container], container, self.files)
        out = []
        for sch_path in plan.schematrons_of.get(container, []):
            issues = found.get(sch_path, [])
            out += [_advisory(i) for i in issues] if sch_path in advisory else issues
        return out

    def _from_stubs(self, container, plan, sch_compiled, by_path) -> dict | None:
        mine, members = self.stubs[container], self.members[container]

        def with_findings(p):
            return any(i.layer == "sch" for i in by_path.get(p, ()))

        out = {}
        for sch_path, proof in self.analyses.get(container, {}).items():
            found = stubs.schematron_findings(sch_compiled[sch_path], proof, plan.trees[container], container,
                                              self.files, mine, members, with_findings)
            if found is None:
                return None
            out[sch_path] = found
        return out


def _advisory(issue):
    from teikit.validate.ownlayers import advisory_issue as advisory
    return advisory(issue)


def _name(el) -> tuple[str, str]:
    q = etree.QName(el)
    return (q.namespace or "", q.localname)


def _analysis(sch, own_ancestors, roots, root_name, cache):
    """memberlocal.analyse, kept in `cache` (a Cache) under everything it depends on."""
    from teikit.validate import memberlocal  # only for a container with stubs and Schematron

    parts = [memberlocal.key_parts(sch), sorted(own_ancestors), sorted(roots), list(root_name)]
    key = "memberlocal-" + hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()
    kept = cache.get(key)
    if kept is not None:
        try:
            return memberlocal.from_json(json.loads(kept))
        except (ValueError, TypeError, KeyError):
            pass
    proof = memberlocal.analyse(sch, own_ancestors, roots, root_name)
    cache.put(key, json.dumps(memberlocal.to_json(proof)).encode("utf-8"))
    return proof
