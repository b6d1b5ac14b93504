"""Compare served triples with the published graph.nt term for term (issue 9: the endpoint serves exactly
what was published).

Triples are compared as pyoxigraph's N-Triples text, which keeps every datatype and lexical form:
rdflib would compare values ("300.0" and "300" are equal decimals) and hide exactly what is tested.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from graph.oxi import add_to
from store import QueryResult
from viewer.sparql_formats import to_oxigraph

CONSTRUCT_ALL = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def published_lines(nt_file: Path) -> set[str]:
    """The triples of a published N-Triples file, as pyoxigraph writes them."""
    return {str(t) for t in ox.parse(path=str(nt_file), format=ox.RdfFormat.N_TRIPLES)}


def served_lines(result: QueryResult) -> set[str]:
    """The triples of a CONSTRUCT result, as the endpoint serialises them."""
    return {str(ox.Triple(*map(to_oxigraph, triple))) for triple in result.triples}


def as_graph(lines: set[str]) -> Graph:
    """An rdflib graph of N-Triples lines, for the SHACL gate."""
    text = "".join(f"{line} .\n" for line in lines).encode("utf-8")
    return add_to(Graph(), ox.parse(text, format=ox.RdfFormat.N_TRIPLES))


def difference(published: set[str], served: set[str], shown: int = 5) -> str:
    """What a failing comparison prints: a few triples that changed, both ways."""
    lost, added = sorted(published - served), sorted(served - published)
    return (f"{len(lost)} published triples not served, {len(added)} served triples not published\n"
            + "\n".join(["published:"] + lost[:shown] + ["served:"] + added[:shown]))
