"""Read a Turtle file so that every problem names the file and line: curated data and the ontology alike.

Why its own module: the vocabulary (``graph/vocab.py``) reads the ontology and the curated checks
(``graph/curated.py``) read the curated files, and both need the same file-and-line errors; the
curated checks also use the vocabulary, so the reader sits below both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph.errors import BuildError
from graph.memory import new_graph
from graph.oxi import add_to
from graph.textfile import read_text

# A statement that types its subject, written from the start of a line as the curated files do
# ("place:heimdal a pk:Place ;"): where an entity is defined.
_TYPED_SUBJECT = re.compile(r"^(<[^<>\s]*>|[A-Za-z][\w.-]*:[\w.-]*|:[\w.-]*)\s+(?:a|rdf:type)\s")


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
    graph = new_graph()
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
    graph = new_graph()
    for prefix, namespace in parser.prefixes.items():
        graph.bind(prefix, namespace)
    return add_to(graph, quads)
