"""Load the curated Turtle under ``sources/curated/`` and check it before anything uses it.

Curated knowledge (entities, name variants, coordinates, containment, targets, links) is
data kept by people, so it gets the checks a person needs to fix it quickly: the file and
line of a syntax error, of a bad byte, of an entity defined twice and of a reference to an IRI
that nothing defines, the entity whose evidence quote is not where it says it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from graph.errors import BuildError
from graph.literals import canonicalise, unsupported
from graph.memory import new_graph
from graph.segment import normalise
from graph.turtle import TurtleFile, parse_turtle, read_turtle
from graph.vocab import CURATED_CLASSES, DEFAULT_BASE, PK, registry

__all__ = ["DEFAULT_BASE", "ENTITY_CLASSES", "LINKS_FILE", "PK", "Curated", "TurtleFile", "load_curated",
           "parse_turtle", "read_curated", "read_turtle", "rebase"]

# Links between commitments name commitments by source line, which only the build can
# resolve: graph/relations.py reads this file, not load_curated.
LINKS_FILE = "links.ttl"

ENTITY_CLASSES = tuple(PK[c] for c in CURATED_CLASSES)
# Properties whose objects must be entities defined in some curated file.
REFERENCE_PROPERTIES = (PK.partOf, PK.locatedAt, PK.party)


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
    """The first line, from ``subject``'s block on, that writes the literal (quoted, else its bare text)."""
    start = (turtle.line_defining(subject) if isinstance(subject, URIRef) else None) or 1
    for text in (f'"{literal}"', str(literal)):
        line = next((n for n in range(start, len(turtle.lines) + 1) if text in turtle.lines[n - 1]), None)
        if line is not None:
            return line
    return None


def load_curated(folder: Path, source_lines: list[str]) -> Curated:
    """Merge every ``*.ttl`` in ``folder`` and check it against the source document.

    ``source_lines`` are the document's lines (index 0 is line 1) so that every evidence
    quote can be checked where it claims to stand.
    """
    files = sorted(p for p in folder.glob("*.ttl") if p.name != LINKS_FILE)
    if not files:
        raise BuildError("no curated Turtle files (*.ttl) found.", path=folder)
    merged = new_graph()
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
    _check_generic_labels(curated)
    _check_references(curated)
    _check_evidence(curated, source_lines)
    return curated


def _check_generic_labels(curated: Curated) -> None:
    """No label of a curated entity is a generic word (``pk:genericWord`` in the ontology): the linker
    would tie every commitment that says "byen" or "sentrum" to that one entity."""
    found = registry()
    generic = found.generic_words
    for entity, path in sorted(curated.defined_in.items()):
        for label in sorted(curated.graph.objects(entity, SKOS.prefLabel | SKOS.altLabel)):
            if " ".join(str(label).lower().split()) in generic:
                turtle = curated.files[path]
                raise BuildError(
                    f"{entity.n3(turtle.graph.namespace_manager)} has the label \"{label}\", a generic word "
                    f"(pk:genericWord in {found.path.name}) that names no single place or body. Remove "
                    "it, or write the name in full.", path=path, line=_literal_line(turtle, entity, label))


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

    out = new_graph()
    for s, p, o in graph:
        out.add((move(s), p, move(o)))
    for prefix, ns in graph.namespaces():
        out.bind(prefix, move(URIRef(ns)) if str(ns).startswith(DEFAULT_BASE) else ns, override=True)
    return out
