"""What the endpoint says about itself and its data: the SPARQL service description (``GET /sparql``
without a query) and the VoID description (``/void``), as triples.

Both give the configured public URL for the endpoint (:func:`viewer.security.public_url`), never
the request's ``Host``, and counts that are computed once per app and store (:func:`store_stats`).
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from store import Store, Term
from viewer.security import public_url, served_prefixes

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
Triple = tuple[Term, Term, Term]


def _u(iri: str) -> Term:
    return Term("uri", iri)


def _lit(value: Any, datatype: str | None = None, lang: str | None = None) -> Term:
    return Term("literal", str(value), datatype, lang)


_INT = "http://www.w3.org/2001/XMLSchema#integer"
_RDF_TYPE = _u("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_VOID = "http://rdfs.org/ns/void#"


def store_stats(store: Store) -> dict[str, Any]:
    """Counts for the service description and VoID, computed once per app and store."""
    cache = current_app.config["SPARQL_CACHE"]
    if cache.get("stats_for") is store:
        return cache["stats"]
    q = store.query
    timeout = max(float(current_app.config["SPARQL_TIMEOUT"]), 10.0)

    def one(sparql: str) -> int:
        r = q(sparql, timeout=timeout, max_rows=10)
        return int(r.rows[0][0].value) if r.rows and r.rows[0][0] else 0

    stats = {
        "graphs": store.graphs(),
        "triples": one("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        "subjects": one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        "objects": one("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
        "properties": one("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"),
        "classes": q("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c",
                     timeout=timeout, max_rows=1000).rows,
        "property_counts": q("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p",
                             timeout=timeout, max_rows=1000).rows,
    }
    cache["stats"], cache["stats_for"] = stats, store
    return stats


def service_description(stats: dict[str, Any] | None) -> list[Triple]:
    """The endpoint as an ``sd:Service``: its limits, result formats and dataset, with the dataset's
    size when ``stats`` are known (a store that cannot answer still gets a service description)."""
    cfg = current_app.config
    endpoint = _u(public_url() + "sparql")  # configured, never the request's Host
    svc = Term("bnode", "service")
    t = [(svc, _RDF_TYPE, _u(SD + "Service")),
         (svc, _u(SD + "endpoint"), endpoint),
         (svc, _u(SD + "supportedLanguage"), _u(SD + "SPARQL11Query")),
         (svc, _u(SD + "feature"), _u(SD + "UnionDefaultGraph")),
         (svc, _u(SD + "defaultEntailmentRegime"), _u("http://www.w3.org/ns/entailment/Simple")),
         (svc, _u("http://www.w3.org/2000/01/rdf-schema#comment"), _lit(
             f"Read-only SPARQL 1.1 endpoint of Leangen KG. Every query runs under a time limit of "
             f"{cfg['SPARQL_TIMEOUT']:g} s and a row limit of {cfg['SPARQL_MAX_ROWS']} (a cut result carries "
             "the header X-SPARQL-Truncated: true). Updates and SERVICE are refused; FROM may only "
             "name graphs in this store.", lang="en"))]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        t.append((svc, _u(SD + "resultFormat"), _u(FORMATS + name)))
    ds = Term("bnode", "dataset")
    dg = Term("bnode", "defaultGraph")
    t += [(svc, _u(SD + "defaultDataset"), ds), (ds, _RDF_TYPE, _u(SD + "Dataset")),
          (ds, _u(SD + "defaultGraph"), dg), (dg, _RDF_TYPE, _u(SD + "Graph")),
          (svc, _u(_VOID + "inDataset"), _u(dataset_iri()))]
    if stats:
        t.append((dg, _u(_VOID + "triples"), _lit(stats["triples"], _INT)))
        for i, g in enumerate(stats["graphs"]):
            ng, gr = Term("bnode", f"named{i}"), Term("bnode", f"graph{i}")
            t += [(ds, _u(SD + "namedGraph"), ng), (ng, _RDF_TYPE, _u(SD + "NamedGraph")),
                  (ng, _u(SD + "name"), _u(g)), (ng, _u(SD + "graph"), gr), (gr, _RDF_TYPE, _u(SD + "Graph"))]
            if len(stats["graphs"]) == 1:
                t.append((gr, _u(_VOID + "triples"), _lit(stats["triples"], _INT)))
    return t


def dataset_iri() -> str:
    """The dataset's IRI, beside the graph IRI (``…/id/graph`` → ``…/id/dataset``)."""
    base = current_app.config["SPARQL_GRAPH_IRI"].rsplit("/", 1)[0]
    return base + "/dataset"


def catalogue(dist: Any) -> list[Triple]:
    """The build's DCAT description (``dist/dcat.ttl``, :mod:`graph.catalogue`) as this server
    publishes it: the dataset under this app's dataset IRI, the build's viewer address replaced by the
    configured public URL. Empty without the file (a remote store with no dist/)."""
    from pathlib import Path

    import rdflib

    from graph.catalogue import DATASET, NAME

    path = Path(dist or "") / NAME
    if not path.is_file():
        return []
    g = rdflib.Graph().parse(path, format="turtle")
    landing = str(next(g.objects(DATASET, rdflib.URIRef("http://www.w3.org/ns/dcat#landingPage")), ""))

    def term(node: Any) -> Term:
        if isinstance(node, rdflib.BNode):
            return Term("bnode", str(node))
        if isinstance(node, rdflib.Literal):
            return _lit(node, str(node.datatype) if node.datatype else None, node.language)
        text = dataset_iri() if node == DATASET else str(node)
        return _u(public_url() + text[len(landing):] if landing and text.startswith(landing) else text)

    return [(term(s), term(p), term(o)) for s, p, o in g]


def void_description(stats: dict[str, Any]) -> list[Triple]:
    """The VoID description of the dataset (counts, classes, properties, endpoint)."""
    d = _u(dataset_iri())
    t = [(d, _RDF_TYPE, _u(_VOID + "Dataset")),
         (d, _u("http://purl.org/dc/terms/title"), _lit("Leangen KG", lang="en")),
         (d, _u("http://purl.org/dc/terms/description"), _lit(
             "Knowledge graph of Trondheim's city-government platform Leangen-erklæringen 2024–2027: "
             "policy areas, topics, commitments, places, projects, actors, instruments and targets.",
             lang="en")),
         (d, _u("http://purl.org/dc/terms/license"), _u("https://creativecommons.org/licenses/by/4.0/")),
         (d, _u(_VOID + "sparqlEndpoint"), _u(public_url() + "sparql")),
         (d, _u(_VOID + "uriSpace"), _lit(served_prefixes()["lk"])),
         (d, _u(_VOID + "triples"), _lit(stats["triples"], _INT)),
         (d, _u(_VOID + "distinctSubjects"), _lit(stats["subjects"], _INT)),
         (d, _u(_VOID + "distinctObjects"), _lit(stats["objects"], _INT)),
         (d, _u(_VOID + "properties"), _lit(stats["properties"], _INT)),
         (d, _u(_VOID + "classes"), _lit(len(stats["classes"]), _INT))]
    for p in ("pk", "skos", "dcterms", "prov", "geo", "rdfs", "schema", "org"):
        t.append((d, _u(_VOID + "vocabulary"), _u(served_prefixes()[p])))
    for i, (cls, n) in enumerate(stats["classes"]):
        part = Term("bnode", f"class{i}")
        t += [(d, _u(_VOID + "classPartition"), part), (part, _u(_VOID + "class"), cls),
              (part, _u(_VOID + "entities"), _lit(n.value, _INT))]
    for i, (prop, n) in enumerate(stats["property_counts"]):
        part = Term("bnode", f"prop{i}")
        t += [(d, _u(_VOID + "propertyPartition"), part), (part, _u(_VOID + "property"), prop),
              (part, _u(_VOID + "triples"), _lit(n.value, _INT))]
    return t
