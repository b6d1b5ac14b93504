"""rdflib terms ⇄ pyoxigraph terms, so the assembled graph is converted once and shared by the stages.

The build assembles in rdflib (its model is what the other modules speak); the SHACL gate and the
writers run on pyoxigraph, which is 10–100× faster at querying and serialising. Converting is a
dictionary look-up per term, so it costs a few percent of a parse.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


class Converter:
    """Converts terms both ways, remembering each term so a repeated IRI is built once."""

    def __init__(self) -> None:
        self._to_ox: dict[Node, OxTerm] = {}
        self._datatypes: dict[str, ox.NamedNode] = {}
        self._to_rdflib: dict[OxTerm, Node] = {}

    def to_ox(self, term: Node) -> OxTerm:
        cached = self._to_ox.get(term)
        if cached is not None:
            return cached
        if isinstance(term, URIRef):
            made: OxTerm = ox.NamedNode(str(term))
        elif isinstance(term, BNode):
            made = ox.BlankNode(str(term))
        elif isinstance(term, Literal):
            made = self._literal(term)
        else:
            raise TypeError(f"cannot convert {term!r} (a {type(term).__name__}) to an RDF term")
        self._to_ox[term] = made
        return made

    def _literal(self, term: Literal) -> ox.Literal:
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is None:
            return ox.Literal(str(term))
        key = str(term.datatype)
        datatype = self._datatypes.get(key) or self._datatypes.setdefault(key, ox.NamedNode(key))
        return ox.Literal(str(term), datatype=datatype)

    def to_rdflib(self, term: OxTerm) -> Node:
        """:func:`to_rdflib`, remembering each term (a parsed file names the same IRIs many times)."""
        cached = self._to_rdflib.get(term)
        if cached is None:
            cached = self._to_rdflib[term] = to_rdflib(term)
        return cached

    def triples(self, graph: Graph) -> list[ox.Triple]:
        """Every triple of ``graph`` as a pyoxigraph triple (in the store's order)."""
        to_ox = self.to_ox
        return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph]


def to_rdflib(term: OxTerm) -> Node:
    """A pyoxigraph term as the rdflib term with the same identity (blank node ids are kept)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


def add_to(graph: Graph, triples: Iterable[ox.Triple | ox.Quad]) -> Graph:
    """``graph`` with ``triples`` (from a pyoxigraph parse or store) added as rdflib terms, each term made once."""
    term = Converter().to_rdflib
    graph.addN((term(t.subject), term(t.predicate), term(t.object), graph) for t in triples)
    return graph


def store_of(triples: Iterable[ox.Triple]) -> ox.Store:
    """An in-memory store holding ``triples`` in its default graph."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    return store


class TripleIndex:
    """pyoxigraph triples read through the few rdflib ``Graph`` methods the SHACL gate uses
    (``subjects``, ``objects``, ``subject_objects``), answering in rdflib terms.

    Why: the gate checks datatypes and lexical forms on the terms as written, which the Oxigraph
    store does not keep (it stores numbers canonically), so it reads them from a graph; on a 100×
    graph (1.5M triples) building an rdflib graph for that took minutes and gigabytes. This indexes
    the triples by predicate once and converts to rdflib only the terms a look-up returns.
    """

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self._by_predicate: dict[str, list[ox.Triple]] = {}
        for t in triples:
            self._by_predicate.setdefault(t.predicate.value, []).append(t)
        self._pairs: dict[str, list[tuple[Node, Node]]] = {}
        self._keyed: dict[tuple[str, int], dict[Node, list[Node]]] = {}
        self._term = Converter().to_rdflib

    def subject_objects(self, predicate: Node) -> list[tuple[Node, Node]]:
        """Every (subject, object) of ``predicate``, as rdflib terms."""
        key = str(predicate)
        if key not in self._pairs:
            term = self._term
            self._pairs[key] = [(term(t.subject), term(t.object)) for t in self._by_predicate.get(key, ())]
        return self._pairs[key]

    def subjects(self, predicate: Node, obj: Node) -> list[Node]:
        return self._lookup(predicate, 1).get(obj, [])

    def objects(self, subject: Node, predicate: Node) -> list[Node]:
        return self._lookup(predicate, 0).get(subject, [])

    def _lookup(self, predicate: Node, by: int) -> dict[Node, list[Node]]:
        """``predicate``'s pairs keyed by subject (``by`` 0) or object (1), built on first use."""
        key = (str(predicate), by)
        if key not in self._keyed:
            keyed: dict[Node, list[Node]] = {}
            for pair in self.subject_objects(predicate):
                keyed.setdefault(pair[by], []).append(pair[1 - by])
            self._keyed[key] = keyed
        return self._keyed[key]
