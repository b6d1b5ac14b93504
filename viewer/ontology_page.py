"""The ontology's own page: ``/ontology`` documents every class, property and SKOS scheme of ``pk:``.

The ontology is a hash namespace (``pk:Commitment`` is ``…/ontology#Commitment``), so dereferencing
any term fetches this one document, and every term has an anchor on it. The page is generated from
the ontology as loaded in the store (its rdfs:label / rdfs:comment / skos:definition in nb and en),
so it cannot drift from the vocabulary the endpoint serves; the same triples answer as Turtle,
N-Triples, JSON-LD or RDF/XML.
"""

from __future__ import annotations

from typing import Any

import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, Literal, URIRef

from graph import vocab
from graph.vocab import PK
from store import PREFIXES
from viewer import i18n, kg

ENTITY_PREFIXES = tuple(vocab.entity_path(c) for c in vocab.CURATED_CLASSES)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
UI = {  # this page's own words (nb, en)
    "classes": ("Klasser", "Classes"),
    "properties": ("Egenskaper", "Properties"),
    "schemes": ("Begrepsskjemaer (SKOS)", "Concept schemes (SKOS)"),
    "property": ("Egenskap", "Property"),
    "range": ("Verdiområde", "Range"),
    "domain": ("Domene", "Domain"),
    "subclass_of": ("Underklasse av", "Subclass of"),
    "subproperty_of": ("Underegenskap av", "Subproperty of"),
    "see_also": ("Se også", "See also"),
    "characteristics": ("Kjennetegn", "Characteristics"),
    "used_by": ("Egenskaper med denne klassen som domene", "Properties with this class as domain"),
    "no_domain": ("Egenskaper uten domene", "Properties without a domain"),
    "concept": ("Begrep", "Concept"),
    "cues": ("Stikkord", "Cues"),
    "namespace": ("Navnerom", "Namespace"),
}


def ui(key: str) -> str:
    """A word of this page in the reader's language."""
    nb, en = UI[key]
    return en if i18n.lang() == "en" else nb


def ontology_graph() -> rdflib.Graph:
    """The ontology's triples as the store holds them (every subject in ``pk:``, and the ontology IRI)."""
    rows = kg.select_terms(
        "SELECT ?s ?p ?o WHERE {\n  ?s ?p ?o .\n"
        f'  FILTER(STRSTARTS(STR(?s), "{kg.PK}") || ?s = <{kg.ONTOLOGY}>)\n}}')
    graph = rdflib.Graph()
    graph.bind("pk", kg.PK)
    for prefix, ns in (("skos", SKOS), ("owl", OWL), ("dcterms", "http://purl.org/dc/terms/"),
                       ("prov", "http://www.w3.org/ns/prov#"), ("geo", "http://www.opengis.net/ont/geosparql#"),
                       ("schema", "https://schema.org/"), ("org", "http://www.w3.org/ns/org#"),
                       ("vann", "http://purl.org/vocab/vann/")):
        graph.bind(prefix, ns)
    for r in rows:
        graph.add((r["s"], r["p"], r["o"]))
    return graph


def _texts(graph: rdflib.Graph, term: URIRef, *predicates: URIRef) -> dict[str, str]:
    """The first value per language of the given predicates (``{"nb": …, "en": …}``)."""
    out: dict[str, str] = {}
    for p in predicates:
        for value in sorted(graph.objects(term, p), key=str):
            if isinstance(value, Literal) and (value.language or "") not in out:
                out[value.language or ""] = str(value)
    return out


def _term(graph: rdflib.Graph, term: URIRef) -> dict[str, Any]:
    """One term for the template: anchor, labels and comments in nb/en, and its links."""
    def iris(p: URIRef) -> list[str]:
        return sorted(str(o) for o in graph.objects(term, p) if isinstance(o, URIRef))

    return {
        "iri": str(term), "anchor": str(term)[len(kg.PK):] if str(term).startswith(kg.PK) else "",
        "label": _texts(graph, term, RDFS.label, SKOS.prefLabel),
        "comment": _texts(graph, term, RDFS.comment, SKOS.definition),
        "types": iris(RDF.type), "domain": iris(RDFS.domain), "range": iris(RDFS.range),
        "parents": iris(RDFS.subClassOf) + iris(RDFS.subPropertyOf), "see_also": iris(RDFS.seeAlso),
        "cues": sorted(str(c) for c in graph.objects(term, PK.cue)),
    }


def _sorted_terms(graph: rdflib.Graph, types: tuple[URIRef, ...]) -> list[dict[str, Any]]:
    subjects = {s for t in types for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef)}
    return sorted((_term(graph, s) for s in subjects), key=lambda t: t["anchor"].lower())


def ontology_model(graph: rdflib.Graph) -> dict[str, Any]:
    """Classes with the properties whose domain they are, all properties, and the SKOS schemes."""
    classes = _sorted_terms(graph, (OWL.Class,))
    properties = _sorted_terms(graph, PROPERTY_TYPES)
    for c in classes:
        c["properties"] = [p for p in properties if c["iri"] in p["domain"]]
    schemes = _sorted_terms(graph, (SKOS.ConceptScheme,))
    for s in schemes:
        members = {c for c in graph.subjects(SKOS.inScheme, URIRef(s["iri"])) if isinstance(c, URIRef)}
        s["concepts"] = sorted((_term(graph, c) for c in members), key=lambda t: t["anchor"].lower())
    return {
        "ontology": _term(graph, URIRef(kg.ONTOLOGY)),
        "classes": classes,
        "properties": properties,
        "no_domain": [p for p in properties if not p["domain"]],
        "schemes": schemes,
    }


def cached_graph() -> rdflib.Graph:
    """:func:`ontology_graph`, asked once per app (the graph is read-only)."""
    return kg.cached("ontology-graph", ontology_graph)


def curie(iri: str) -> str:
    """``pk:Commitment``, ``xsd:gYear``: the prefixed name of an IRI in our prefixes, else the IRI."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and prefix not in ("lk", *ENTITY_PREFIXES):
            return prefix + ":" + iri[len(ns):]
    return iri


def context() -> dict[str, Any]:
    """What ``ontology.html`` needs: the model, this page's words, prefixed names."""
    model = kg.cached("ontology-model", lambda: ontology_model(cached_graph()))
    return {**model, "ui": ui, "curie": curie, "namespace": kg.PK}
