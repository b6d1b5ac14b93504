"""The endpoint through real clients over HTTP: SPARQLWrapper, rdflib's SPARQLStore, curl."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from sparql_support import LK, PK

SELECT = f"SELECT ?p ?label WHERE {{ ?p a <{PK}Place> ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }} ORDER BY ?p"
CONSTRUCT = f"CONSTRUCT {{ ?p <{PK}partOf> ?q }} WHERE {{ ?p <{PK}partOf> ?q }}"


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select(live_server, method, fmt):
    from SPARQLWrapper import CSV, GET, JSON, POST, TSV, XML, SPARQLWrapper

    sw = SPARQLWrapper(live_server.url + "/sparql")
    sw.setQuery(SELECT)
    sw.setMethod({"GET": GET, "POST": POST}[method])
    sw.setReturnFormat({"json": JSON, "xml": XML, "csv": CSV, "tsv": TSV}[fmt])
    res = sw.query()
    converted = res.convert()
    if fmt == "json":
        assert len(converted["results"]["bindings"]) == 5
    elif fmt == "xml":
        assert len(converted.getElementsByTagName("result")) == 5
    else:
        assert len(converted.decode().strip().splitlines()) == 6


def test_sparqlwrapper_ask(live_server):
    from SPARQLWrapper import JSON, SPARQLWrapper

    sw = SPARQLWrapper(live_server.url + "/sparql")
    sw.setQuery(f"ASK {{ <{LK}place/tiller> <{PK}partOf> <{LK}place/heimdal> }}")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True


@pytest.mark.parametrize("fmt", ["turtle", "xml", "json-ld", "n3"])
def test_sparqlwrapper_construct(live_server, fmt):
    import rdflib
    from SPARQLWrapper import JSONLD, N3, TURTLE, XML, SPARQLWrapper

    sw = SPARQLWrapper(live_server.url + "/sparql")
    sw.setQuery(CONSTRUCT)
    sw.setReturnFormat({"turtle": TURTLE, "xml": XML, "json-ld": JSONLD, "n3": N3}[fmt])
    out = sw.query().convert()
    g = out if isinstance(out, rdflib.Graph) else rdflib.Graph().parse(data=out, format="turtle")
    assert len(g) == 4


def test_sparqlwrapper_update_is_refused(live_server):
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    sw = SPARQLWrapper(live_server.url + "/sparql")
    sw.setMethod(POST)
    sw.setQuery(f"INSERT DATA {{ <{LK}x> <{LK}y> <{LK}z> }}")
    with pytest.raises((SPARQLWrapperException, Exception)):
        sw.query()


def test_sparqlwrapper_syntax_error(live_server):
    from SPARQLWrapper import SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    sw = SPARQLWrapper(live_server.url + "/sparql")
    sw.setQuery("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed):
        sw.query()


def test_rdflib_sparqlstore_select_and_construct(live_server):
    import rdflib
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(live_server.url + "/sparql", returnFormat="json")
    g = rdflib.Graph(store=store)
    rows = list(g.query(SELECT))
    assert len(rows) == 5
    assert {str(r.label) for r in rows} >= {"Heimdal", "Tiller", "Trondheim"}
    assert g.query(f"ASK {{ <{LK}place/heimdal> ?p ?o }}").askAnswer is True
    constructed = g.query(CONSTRUCT).graph
    assert len(constructed) == 4


def test_rdflib_sparqlstore_triples_and_len(live_server):
    import rdflib
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = rdflib.Graph(store=SPARQLStore(live_server.url + "/sparql"))
    heimdal = rdflib.URIRef(f"{LK}place/heimdal")
    labels = list(g.objects(heimdal, rdflib.SKOS.prefLabel))
    assert labels == [rdflib.Literal("Heimdal", lang="nb")]


def test_rdflib_sparqlstore_xml_default(live_server):
    import rdflib
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = rdflib.Graph(store=SPARQLStore(live_server.url + "/sparql"))  # XML results, RDF/XML graphs
    assert len(list(g.query(SELECT))) == 5
    assert len(g.query(CONSTRUCT).graph) == 4


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl(live_server):
    out = subprocess.run(
        ["curl", "-sS", "--fail", "-H", "Accept: application/sparql-results+json",
         "--data-urlencode", f"query={SELECT}", live_server.url + "/sparql"],
        capture_output=True, check=True, timeout=30)
    assert len(json.loads(out.stdout)["results"]["bindings"]) == 5
    out = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT",
                          live_server.url + "/sparql"], capture_output=True, check=True, timeout=30)
    assert out.stdout == b"405"


@pytest.mark.parametrize("fmt", ["xml", "json", "csv", "tsv"])
def test_rdflib_sparqlstore_reads_true_and_false_ask(live_server, fmt):
    """A false ASK is false in every format rdflib's SPARQLStore may ask for (CSV/TSV have no boolean)."""
    import rdflib
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = rdflib.Graph(store=SPARQLStore(live_server.url + "/sparql", returnFormat=fmt))
    assert g.query(f"ASK {{ <{LK}place/heimdal> ?p ?o }}").askAnswer is True
    assert g.query(f"ASK {{ <{LK}place/nowhere> ?p ?o }}").askAnswer is False
