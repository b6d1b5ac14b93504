"""The in-memory rdflib graphs the build reads into and assembles.

Why not ``Graph()``: rdflib's default store keeps an index per named graph for datasets, which the
build never has; its ``SimpleMemory`` store keeps the triples only, and assembling got a fifth faster
(``benchmarks/build.py``).
"""

from __future__ import annotations

from rdflib import Graph


def new_graph() -> Graph:
    """An empty graph on rdflib's triples-only memory store."""
    return Graph(store="SimpleMemory")
