"""The SHACL gate on a graph given as pyoxigraph triples (graph/oxi.py TripleIndex), as the 100×
benchmark runs it: it must find exactly what the gate finds on the rdflib graph, on the valid
fixture and on every broken one, or a large graph could pass a gate that the real build would fail."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from graph.oxi import Converter, TripleIndex, store_of
from graph.shacl_sparql import Compiler
from graph.validate import load_shapes

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
CASES = ["valid", *sorted(p.stem for p in FIXTURES.glob("*.ru"))]


def _graph(name: str) -> Graph:
    graph = Graph().parse(FIXTURES / "valid.ttl", format="turtle")
    if name != "valid":
        graph.update((FIXTURES / f"{name}.ru").read_text(encoding="utf-8"))
    return graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.mark.parametrize("name", CASES)
def test_gate_on_triples_finds_what_the_gate_on_rdflib_finds(shapes: Graph, name: str) -> None:
    graph = _graph(name)
    triples = Converter().triples(graph)
    store = store_of(triples)
    on_rdflib = sorted(map(repr, Compiler(shapes, store, graph).run()))
    on_triples = sorted(map(repr, Compiler(shapes, store, TripleIndex(triples)).run()))
    assert on_triples == on_rdflib
    assert bool(on_rdflib) == (name != "valid")  # each broken fixture is caught, so the comparison says something
