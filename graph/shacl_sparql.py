"""The SHACL gate's fast engine: each constraint of the shapes compiled to one SPARQL query on pyoxigraph.

pyshacl (the reference validator) walks every focus node in Python and asks rdflib for its values,
which costs seconds on our graph and minutes on a 100× graph. Here every constraint becomes a single
query over all focus nodes at once, so the work is done by Oxigraph's query engine. The compiler
covers the SHACL features our shapes use (SHACL core without sh:closed and the logical operators
other than sh:or, plus SHACL-SPARQL SELECT constraints); a shape using anything else raises
:class:`Unsupported`, and graph/validate.py then runs pyshacl instead, so a new feature in the
shapes can make the gate slower but never wrong. tests/test_shapes.py checks that both engines give
the same results on the valid graph and on every broken fixture.

Results come back as a report graph in pyshacl's vocabulary (graph/shacl_report.py), so
graph/validate.py explains both engines' results with the same code.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from graph.oxi import to_rdflib
from graph.shacl_report import Result, report_graph

# graph/validate.py runs Compiler(…).run() and turns the results into a report with report_graph.
__all__ = ["Compiler", "Result", "Unsupported", "report_graph"]

XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")

_NODE_KINDS = {
    SH.IRI: {URIRef},
    SH.Literal: {Literal},
    SH.BlankNode: {BNode},
    SH.BlankNodeOrIRI: {BNode, URIRef},
    SH.BlankNodeOrLiteral: {BNode, Literal},
    SH.IRIOrLiteral: {URIRef, Literal},
}
_COMPARISONS: dict[URIRef, Callable[[Any, Any], bool]] = {
    SH.minInclusive: operator.ge, SH.minExclusive: operator.gt, SH.maxInclusive: operator.le, SH.maxExclusive: operator.lt}
# Shape parameters this module understands; any other sh: parameter on a shape is Unsupported.
_KNOWN = {SH.path, SH.name, SH.description, SH.message, SH.severity, SH.targetClass, SH.targetSubjectsOf,
          SH.targetObjectsOf, SH.targetNode, SH.property, SH.sparql, SH.nodeKind, SH.pattern, SH.flags,
          SH.datatype, SH["class"], SH["in"], SH.languageIn, SH.minLength, SH.maxLength, SH.hasValue,
          SH.minCount, SH.maxCount, SH["or"], SH.node, SH.uniqueLang, SH.equals, SH.disjoint,
          SH.lessThanOrEquals, SH.lessThan, SH.qualifiedValueShape, SH.qualifiedMinCount,
          SH.qualifiedMaxCount, SH.order, SH.group, SH.defaultValue, *_COMPARISONS}


class Unsupported(Exception):
    """The shapes use a SHACL feature this compiler does not translate (run pyshacl instead)."""


class Compiler:
    """Validates one data store against one shapes graph, a query per constraint."""

    def __init__(self, shapes: Graph, store: ox.Store, data: Graph) -> None:
        self.sg = shapes
        self.store = store
        self.data = data
        self.results: list[Result] = []
        self.prefixes = _declared_prefixes(shapes)
        self._subclasses: dict[Node, set[Node]] = {}
        self._by_predicate: dict[Node, list[tuple[Node, Node]]] = {}
        self._types: dict[Node, set[Node]] | None = None
        self._focus: dict[str, set[Node]] = {}

    # -- running queries -------------------------------------------------------------------------

    def select(self, query: str) -> Iterator[dict[str, Node]]:
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes.items())
        try:
            solutions = self.store.query(head + query)
        except SyntaxError as err:  # a compiler bug or an unusual shape: let pyshacl decide
            raise Unsupported(f"query did not parse: {err}\n{query}") from None
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            yield {n: to_rdflib(row[n]) for n in names if row[n] is not None}

    # -- shapes ----------------------------------------------------------------------------------

    def run(self) -> list[Result]:
        """Validate every shape that has targets (shapes reached by sh:node are run from their user)."""
        for shape in sorted(set(self._targeted()), key=str):
            self.check_shape(shape, self._target_pattern(shape))
        return self.results

    def _targeted(self) -> Iterator[Node]:
        for pred in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode):
            yield from self.sg.subjects(pred, None)
        for cls in (RDFS.Class, OWL.Class):
            for shape in self.sg.subjects(RDF.type, cls):
                if (shape, RDF.type, SH.NodeShape) in self.sg or (shape, RDF.type, SH.PropertyShape) in self.sg:
                    raise Unsupported(f"implicit class target on {shape}")

    def _target_pattern(self, shape: Node) -> str:
        parts = [f"{{ ?this rdf:type ?class VALUES ?class {{ {' '.join(_sparql(k) for k in self.subclasses(c))} }} }}"
                 for c in self.sg.objects(shape, SH.targetClass)]
        parts += [f"{{ ?this {_sparql(p)} [] }}" for p in self.sg.objects(shape, SH.targetSubjectsOf)]
        parts += [f"{{ [] {_sparql(p)} ?this }}" for p in self.sg.objects(shape, SH.targetObjectsOf)]
        nodes = " ".join(_sparql(n) for n in self.sg.objects(shape, SH.targetNode))
        if nodes:
            parts.append(f"{{ VALUES ?this {{ {nodes} }} }}")
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"

    def check_shape(self, shape: Node, focus: str) -> None:
        """All constraints of ``shape`` on the focus nodes bound to ?this by the group ``focus``."""
        unknown = {p for p in self.sg.predicates(shape) if str(p).startswith(str(SH))} - _KNOWN
        if unknown or (shape, SH.deactivated, Literal(True)) in self.sg:
            raise Unsupported(f"{shape} uses {sorted(unknown) or 'sh:deactivated'}")
        path = self.sg.value(shape, SH.path)
        values = f"{{ {focus} ?this {self.path(path)} ?v }}" if path is not None else f"{{ {focus} BIND(?this AS ?v) }}"
        for check in (self._value_tests, self._counts, self._pairs, self._node_refs, self._sparql_constraints):
            check(shape, focus, values, path)
        for prop in self.sg.objects(shape, SH.property):
            if path is not None:
                raise Unsupported(f"sh:property inside the property shape {shape}")
            self.check_shape(prop, focus)

    def add(self, shape: Node, component: str, rows: Iterator[dict[str, Node]], path: Node | None,
            value: bool = True) -> None:
        for row in rows:
            self.results.append(Result(row["this"], shape, SH[component], row.get("v") if value else None, path))

    # -- constraint families ---------------------------------------------------------------------

    def _value_tests(self, shape: Node, focus: str, values: str, path: Node | None) -> None:
        """Constraints each value node must pass on its own (sh:class, sh:datatype, sh:pattern …).

        These run in Python on the rdflib terms: Oxigraph stores numbers canonically
        ("070"^^xsd:positiveInteger comes back as "70"^^xsd:integer), which would hide exactly the
        datatype and lexical mistakes these constraints are for.
        """
        tests = self.value_tests(shape)
        if not tests:
            return
        for this, v in self.value_pairs(focus, path):
            for component, test in tests:
                if not test(v):
                    self.results.append(Result(this, shape, SH[component], v, path))

    def value_pairs(self, focus: str, path: Node | None) -> list[tuple[Node, Node]]:
        """(focus node, value node) pairs, with the values as the data graph holds them."""
        nodes = self.focus_nodes(focus)
        if path is None:
            return [(n, n) for n in nodes]
        if isinstance(path, URIRef):
            return [(s, o) for s, o in self.subject_objects(path) if s in nodes]
        inverse = self.sg.value(path, SH.inversePath)
        if isinstance(inverse, URIRef):
            return [(o, s) for s, o in self.subject_objects(inverse) if o in nodes]
        raise Unsupported(f"value constraints on the complex path {path}")

    def focus_nodes(self, focus: str) -> set[Node]:
        if focus not in self._focus:
            self._focus[focus] = {row["this"] for row in self.select(f"SELECT ?this WHERE {{ {focus} }}")}
        return self._focus[focus]

    def value_tests(self, shape: Node) -> list[tuple[str, Callable[[Node], bool]]]:
        """(component, predicate true when a value conforms) for every value-level constraint."""
        sg, tests = self.sg, []

        def one(pred: URIRef, component: str, make: Callable[[Node], Callable[[Node], bool]]) -> None:
            tests.extend((component, make(arg)) for arg in sg.objects(shape, pred))

        one(SH["class"], "ClassConstraintComponent", self._class_test)
        one(SH.datatype, "DatatypeConstraintComponent", lambda d: lambda v: _has_datatype(v, d))
        one(SH.nodeKind, "NodeKindConstraintComponent", lambda k: lambda v: type(v) in _NODE_KINDS[k])
        one(SH.minLength, "MinLengthConstraintComponent",
            lambda n: lambda v: not isinstance(v, BNode) and len(str(v)) >= int(n))
        one(SH.maxLength, "MaxLengthConstraintComponent",
            lambda n: lambda v: not isinstance(v, BNode) and len(str(v)) <= int(n))
        flags = str(sg.value(shape, SH.flags) or "")
        one(SH.pattern, "PatternConstraintComponent", lambda p: _pattern_test(str(p), flags))
        one(SH.languageIn, "LanguageInConstraintComponent", lambda lst: _language_test(self.items(lst)))
        one(SH["in"], "InConstraintComponent", lambda lst: set(self.items(lst)).__contains__)
        for pred, compare in _COMPARISONS.items():
            name = pred.split("#")[1]
            one(pred, name[0].upper() + name[1:] + "ConstraintComponent",
                lambda n, compare=compare: lambda v: _compare(compare, v, n))
        one(SH["or"], "OrConstraintComponent", lambda lst: _any_of([self.conforms(m) for m in self.items(lst)]))
        if sg.value(shape, SH.path) is None:
            one(SH.hasValue, "HasValueConstraintComponent", lambda x: lambda v: v == x)
        return tests

    def subclasses(self, cls: Node) -> set[Node]:
        """``cls`` and every class below it through the data's rdfs:subClassOf (SHACL instances)."""
        if cls not in self._subclasses:
            found, todo = {cls}, [cls]
            while todo:
                for sub in self.data.subjects(RDFS.subClassOf, todo.pop()):
                    if sub not in found:
                        found.add(sub)
                        todo.append(sub)
            self._subclasses[cls] = found
        return self._subclasses[cls]

    def subject_objects(self, predicate: Node) -> list[tuple[Node, Node]]:
        """The data's (subject, object) pairs for ``predicate``, read once (rdflib look-ups are slow)."""
        if predicate not in self._by_predicate:
            self._by_predicate[predicate] = list(self.data.subject_objects(predicate))
        return self._by_predicate[predicate]

    def _class_test(self, cls: Node) -> Callable[[Node], bool]:
        classes = self.subclasses(cls)
        if self._types is None:
            self._types = {}
            for node, t in self.subject_objects(RDF.type):
                self._types.setdefault(node, set()).add(t)
        types = self._types
        return lambda v: not classes.isdisjoint(types.get(v, ()))

    def conforms(self, shape: Node) -> Callable[[Node], bool]:
        """A predicate true when a node conforms to ``shape``, a shape of value-level constraints only."""
        allowed = {SH["class"], SH.datatype, SH.nodeKind, SH.minLength, SH.maxLength, SH.pattern, SH.flags,
                   SH.languageIn, SH["in"], SH["or"], SH.hasValue, *_COMPARISONS}
        used = {p for p in self.sg.predicates(shape) if str(p).startswith(str(SH))}
        if used - allowed or self.sg.value(shape, SH.severity) is not None:
            raise Unsupported(f"inline shape {shape} uses {sorted(used - allowed)}")
        tests = [test for _component, test in self.value_tests(shape)]
        return lambda v: all(t(v) for t in tests)

    def _counts(self, shape: Node, focus: str, values: str, path: Node | None) -> None:
        """Constraints on how many values a focus node has (sh:minCount, sh:qualifiedMinCount …)."""
        if path is None:
            return
        p = self.path(path)
        counted = [(SH.minCount, "MinCountConstraintComponent", "<", "true"),
                   (SH.maxCount, "MaxCountConstraintComponent", ">", "true")]
        for pred, component, op, test in counted:
            for n in self.sg.objects(shape, pred):
                rows = self.select(f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {p} ?v FILTER ({test}) }} }} "
                                   f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) {op} {int(n)})")
                self.add(shape, component, rows, path, value=False)
        qualified = self.sg.value(shape, SH.qualifiedValueShape)
        if qualified is not None:
            self._qualified(shape, focus, path, self.conforms(qualified))
        for v in self.sg.objects(shape, SH.hasValue):
            rows = self.select(f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {p} {_sparql(v)} }} }}")
            self.add(shape, "HasValueConstraintComponent", rows, path, value=False)
        if (shape, SH.uniqueLang, Literal(True)) in self.sg:
            rows = self.select(f"SELECT ?this WHERE {{ {values} BIND (LANG(?v) AS ?lang) FILTER (?lang != \"\") }} "
                               "GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?v) > 1)")
            self.add(shape, "UniqueLangConstraintComponent", rows, path, value=False)

    def _qualified(self, shape: Node, focus: str, path: Node, test: Callable[[Node], bool]) -> None:
        counts = dict.fromkeys(self.focus_nodes(focus), 0)
        for this, v in self.value_pairs(focus, path):
            counts[this] += test(v)
        for pred, component, too_few in ((SH.qualifiedMinCount, "QualifiedMinCountConstraintComponent", True),
                                         (SH.qualifiedMaxCount, "QualifiedMaxCountConstraintComponent", False)):
            for n in self.sg.objects(shape, pred):
                for this, count in counts.items():
                    if (count < int(n)) if too_few else (count > int(n)):
                        self.results.append(Result(this, shape, SH[component], None, path))

    def _pairs(self, shape: Node, focus: str, values: str, path: Node | None) -> None:
        """Constraints comparing the values with another property's (sh:equals, sh:disjoint, sh:lessThan …)."""
        sg = self.sg
        for other in sg.objects(shape, SH.equals):
            o = _sparql(other)
            rows = self.select(f"SELECT ?this ?v WHERE {{ {focus} {{ {values} FILTER NOT EXISTS {{ ?this {o} ?v }} }} "
                               f"UNION {{ ?this {o} ?v FILTER NOT EXISTS {{ {values} }} }} }}")
            self.add(shape, "EqualsConstraintComponent", rows, path)
        for other in sg.objects(shape, SH.disjoint):
            rows = self.select(f"SELECT ?this ?v WHERE {{ {values} ?this {_sparql(other)} ?v }}")
            self.add(shape, "DisjointConstraintComponent", rows, path)
        for pred, compare, component in ((SH.lessThan, operator.lt, "LessThan"),
                                         (SH.lessThanOrEquals, operator.le, "LessThanOrEquals")):
            for other in sg.objects(shape, pred):  # in Python, to report the values as written
                for this, v in self.value_pairs(focus, path):
                    if not all(_compare(compare, v, w) for w in self.data.objects(this, other)):
                        self.results.append(Result(this, shape, SH[component + "ConstraintComponent"], v, path))

    def _node_refs(self, shape: Node, focus: str, values: str, path: Node | None) -> None:
        """sh:node: the values must conform to another shape, checked with that shape's own queries."""
        for target in self.sg.objects(shape, SH.node):
            if path is None:
                raise Unsupported(f"sh:node on the node shape {shape}")
            nested = Compiler(self.sg, self.store, self.data)
            nested._subclasses, nested._by_predicate, nested._types = self._subclasses, self._by_predicate, self._types
            outer = f"{{ SELECT (?this AS ?outer) WHERE {{ {focus} }} }}"
            nested.check_shape(target, f"{{ SELECT DISTINCT ?this WHERE {{ {outer} ?outer {self.path(path)} ?this }} }}")
            failing = {r.focus for r in nested.results if self._severity(r.shape) == SH.Violation}
            if failing:
                rows = (row for row in self.select(f"SELECT ?this ?v WHERE {values}") if row.get("v") in failing)
                self.add(shape, "NodeConstraintComponent", rows, path)

    def _sparql_constraints(self, shape: Node, focus: str, values: str, path: Node | None) -> None:
        """SHACL-SPARQL: the constraint's SELECT joined with the focus nodes ($this is ?this)."""
        for constraint in self.sg.objects(shape, SH.sparql):
            query = self.sg.value(constraint, SH.select)
            if query is None or re.search(r"\$(PATH|currentShape|shapesGraph)\b", str(query)) or path is not None:
                raise Unsupported(f"SPARQL constraint {constraint} needs pre-binding this compiler lacks")
            for row in self.select(f"SELECT * WHERE {{ {focus} {{ {query} }} }}"):
                value = row.get("value", row["this"])
                self.results.append(Result(row["this"], shape, SH.SPARQLConstraintComponent, value,
                                           row.get("path"), constraint, row))

    # -- helpers ---------------------------------------------------------------------------------

    def path(self, path: Node) -> str:
        """A SHACL property path as a SPARQL property path."""
        if isinstance(path, URIRef):
            return _sparql(path)
        inverse = self.sg.value(path, SH.inversePath)
        if inverse is not None:
            return f"^({self.path(inverse)})"
        if self.sg.value(path, RDF.first) is not None:
            return "(" + "/".join(self.path(step) for step in self.items(path)) + ")"
        for pred, op in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            inner = self.sg.value(path, pred)
            if inner is not None:
                return f"({self.path(inner)}){op}"
        alternatives = self.sg.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(step) for step in self.items(alternatives)) + ")"
        raise Unsupported(f"property path {path}")

    def items(self, head: Node) -> list[Node]:
        return list(Collection(self.sg, head))

    def _severity(self, shape: Node) -> Node:
        return self.sg.value(shape, SH.severity) or SH.Violation


def _has_datatype(v: Node, datatype: Node) -> bool:
    """pyshacl's reading of sh:datatype: the literal's own datatype, and a well-formed lexical form."""
    if not isinstance(v, Literal):
        return False
    if datatype == RDF.langString:
        return bool(v.language)
    if datatype == XSD_STRING and v.datatype is None and not v.language:
        return True
    return v.datatype == datatype and v.ill_typed is not True


def _any_of(tests: list[Callable[[Node], bool]]) -> Callable[[Node], bool]:
    return lambda v: any(test(v) for test in tests)


def _pattern_test(pattern: str, flags: str) -> Callable[[Node], bool]:
    compiled = re.compile(pattern, (re.IGNORECASE if "i" in flags else 0) | (re.MULTILINE if "m" in flags else 0)
                          | (re.DOTALL if "s" in flags else 0) | (re.VERBOSE if "x" in flags else 0))
    return lambda v: not isinstance(v, BNode) and compiled.search(str(v)) is not None


def _language_test(tags: list[Node]) -> Callable[[Node], bool]:
    """Basic language-range matching (RFC 4647), as SPARQL's langMatches."""
    ranges = [str(t).lower() for t in tags]

    def test(v: Node) -> bool:
        lang = (v.language or "").lower() if isinstance(v, Literal) else ""
        return bool(lang) and any(r == "*" or lang == r or lang.startswith(r + "-") for r in ranges)
    return test


def _compare(compare: Callable[[Any, Any], bool], v: Node, bound: Node) -> bool:
    if not isinstance(v, Literal) or not isinstance(bound, Literal):
        return False
    try:
        return bool(compare(v.value, bound.value)) if v.value is not None else False
    except TypeError:
        return False


def _declared_prefixes(shapes: Graph) -> dict[str, str]:
    prefixes = {"rdf": str(RDF), "rdfs": str(RDFS), "sh": str(SH), "xsd": "http://www.w3.org/2001/XMLSchema#"}
    for declaration in shapes.objects(None, SH.declare):
        prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
        if prefix is not None and namespace is not None:
            prefixes[str(prefix)] = str(namespace)
    return prefixes


def _sparql(term: Node) -> str:
    if isinstance(term, BNode):
        raise Unsupported(f"blank node {term} as a constant in a constraint")
    return term.n3()
