"""Load the curated Turtle under ``sources/curated/`` and check it before anything uses it.

Curated knowledge (entities, name variants, coordinates, containment, targets, links) is
data kept by people, so it gets the checks a person needs to fix it quickly: the file and
line of a syntax error, the file of a duplicate or dangling IRI, the entity whose evidence
quote is not where it says it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from graph.errors import BuildError
from graph.segment import normalise
from graph.textfile import read_text

PK = Namespace("https://leangen-kg.org/ontology#")
DEFAULT_BASE = "https://leangen-kg.org/id/"

# Links between commitments name commitments by source line, which only the build can
# resolve: graph/relations.py reads this file, not load_curated.
LINKS_FILE = "links.ttl"

ENTITY_CLASSES = (PK.Place, PK.Project, PK.Actor, PK.Instrument, PK.Target)
# Properties whose objects must be entities defined in some curated file.
REFERENCE_PROPERTIES = (PK.partOf, PK.locatedAt, PK.party)


@dataclass
class Curated:
    """All curated files merged, with where each entity was defined."""

    graph: Graph
    defined_in: dict[URIRef, Path] = field(default_factory=dict)

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
    """Parse one Turtle file; a missing or empty file, a byte that is not UTF-8 and a syntax error
    each name the file (and line)."""
    text, _ = read_text(path, "the Turtle file", missing="Check the path (or the --curated, --ontology, "
                        "--shapes option).")
    graph = Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    except (SyntaxError, ValueError) as exc:  # BadSyntax is a SyntaxError
        line = getattr(exc, "lines", None)
        message = str(exc).split("\n")[0:2]
        raise BuildError(
            f"malformed Turtle: {' '.join(m.strip() for m in message)}. Fix the syntax and build again.",
            path=path,
            line=line + 1 if isinstance(line, int) else None,
        ) from None
    return graph


def load_curated(folder: Path, source_lines: list[str]) -> Curated:
    """Merge every ``*.ttl`` in ``folder`` and check it against the source document.

    ``source_lines`` are the document's lines (index 0 is line 1) so that every evidence
    quote can be checked where it claims to stand.
    """
    files = sorted(p for p in folder.glob("*.ttl") if p.name != LINKS_FILE)
    if not files:
        raise BuildError("no curated Turtle files (*.ttl) found.", path=folder)
    merged = Graph()
    defined_in: dict[URIRef, Path] = {}
    for path in files:
        graph = parse_turtle(path)
        for cls in ENTITY_CLASSES:
            for entity in graph.subjects(RDF.type, cls):
                if not isinstance(entity, URIRef):
                    raise BuildError(f"an entity of class {cls} has no IRI (a blank node).", path=path)
                if entity in defined_in:
                    raise BuildError(
                        f"duplicate IRI <{entity}>: it is also defined in {defined_in[entity]}. "
                        "Give one of them another slug or merge them.",
                        path=path,
                    )
                defined_in[entity] = path
        merged += graph
    for prefix, ns in graph.namespaces():
        merged.bind(prefix, ns, override=False)

    _canonical_decimals(merged)
    curated = Curated(merged, defined_in)
    _check_references(curated)
    _check_evidence(curated, source_lines)
    return curated


def _canonical_decimals(graph: Graph) -> None:
    """Write every xsd:decimal as Turtle does ("55.0", not "55"), so that the Turtle, N-Triples
    and JSON-LD outputs hold the very same literal, not just the same value."""
    for s, p, o in list(graph):
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            lexical = str(o)
            if "." not in lexical and "e" not in lexical.lower():
                graph.remove((s, p, o))
                graph.add((s, p, Literal(lexical + ".0", datatype=XSD.decimal)))


def _check_references(curated: Curated) -> None:
    for prop in REFERENCE_PROPERTIES:
        for subject, target in curated.graph.subject_objects(prop):
            if target not in curated.defined_in:
                where = curated.defined_in.get(subject) if isinstance(subject, URIRef) else None
                raise BuildError(
                    f"<{subject}> refers with {prop.n3(curated.graph.namespace_manager)} to <{target}>, "
                    "which no curated file defines. Define it or correct the IRI.",
                    path=where,
                )


def _check_evidence(curated: Curated, source_lines: list[str]) -> None:
    g = curated.graph
    normalised = [normalise(line) for line in source_lines]
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
