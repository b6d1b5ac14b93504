"""The SHACL gate: validate the assembled graph against shapes/leangen-shapes.ttl.

Nothing invalid may leave the build, and when something is invalid the person fixing it needs to know
*which node*, *which rule*, *what is wrong in plain words* and *where in the source document* to look.
pyshacl's own report gives the first three in RDF; this module turns each result into a
:class:`Violation` with the node's label and its source lines looked up in the data graph, and
:func:`format_report` prints them grouped by shape.

Validation runs without inference (the shapes check ``rdf:type`` explicitly with ``sh:class``) and with
SHACL-SPARQL enabled (a few rules, such as ``firstLine <= lastLine``, cannot be expressed in SHACL core).
Two engines give the same results: graph/shacl_sparql.py (each constraint one SPARQL query on
pyoxigraph, under a second on the real graph) runs the gate, and pyshacl, the reference, runs when
the shapes use a feature that compiler does not translate, or when asked for (``engine="pyshacl"``;
tests/test_shapes.py compares the two on every fixture).
Only results of severity ``sh:Violation`` make the graph non-conforming; warnings are reported but do not
stop the build.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.term import Node

from graph.memory import new_graph
from graph.vocab import GEO, PK, SHAPES_IRI

REPO_ROOT = Path(__file__).resolve().parent.parent
SHAPES_PATH = REPO_ROOT / "shapes" / "leangen-shapes.ttl"

# Prefixes used to print paths and values compactly. Data IRIs are printed in full on purpose:
# the base IRI is configurable and a full IRI can be pasted into the viewer.
_PREFIXES: dict[str, str] = {
    "pk": str(PK),
    "pksh": SHAPES_IRI,
    "skos": str(SKOS),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "dcterms": "http://purl.org/dc/terms/",
    "geo": str(GEO),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": str(SH),
}

_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Violation:
    """One SHACL result, made readable.

    ``shape`` is the name of the class shape the rule belongs to (e.g. ``Commitment``); ``focus_node`` the
    IRI (or blank-node id) of the offending node, with ``context`` saying whose node a blank node is
    (``geo:hasGeometry of <place>``); ``rule`` the constraint component's local name (for SPARQL rules
    followed by the rule's label); ``source_lines`` the lines of the source document to look at.
    """

    shape: str
    focus_node: str
    label: str | None
    path: str | None
    rule: str
    message: str
    severity: str
    value: str | None = None
    property_name: str | None = None
    context: str | None = None
    source_lines: tuple[int, ...] = ()

    @property
    def lines_text(self) -> str:
        """The source lines as a person writes them: ``line 12``, ``lines 12–14``, ``lines 3, 9``."""
        lines = sorted(set(self.source_lines))
        if not lines:
            return ""
        if len(lines) == 1:
            return f"line {lines[0]}"
        if lines == list(range(lines[0], lines[-1] + 1)):
            return f"lines {lines[0]}–{lines[-1]}"
        return "lines " + ", ".join(str(n) for n in lines)


@dataclass
class ValidationOutcome:
    """The gate's verdict: ``conforms`` is False as soon as one result has severity Violation."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    report_graph: Graph | None = None

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "Violation"]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity != "Violation"]


def load_shapes(path: str | Path | None = None) -> Graph:
    """Read the shapes graph (a file, or every ``*.ttl`` in a folder); by default ``shapes/leangen-shapes.ttl``.

    The default is resolved from this file's location rather than the working directory, so the gate
    finds its shapes whether the build runs from the repository root or elsewhere.
    """
    from graph.curated import parse_turtle  # one place that turns Turtle errors into BuildErrors

    target = Path(path) if path is not None else SHAPES_PATH
    files = sorted(target.glob("*.ttl")) if target.is_dir() else [target]
    shapes = new_graph()
    for file in files:
        shapes += parse_turtle(file)
    return shapes


def validate(data: Graph, shapes: Graph | None = None, *, engine: str = "sparql",
             store: ox.Store | None = None) -> ValidationOutcome:
    """Validate ``data`` against ``shapes`` (default: :func:`load_shapes`) and explain every result.

    ``store`` is ``data`` already loaded into pyoxigraph (the build shares it with the writers);
    ``engine`` is ``"sparql"`` (fast, falls back to pyshacl for shapes it cannot compile) or ``"pyshacl"``.
    """
    if engine not in ("sparql", "pyshacl"):
        raise ValueError(f"engine must be 'sparql' or 'pyshacl', not {engine!r}")
    shapes_graph = shapes if shapes is not None else load_shapes()
    report = _sparql_report(data, shapes_graph, store) if engine == "sparql" else None
    if report is None:
        report = pyshacl_report(data, shapes_graph)
    violations = [_explain(report, result, data, shapes_graph) for result in report.subjects(RDF.type, SH.ValidationResult)]
    violations.sort(key=lambda v: (v.shape, _SEVERITY_ORDER.get(v.severity, 9), v.focus_node, v.path or "", v.rule))
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationOutcome(conforms=conforms, violations=violations, report_graph=report)


def _sparql_report(data: Graph, shapes: Graph, store: ox.Store | None) -> Graph | None:
    """The report of the compiled engine, or None when the shapes need pyshacl."""
    from graph import shacl_sparql
    from graph.oxi import Converter, store_of

    if store is None:
        store = store_of(Converter().triples(data))
    try:
        return shacl_sparql.report_graph(shacl_sparql.Compiler(shapes, store, data).run(), shapes)
    except shacl_sparql.Unsupported:
        return None


def pyshacl_report(data: Graph, shapes: Graph) -> Graph:
    """pyshacl's report: the reference the compiled engine is tested against."""
    import pyshacl  # imported only when needed: it takes a third of a second to import

    _conforms, report, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        abort_on_first=False,
        allow_warnings=True,
        meta_shacl=False,
    )
    assert isinstance(report, Graph)
    return report


def format_report(outcome: ValidationOutcome) -> str:
    """A report for a person: a summary line, then the results grouped by shape.

    Each result names the node (full IRI and label), the rule, the path, the message and the source
    lines, so it can be fixed without reading RDF.
    """
    errors, warnings = len(outcome.errors), len(outcome.warnings)
    if not outcome.violations:
        return "SHACL gate: the graph conforms (no violations, no warnings).\n"
    verdict = "the graph conforms" if outcome.conforms else "the graph does NOT conform"
    lines = [f"SHACL gate: {verdict} — {errors} violation(s), {warnings} warning(s)."]
    by_shape: dict[str, list[Violation]] = defaultdict(list)
    for v in outcome.violations:
        by_shape[v.shape].append(v)
    for shape in sorted(by_shape):
        group = by_shape[shape]
        lines.append("")
        lines.append(f"{shape} ({len(group)})")
        lines.append("-" * (len(shape) + len(str(len(group))) + 3))
        for v in group:
            head = f"  [{v.severity}] {v.focus_node}"
            if v.label:
                head += f"  «{v.label}»"
            lines.append(head)
            if v.context:
                lines.append(f"      node:    {v.context}")
            rule = v.rule + (f" on {v.path}" if v.path else "")
            lines.append(f"      rule:    {rule}")
            lines.append(f"      message: {v.message}")
            if v.value is not None:
                lines.append(f"      value:   {v.value}")
            if v.source_lines:
                lines.append(f"      source:  {v.lines_text} of the document")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------
# Helpers: turning a sh:ValidationResult into a Violation
# --------------------------------------------------------------------------------------------------


def _explain(report: Graph, result: Node, data: Graph, shapes: Graph) -> Violation:
    focus = report.value(result, SH.focusNode)
    source_shape = report.value(result, SH.sourceShape)
    component = report.value(result, SH.sourceConstraintComponent)
    severity = report.value(result, SH.resultSeverity)
    value = report.value(result, SH.value)
    path = report.value(result, SH.resultPath)

    rule = _local(component) if component is not None else "unknown"
    constraint = report.value(result, SH.sourceConstraint)
    if constraint is not None:
        constraint_label = shapes.value(constraint, RDFS.label)
        if constraint_label is not None:
            rule = f"{rule} ({constraint_label})"

    shape_name = _shape_name(shapes, data, source_shape, focus)
    if (focus, RDF.type, PK.PolicyDocument) in data and value is not None and (value, RDF.type, None) in data:
        # A whole-graph rule runs once from the document and names the offending node as its value:
        # report that node, under its own class's shape, as a per-node rule would.
        focus, value = value, None
        shape_name = _class_shape_name(shapes, data, focus) or shape_name
    owner, owner_path = _owner(data, focus)
    described = owner if owner is not None else focus
    return Violation(
        shape=shape_name,
        focus_node=_node_text(focus),
        label=_label(data, focus) or (_label(data, owner) if owner is not None else None),
        path=_path_text(report, path) if path is not None else None,
        rule=rule,
        message=_message(report, result, shapes, source_shape),
        severity=_local(severity) if severity is not None else "Violation",
        value=_value_text(value) if value is not None and value != focus else None,
        property_name=_literal_text(shapes.value(source_shape, SH.name)) if source_shape is not None else None,
        context=(f"{_compact(owner_path)} of {_node_text(owner)}" if owner is not None else None),
        source_lines=_source_lines(data, focus) or (_source_lines(data, described) if described is not None else ()),
    )


def _class_shape_name(shapes: Graph, data: Graph, node: Node) -> str | None:
    """The name of the node shape that targets one of ``node``'s classes."""
    for cls in data.objects(node, RDF.type):
        for shape in shapes.subjects(SH.targetClass, cls):
            label = _literal_text(shapes.value(shape, RDFS.label))
            if label:
                return label
    return None


def _shape_name(shapes: Graph, data: Graph, shape: Node | None, focus: Node | None) -> str:
    """The name of the node shape a result belongs to, even when it came from a shared property shape.

    Property shapes such as ``pksh:curatedPrefLabel`` are used by several class shapes; pick the one
    whose ``sh:targetClass`` the focus node has, so the report groups by the class a curator knows.
    """
    if shape is None:
        return "unknown shape"
    if (shape, RDF.type, SH.NodeShape) in shapes or (shape, SH.targetClass, None) in shapes:
        return _literal_text(shapes.value(shape, RDFS.label)) or _compact(shape)
    parents = list(shapes.subjects(SH.property, shape))
    if not parents:
        return _literal_text(shapes.value(shape, SH.name)) or _compact(shape)
    focus_types = set(data.objects(focus, RDF.type)) if focus is not None else set()
    for parent in parents:
        if focus_types & set(shapes.objects(parent, SH.targetClass)):
            return _literal_text(shapes.value(parent, RDFS.label)) or _compact(parent)
    # A property shape inside a shape reached with sh:node (e.g. Evidence): name that shape.
    return _literal_text(shapes.value(parents[0], RDFS.label)) or _compact(parents[0])


def _message(report: Graph, result: Node, shapes: Graph, shape: Node | None) -> str:
    messages = list(report.objects(result, SH.resultMessage))
    if not messages and shape is not None:
        messages = list(shapes.objects(shape, SH.message))
    if not messages:
        return "(no message)"
    english = [m for m in messages if isinstance(m, Literal) and m.language in (None, "en")]
    return str((english or messages)[0])


def _owner(data: Graph, node: Node | None) -> tuple[Node | None, Node | None]:
    """For a blank node (a geometry, an evidence node), the node that points at it, and how."""
    if not isinstance(node, BNode):
        return None, None
    for subject, predicate in data.subject_predicates(node):
        return subject, predicate
    return None, None


def _label(data: Graph, node: Node | None) -> str | None:
    """The node's name for a person: skos:prefLabel, else rdfs:label; Norwegian first."""
    if node is None:
        return None
    for prop in (SKOS.prefLabel, RDFS.label):
        labels = [o for o in data.objects(node, prop) if isinstance(o, Literal)]
        if labels:
            labels.sort(key=lambda lit: {"nb": 0, None: 1, "en": 2}.get(lit.language, 3))
            return str(labels[0])
    return None


def _source_lines(data: Graph, node: Node | None) -> tuple[int, ...]:
    """Where to look in the source document: the node's line span, its mention line, its evidence lines."""
    if node is None:
        return ()
    first, last = _int(data.value(node, PK.firstLine)), _int(data.value(node, PK.lastLine))
    if first is not None and last is not None and 0 < first <= last and last - first < 200:
        return tuple(range(first, last + 1))
    lines = [n for n in (first, last, _int(data.value(node, PK.sourceLine)), _int(data.value(node, PK.line)))
             if n is not None]
    for evidence in data.objects(node, PK.evidence):
        n = _int(data.value(evidence, PK.line))
        if n is not None:
            lines.append(n)
    return tuple(sorted(set(lines)))


def _int(value: Node | None) -> int | None:
    if not isinstance(value, Literal):
        return None
    try:
        return int(str(value))
    except ValueError:
        return None


def _path_text(report: Graph, path: Node) -> str:
    if isinstance(path, BNode):
        inverse = report.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + _compact(inverse)
        return "(complex path)"
    return _compact(path)


def _compact(node: Node | None) -> str:
    if node is None:
        return ""
    text = str(node)
    for prefix, namespace in _PREFIXES.items():
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return f"<{text}>" if isinstance(node, URIRef) else text


def _node_text(node: Node | None) -> str:
    if node is None:
        return "(no node)"
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _value_text(value: Node) -> str:
    if isinstance(value, Literal):
        text = f'"{value}"'
        if value.language:
            return f"{text}@{value.language}"
        if value.datatype is not None:
            return f"{text}^^{_compact(value.datatype)}"
        return text
    if isinstance(value, BNode):
        return "a blank node"
    return _compact(value) if any(str(value).startswith(ns) for ns in _PREFIXES.values()) else str(value)


def _literal_text(value: Node | None) -> str | None:
    return str(value) if value is not None else None


def _local(node: Node) -> str:
    text = str(node)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text
