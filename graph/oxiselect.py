"""SPARQL SELECTs on the built graph during the build, with pyoxigraph's engine.

Why: the network model (:mod:`graph.network_model`) is defined by SPARQL queries so that the
viewer can compute it from any store; the build runs the same queries on the N-Triples it is
about to publish, loaded into an in-memory Oxigraph store (rdflib's own engine took about 2 s of
the build for them). Rows come back as plain values the way the viewer's ``kg.select`` gives them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

INTEGERS = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
DECIMALS = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in ("decimal", "double", "float")}


def plain(term: Any) -> Any:
    """IRIs and text as ``str``, integers as ``int``, other numbers as ``float``, unbound as None."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype is not None else ""
        try:
            if datatype in INTEGERS:
                return int(term.value)
            if datatype in DECIMALS:
                value = float(term.value)
                return int(value) if datatype.endswith("decimal") and value.is_integer() else value
        except ValueError:
            return term.value
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


class NTriplesSelect:
    """A ``select`` function (see :data:`graph.network_model.Select`) over an N-Triples file."""

    def __init__(self, path: Path) -> None:
        self.store = ox.Store()
        self.store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)

    def __call__(self, sparql: str) -> list[dict[str, Any]]:
        solutions = self.store.query(sparql)
        names = [v.value for v in solutions.variables]
        return [{n: plain(sol[n]) for n in names} for sol in solutions]
