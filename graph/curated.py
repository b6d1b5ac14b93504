"""Load the curated Turtle under ``sources/curated/`` and check it before anything uses it.

Curated knowledge (entities, name variants, coordinates, containment, targets, links) is
data kept by people, so it gets the checks a person needs to fix it quickly: the file and
line of a syntax error, of a bad byte, of an entity defined twice and of a reference to an IRI
that nothing defines, the entity whose evidence quote is not where it says it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from graph.errors import BuildError
from graph.literals import canonicalise, unsupported
from graph.oxi import Converter
from graph.segment import normalise
from graph.textfile import read_text

PK = Namespace("https://leangen-kg.org/ontology#")
DEFAULT_BASE = "https://leangen-kg.org/id/"

# Links between commitments name commitments by source line, which only the build can
# resolve: graph/relations.py reads this file, not load_curated.
LINKS_FILE = "links.ttl"

# A statement that types its subject, written from the start of a line as the curated files do
# ("place:heimdal a pk:Place ;"): where an entity is defined.
_TYPED_SUBJECT = re.compile(r"^(<[^<>\s]*>|[A-Za-z][\w.-]*:[\w.-]*|:[\w.-]*)\s+(?:a|rdf:type)\s")

ENTITY_CLASSES = (PK.Place, PK.Project, PK.Actor, PK.Instrument, PK.Target)
# Properties whose objects must be entities defined in some curated file.
REFERENCE_PROPERTIES = (PK.partOf, PK.locatedAt, PK.party)


@dataclass
class TurtleFile:
    """One parsed Turtle file with its lines, so that a check can say on which line a term stands."""

    path: Path
    graph: Graph
    lines: list[str]

    def definitions(self) -> list[tuple[str, URIRef, int]]:
        """Every statement that types its subject: (the subject as written, its IRI, line)."""
        found = []
        for number, line in enumerate(self.lines, start=1):
            match = _TYPED_SUBJECT.match(line)
            if match:
                token = match.group(1)
                try:
                    iri = URIRef(token[1:-1]) if token.startswith("<") else self.graph.namespace_manager.expand_curie(token)
                except ValueError:  # an unknown prefix is the parser's to report
                    continue
                found.append((token, iri, number))
        return found

    def line_defining(self, iri: URIRef) -> int | None:
        """The line of the statement that types ``iri`` (else the first line that writes it)."""
        return next((line for _, defined, line in self.definitions() if defined == iri), None) or self.line_of(iri)

    def line_of(self, term: URIRef, start: int = 1) -> int | None:
        """The first line from ``start`` on where ``term`` is written (as ``<iri>`` or ``prefix:name``)."""
        forms = [f"<{term}>"] + [f"{prefix}:{term[len(ns):]}" for prefix, ns in self.graph.namespaces()
                                 if prefix and term.startswith(ns)]
        pattern = re.compile(r"(?<![\w:-])(?:" + "|".join(map(re.escape, forms)) + r")(?![\w-]|\.[\w-])")
        for number in range(start, len(self.lines) + 1):
            line = self.lines[number - 1]
            if not line.lstrip().startswith("#") and pattern.search(line):
                return number
        return None


@dataclass
class Curated:
    """All curated files merged, with where each entity was defined."""

    graph: Graph
    defined_in: dict[URIRef, Path] = field(default_factory=dict)
    files: dict[Path, TurtleFile] = field(default_factory=dict)

    def line_of(self, entity: URIRef) -> int | None:
        """The line where ``entity`` is defined in its file."""
        path = self.defined_in.get(entity)
        return self.files[path].line_defining(entity) if path in self.files else None

    def entities(self, cls: URIRef) -> list[URIRef]:
        return sorted(s for s in self.graph.subjects(RDF.type, cls) if isinstance(s, URIRef))

    def labels(self, entity: URIRef) -> list[str]:
        """Preferred label first, then the alternatives, as the linker matches them."""
        pref = [str(o) for o in self.graph.objects(entity, SKOS.prefLabel)]
        alt = sorted(str(o) for o in self.graph.objects(entity, SKOS.altLabel))
        return pref + alt

    def label(self, entity: URIRef) -> str:
        labels = self.labels(entity)
        return labels[0] if labels else str(entity)


def parse_turtle(path: Path) -> Graph:
    """Parse one Turtle file; a syntax error names the file and line."""
    return read_turtle(path).graph


def read_turtle(path: Path) -> TurtleFile:
    """Parse one Turtle file, keeping its lines; a missing or empty file, a byte that is not UTF-8
    and a syntax error each name the file (and line)."""
    text, _ = read_text(path, "the Turtle file", missing="Check the path (or the --curated, --ontology, "
                        "--shapes option).")
    graph = _parse_with_oxigraph(text, path.resolve().as_uri())
    if graph is not None:
        return TurtleFile(path, graph, text.split("\n"))
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except (SyntaxError, ValueError) as exc:  # BadSyntax is a SyntaxError; bad bytes a ValueError
        line = getattr(exc, "lines", None)
        message = str(exc).split("\n")[0:2]
        raise BuildError(
            f"malformed Turtle: {' '.join(m.strip() for m in message)}. Fix the syntax and build again.",
            path=path,
            line=line + 1 if isinstance(line, int) else None,
        ) from None
    return TurtleFile(path, graph, text.split("\n"))


def _parse_with_oxigraph(text: str, base: str) -> Graph | None:
    """The file parsed by Oxigraph (three times faster than rdflib's Turtle parser, which took half a
    second of every build), as an rdflib graph with the file's prefixes bound; None when Oxigraph
    refuses it, so that rdflib parses it again and its error names the line as it always has."""
    try:
        parser = ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=base)
        quads = list(parser)
    except SyntaxError:
        return None
    graph = Graph()
    for prefix, namespace in parser.prefixes.items():
        graph.bind(prefix, namespace)
    term = Converter().to_rdflib
    graph.addN((term(q.subject), term(q.predicate), term(q.object), graph) for q in quads)
    return graph


def read_curated(path: Path) -> TurtleFile:
    """A curated Turtle file, checked for an entity defined twice in it.

    rdflib merges two blocks about one subject without a word, and the merged entity then fails a
    SHACL count far from its cause (two geometries, two labels); here the file and both lines are named.
    """
    turtle = read_turtle(path)
    first: dict[URIRef, int] = {}
    for token, iri, line in turtle.definitions():
        if iri in first:
            raise BuildError(
                f"{token} is defined twice (first at line {first[iri]}). Merge the two blocks into one, "
                "or give one of them another slug.",
                path=path,
                line=line,
            )
        first[iri] = line
    _check_literals(turtle)
    return turtle


def _check_literals(turtle: TurtleFile) -> None:
    """Refuse a literal no store would give back as written (xsd:positiveInteger, "1_000"^^xsd:integer)."""
    refused = [(s, p, o) for s, p, o in turtle.graph if isinstance(o, Literal) and unsupported(o)]
    for s, p, o in sorted(refused)[:1]:  # sorted, so the same one is named first on every run
        if reason := unsupported(o):
            subject = s.n3(turtle.graph.namespace_manager) if isinstance(s, URIRef) else "a [ … ] node"
            raise BuildError(f"{subject} {p.n3(turtle.graph.namespace_manager)} {o.n3()}: {reason}.",
                             path=turtle.path, line=_literal_line(turtle, s, o))


def _literal_line(turtle: TurtleFile, subject: Node, literal: Literal) -> int | None:
    """The first line, from ``subject``'s block on, that writes the literal's text."""
    start = (turtle.line_defining(subject) if isinstance(subject, URIRef) else None) or 1
    return next((n for n in range(start, len(turtle.lines) + 1) if str(literal) in turtle.lines[n - 1]),
                None)


def load_curated(folder: Path, source_lines: list[str]) -> Curated:
    """Merge every ``*.ttl`` in ``folder`` and check it against the source document.

    ``source_lines`` are the document's lines (index 0 is line 1) so that every evidence
    quote can be checked where it claims to stand.
    """
    files = sorted(p for p in folder.glob("*.ttl") if p.name != LINKS_FILE)
    if not files:
        raise BuildError("no curated Turtle files (*.ttl) found.", path=folder)
    merged = Graph()
    curated = Curated(merged)
    for path in files:
        turtle = curated.files[path] = read_curated(path)
        graph = turtle.graph
        for cls in ENTITY_CLASSES:
            for entity in sorted(graph.subjects(RDF.type, cls)):
                if not isinstance(entity, URIRef):
                    raise BuildError(f"an entity of class {cls} has no IRI (a blank node).", path=path)
                if entity in curated.defined_in:
                    other = curated.defined_in[entity]
                    raise BuildError(
                        f"duplicate IRI <{entity}>: it is also defined in {other}, line {curated.line_of(entity)}. "
                        "Give one of them another slug or merge them.",
                        path=path,
                        line=turtle.line_defining(entity),
                    )
                curated.defined_in[entity] = path
        merged += graph
    for prefix, ns in graph.namespaces():
        merged.bind(prefix, ns, override=False)

    canonicalise(merged)
    _check_references(curated)
    _check_evidence(curated, source_lines)
    return curated


def _check_references(curated: Curated) -> None:
    """Every pk:partOf, pk:locatedAt and pk:party must name an entity some curated file defines."""
    for prop in REFERENCE_PROPERTIES:
        for subject, target in sorted(curated.graph.subject_objects(prop)):
            if target not in curated.defined_in:
                where, line = _reference_site(curated, subject, target)
                raise BuildError(
                    f"<{subject}> refers with {prop.n3(curated.graph.namespace_manager)} to <{target}>, "
                    "which no curated file defines. Define it or correct the IRI.",
                    path=where,
                    line=line,
                )


def _reference_site(curated: Curated, subject: Node, target: Node) -> tuple[Path | None, int | None]:
    """The file and line where ``subject``'s block writes ``target`` (else the first file that writes it)."""
    where = curated.defined_in.get(subject) if isinstance(subject, URIRef) else None
    if where is not None and isinstance(target, URIRef):
        line = curated.files[where].line_of(target, start=curated.line_of(subject) or 1)
        if line is not None:
            return where, line
    for path, turtle in curated.files.items():
        line = turtle.line_of(target) if isinstance(target, URIRef) else None
        if line is not None:
            return path, line
    return where, None


def _check_evidence(curated: Curated, source_lines: list[str]) -> None:
    g = curated.graph
    normalised = [normalise(line) for line in source_lines]
    text_end = max((n for n, line in enumerate(normalised, start=1) if line), default=0)
    for entity, path in curated.defined_in.items():
        evidence = list(g.objects(entity, PK.evidence))
        if not evidence:
            raise BuildError(
                f"<{entity}> has no pk:evidence: add [ pk:quote \"…\"@nb ; pk:line N ] with the words "
                "of the document that name it.",
                path=path,
            )
        for node in evidence:
            quote, line = g.value(node, PK.quote), g.value(node, PK.line)
            if not isinstance(quote, Literal) or not isinstance(line, Literal):
                raise BuildError(f"<{entity}> has evidence without pk:quote or pk:line.", path=path)
            n = int(line)
            if n > text_end:
                raise BuildError(
                    f"<{entity}>: the evidence names line {n}, but the text of the source document ends at "
                    f"line {text_end}. If the document was cut off, restore it; otherwise correct the line.",
                    path=path,
                    line=curated.line_of(entity),
                )
            if not 1 <= n <= len(normalised) or normalise(str(quote)) not in normalised[n - 1]:
                raise BuildError(
                    f"<{entity}>: the evidence quote \"{quote}\" is not on line {n} of the source document. "
                    "Correct the quote or the line.",
                    path=path,
                )


def rebase(graph: Graph, base: str) -> Graph:
    """The same triples with data IRIs moved from the default base to ``base``."""
    if base == DEFAULT_BASE:
        return graph

    def move(term):
        if isinstance(term, URIRef) and str(term).startswith(DEFAULT_BASE):
            return URIRef(base + str(term)[len(DEFAULT_BASE):])
        return term

    out = Graph()
    for s, p, o in graph:
        out.add((move(s), p, move(o)))
    for prefix, ns in graph.namespaces():
        out.bind(prefix, move(URIRef(ns)) if str(ns).startswith(DEFAULT_BASE) else ns, override=True)
    return out
