"""The SHACL engine's results as a validation report in pyshacl's vocabulary.

sh:ValidationResult with focus node, path, value, source shape, constraint component, severity and
messages, so that graph/validate.py explains the results of both engines (this one and pyshacl)
with the same code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node


@dataclass
class Result:
    """One validation result, before it becomes RDF."""

    focus: Node
    shape: Node
    component: URIRef
    value: Node | None = None
    path: Node | None = None
    constraint: Node | None = None
    bindings: dict[str, Node] | None = None


def report_graph(results: list[Result], shapes: Graph) -> Graph:
    """The results as a SHACL validation report (pyshacl's vocabulary, read by graph/validate.py)."""
    report = Graph()
    report.add((BNode(), RDF.type, SH.ValidationReport))
    for r in results:
        node = BNode()
        severity = shapes.value(r.shape, SH.severity) or SH.Violation
        for pred, obj in ((RDF.type, SH.ValidationResult), (SH.focusNode, r.focus), (SH.sourceShape, r.shape),
                          (SH.sourceConstraintComponent, r.component), (SH.resultSeverity, severity),
                          (SH.value, r.value), (SH.resultPath, r.path or shapes.value(r.shape, SH.path)),
                          (SH.sourceConstraint, r.constraint)):
            if obj is not None:
                report.add((node, pred, obj))
        path = r.path or shapes.value(r.shape, SH.path)
        if isinstance(path, BNode):
            for triple in shapes.cbd(path):
                report.add(triple)
        for message in _messages(r, shapes):
            report.add((node, SH.resultMessage, message))
    return report


def _messages(result: Result, shapes: Graph) -> list[Literal]:
    """The constraint's own message (SPARQL, with {?var} filled in), then the shape's, as pyshacl does."""
    own = list(shapes.objects(result.constraint, SH.message)) if result.constraint is not None else []
    messages = own + [m for m in shapes.objects(result.shape, SH.message) if m not in own]
    if result.bindings is None:
        return [m for m in messages if isinstance(m, Literal)]
    filled = []
    for m in messages:
        text = str(m)
        for var, val in result.bindings.items():
            text = re.sub(r"\{[?$]" + re.escape(var) + r"\}", str(val).replace("\\", r"\\"), text)
        filled.append(Literal(text))
    return filled
