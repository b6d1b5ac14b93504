"""SPARQL 1.1 Protocol: one test per rule the endpoint honours."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import urlencode

import pytest
from sparql_support import LK, PK

SELECT = f"SELECT ?p WHERE {{ ?p a <{PK}Place> }} ORDER BY ?p"
ASK = f"ASK {{ <{LK}place/heimdal> <{PK}partOf> <{LK}place/trondheim> }}"
CONSTRUCT = f"CONSTRUCT {{ ?p <{PK}partOf> ?q }} WHERE {{ ?p <{PK}partOf> ?q }}"
N_PLACES = 5


def places(resp) -> list[str]:
    data = json.loads(resp.data)
    return [b["p"]["value"] for b in data["results"]["bindings"]]


# --- 2.1 query operation: the three ways to send a query -------------------------------------

def test_query_via_get(client):
    r = client.get("/sparql", query_string={"query": SELECT})
    assert r.status_code == 200
    assert len(places(r)) == N_PLACES


def test_query_via_urlencoded_post(client):
    r = client.post("/sparql", data={"query": SELECT})
    assert r.status_code == 200
    assert len(places(r)) == N_PLACES


def test_query_via_post_directly(client):
    r = client.post("/sparql", data=SELECT.encode(), content_type="application/sparql-query")
    assert r.status_code == 200
    assert len(places(r)) == N_PLACES


def test_post_directly_with_charset(client):
    r = client.post("/sparql", data=SELECT.encode(), content_type="application/sparql-query; charset=utf-8")
    assert r.status_code == 200


def test_head_is_answered_like_get(client):
    r = client.head("/sparql", query_string={"query": ASK})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/sparql-results+json")


# --- result formats by Accept ----------------------------------------------------------------

@pytest.mark.parametrize("accept,ctype", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/xml", "application/xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_select_formats_by_accept(client, accept, ctype):
    r = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == ctype


def test_select_json_is_sparql_results_json(client):
    r = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "application/sparql-results+json"})
    data = json.loads(r.data)
    assert data["head"]["vars"] == ["p"]
    assert data["results"]["bindings"][0]["p"]["type"] == "uri"


def test_select_xml_is_sparql_results_xml(client):
    import xml.etree.ElementTree as ET

    r = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "application/sparql-results+xml"})
    root = ET.fromstring(r.data)
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert root.tag == ns + "sparql"
    assert len(root.findall(f"{ns}results/{ns}result")) == N_PLACES


def test_select_csv_has_header_and_rows(client):
    r = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(r.data.decode())))
    assert rows[0] == ["p"]
    assert len(rows) == N_PLACES + 1
    assert rows[1][0].startswith(LK)


def test_select_tsv_uses_term_syntax(client):
    r = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "text/tab-separated-values"})
    lines = r.data.decode().splitlines()
    assert lines[0] == "?p"
    assert lines[1].startswith(f"<{LK}")


def test_literals_keep_language_and_datatype(client):
    q = f'SELECT ?l ?o WHERE {{ <{LK}place/heimdal> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l . ' \
        f'<{LK}area/miljo-naering-samferdsel> <{PK}ordinal> ?o }}'
    data = json.loads(client.get("/sparql", query_string={"query": q}).data)
    b = data["results"]["bindings"][0]
    assert b["l"] == {"type": "literal", "value": "Heimdal", "xml:lang": "nb"}
    assert b["o"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


def test_ask_json(client):
    r = client.get("/sparql", query_string={"query": ASK})
    assert json.loads(r.data) == {"head": {}, "boolean": True}


def test_ask_xml(client):
    r = client.get("/sparql", query_string={"query": ASK}, headers={"Accept": "application/sparql-results+xml"})
    assert b"<boolean>true</boolean>" in r.data


@pytest.mark.parametrize("accept,ctype,marker", [
    ("text/turtle", "text/turtle", b"pk:partOf"),
    ("application/n-triples", "application/n-triples", f"<{PK}partOf>".encode()),
    ("application/ld+json", "application/ld+json", b"@id"),
    ("application/rdf+xml", "application/rdf+xml", b"rdf:RDF"),
])
def test_construct_formats_by_accept(client, accept, ctype, marker):
    r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == ctype
    assert marker in r.data


def test_construct_parses_back_to_the_same_graph(client):
    import rdflib

    for fmt in ("turtle", "nt", "json-ld", "xml"):
        mt = {"turtle": "text/turtle", "nt": "application/n-triples", "json-ld": "application/ld+json",
              "xml": "application/rdf+xml"}[fmt]
        r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": mt})
        g = rdflib.Graph().parse(data=r.data, format=fmt)
        assert len(g) == 4, fmt


def test_describe_returns_rdf(client):
    r = client.get("/sparql", query_string={"query": f"DESCRIBE <{LK}place/heimdal>"},
                   headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert b"Heimdal" in r.data


def test_default_format_without_accept(client):
    r = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": ""})
    assert r.headers["Content-Type"].startswith("application/sparql-results+json")
    r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "*/*"})
    assert r.headers["Content-Type"].startswith("text/turtle")


def test_accept_quality_values_are_honoured(client):
    r = client.get("/sparql", query_string={"query": SELECT},
                   headers={"Accept": "application/sparql-results+json;q=0.5, text/csv"})
    assert r.headers["Content-Type"].startswith("text/csv")


def test_accept_that_cannot_carry_the_result_gets_the_default_format(client):
    r = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/sparql-results+json")
    r = client.get("/sparql", query_string={"query": CONSTRUCT},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.headers["Content-Type"].startswith("text/turtle")


@pytest.mark.parametrize("fmt,ctype", [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"), ("text/csv", "text/csv"),
])
def test_format_parameter_overrides_accept_for_select(client, fmt, ctype):
    r = client.get("/sparql", query_string={"query": SELECT, "format": fmt}, headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == ctype


@pytest.mark.parametrize("fmt,ctype", [
    ("turtle", "text/turtle"), ("nt", "application/n-triples"), ("jsonld", "application/ld+json"),
    ("json", "application/ld+json"), ("xml", "application/rdf+xml"),
])
def test_format_parameter_for_construct(client, fmt, ctype):
    r = client.get("/sparql", query_string={"query": CONSTRUCT, "format": fmt})
    assert r.headers["Content-Type"].split(";")[0] == ctype


def test_format_that_does_not_fit_the_result_is_406(client):
    r = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "csv"})
    assert r.status_code == 406
    assert b"does not apply" in r.data


# --- errors ------------------------------------------------------------------------------------

def test_syntax_error_is_400_with_line_and_column(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert r.status_code == 400
    body = r.data.decode()
    assert "syntax error" in body
    assert "at line 3, column" in body and "\n" not in body.strip()


@pytest.mark.parametrize("query", [
    # what the fuzzer made of an example: FILTER followed by a prefixed name reads as a call of pk:
    "PREFIX pk: <https://leangen-kg.org/ontology#> SELECT * WHERE { ?s ?p ?o FILTERpk: (STR(?s) < STR(?o)) }",
    "SELECT * WHERE { ?s ?p ?o BIND(<http://example.org/f>(?o) AS ?x) }",
])
def test_a_function_the_engine_does_not_have_is_400_naming_it(client, query):
    """The query parses, but Oxigraph has no such function and refuses to plan it: a client error
    naming the function, not a 500 (and the worker stays up for the next query)."""
    r = client.get("/sparql", query_string={"query": query})
    assert r.status_code == 400, r.data
    body = r.data.decode()
    assert re.search(r"<https://leangen-kg\.org/ontology#>|<http://example\.org/f>", body)
    assert "no such function" in body and "RuntimeError" not in body
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_syntax_error_from_the_full_parser_names_line_and_column(client):
    # contains "from", so it goes through rdflib's parser
    r = client.get("/sparql", query_string={"query": "SELECT * FROM <x:y> WHERE {\n ?s ?p }"})
    assert r.status_code == 400
    assert "line:2" in r.data.decode()


def test_two_query_parameters_is_400(client):
    r = client.get("/sparql?" + urlencode([("query", ASK), ("query", ASK)]))
    assert r.status_code == 400
    r = client.post("/sparql", data=urlencode([("query", ASK), ("query", ASK)]),
                    content_type="application/x-www-form-urlencoded")
    assert r.status_code == 400


def test_query_in_body_and_url_is_400(client):
    r = client.post("/sparql?" + urlencode({"query": ASK}), data=ASK.encode(),
                    content_type="application/sparql-query")
    assert r.status_code == 400


def test_post_without_content_type_is_415(client):
    r = client.post("/sparql", data=ASK.encode(), headers={"Content-Type": ""})
    assert r.status_code == 415
    assert b"Content-Type" in r.data


def test_post_with_wrong_content_type_is_415(client):
    r = client.post("/sparql", data=ASK.encode(), content_type="text/plain")
    assert r.status_code == 415


def test_post_form_without_query_is_400(client):
    r = client.post("/sparql", data={"format": "json"})
    assert r.status_code == 400


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(client, method):
    r = client.open("/sparql", method=method, data=ASK)
    assert r.status_code == 405
    assert "POST" in r.headers["Allow"]
    assert r.data.strip()


def test_unknown_default_graph_uri_is_400(client):
    r = client.get("/sparql", query_string={"query": ASK, "default-graph-uri": "http://example.org/other"})
    assert r.status_code == 400
    assert b"not in this store" in r.data


def test_default_graph_uri_of_our_graph(client, sparql_store):
    g = sparql_store.graphs()[0]
    r = client.get("/sparql", query_string={"query": SELECT, "default-graph-uri": g})
    assert r.status_code == 200
    assert len(places(r)) == N_PLACES


def test_named_graph_uri_of_our_graph(client, sparql_store):
    g = sparql_store.graphs()[0]
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get("/sparql", query_string={"query": q, "named-graph-uri": g})
    assert r.status_code == 200
    assert [b["g"]["value"] for b in json.loads(r.data)["results"]["bindings"]] == [g]


def test_from_our_graph_is_allowed(client, sparql_store):
    g = sparql_store.graphs()[0]
    r = client.get("/sparql", query_string={"query": f"SELECT ?p FROM <{g}> WHERE {{ ?p a <{PK}Place> }}"})
    assert r.status_code == 200
    assert len(places(r)) == N_PLACES


# --- service description, VoID, editor, CORS ---------------------------------------------------

def test_service_description_for_rdf_clients(client):
    import rdflib

    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.data, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    svc = next(g.subjects(rdflib.RDF.type, sd.Service))
    assert (svc, sd.supportedLanguage, sd.SPARQL11Query) in g
    assert str(g.value(svc, sd.endpoint)).endswith("/sparql")
    assert (None, sd.name, rdflib.URIRef(g_iri := "https://leangen-kg.org/id/graph")) in g, g_iri


def test_service_description_without_accept(client):
    r = client.get("/sparql", headers={"Accept": "*/*"})
    assert r.headers["Content-Type"].startswith("text/turtle")


def test_browser_gets_the_editor(client):
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    html = r.data.decode()
    assert "vendor/yasgui/yasgui.min.js" in html
    assert "cdn" not in html.lower()


def test_void_description(client):
    import rdflib

    for path in ("/void", "/.well-known/void"):
        r = client.get(path, headers={"Accept": "text/turtle"})
        assert r.status_code == 200
        g = rdflib.Graph().parse(data=r.data, format="turtle")
        void = rdflib.Namespace("http://rdfs.org/ns/void#")
        ds = next(g.subjects(rdflib.RDF.type, void.Dataset))
        assert int(g.value(ds, void.triples)) == 134
        assert str(g.value(ds, void.sparqlEndpoint)).endswith("/sparql")
        classes = {str(g.value(p, void["class"])) for p in g.objects(ds, void.classPartition)}
        assert PK + "Commitment" in classes


def test_cors_on_answers(client):
    r = client.get("/sparql", query_string={"query": ASK}, headers={"Origin": "https://example.org"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-SPARQL-Truncated" in r.headers["Access-Control-Expose-Headers"]


def test_cors_preflight(client):
    r = client.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST",
                                            "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    assert "content-type" in r.headers["Access-Control-Allow-Headers"].lower()


def test_cors_on_errors_too(client):
    r = client.get("/sparql", query_string={"query": "SELECT"}, headers={"Origin": "https://example.org"})
    assert r.status_code == 400
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_limits_are_announced(client):
    r = client.get("/sparql", query_string={"query": ASK})
    assert r.headers["X-SPARQL-Row-Limit"] == "50"
    assert r.headers["X-SPARQL-Truncated"] == "false"


def test_queries_page_lists_examples_with_run_links(client):
    from viewer.sparql_queries import load_queries

    r = client.get("/queries")
    assert r.status_code == 200
    html = r.data.decode()
    for q in load_queries():
        assert q.title.replace("'", "&#39;") in html
        assert f"#example={q.name}" in html
    r = client.get(f"/queries/{load_queries()[0].name}.rq")
    assert r.status_code == 200
    assert b"SELECT" in r.data


# --- W3C SPARQL 1.1 Protocol test suite (protocol/manifest.ttl): the corners ---------------------

def _graph_of(resp, fmt: str = "turtle"):
    import rdflib

    return rdflib.Graph().parse(data=resp.data, format=fmt)


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/rdf+xml", "xml"),
                                        ("application/n-triples", "nt")])
def test_query_content_type_construct(client, sparql_app, accept, fmt):
    """W3C `query_content_type_construct`: relative IRIs resolve against the endpoint's public URL."""
    from urllib.parse import urljoin

    import rdflib

    r = client.get("/sparql", query_string={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                   headers={"Accept": accept, "Host": "attacker.example"})
    assert r.status_code == 200, r.data
    assert r.headers["Content-Type"].split(";")[0] == accept
    endpoint = sparql_app.config["PUBLIC_URL"] + "sparql"
    assert set(_graph_of(r, fmt)) == {(rdflib.URIRef(urljoin(endpoint, "s")), rdflib.URIRef(urljoin(endpoint, "p")),
                                       rdflib.Literal(1))}


@pytest.fixture(name="client_at_data_base")
def client_at_data_base_fixture(sparql_store):
    """An endpoint published under the data's own base, so relative IRIs in a query name our data."""
    from viewer.app import create_app

    app = create_app({"STORE": sparql_store, "PUBLIC_URL": LK, "TESTING": True})
    return app.test_client()


def test_relative_from_is_resolved_by_the_check_as_by_the_engine(client_at_data_base):
    # <graph> is our graph only once resolved against the endpoint (…/id/sparql): the safety check
    # (rdflib) must resolve it as the engine does, or it refuses a graph the store has
    r = client_at_data_base.get("/sparql", query_string={"query": f"SELECT ?p FROM <graph> WHERE {{ ?p a <{PK}Place> }}"})
    assert r.status_code == 200, r.data
    assert len(places(r)) == N_PLACES


def test_relative_base_in_the_query_resolves_against_the_endpoint(client_at_data_base):
    q = "BASE <place/> ASK { <heimdal> ?p ?o }"
    assert json.loads(client_at_data_base.get("/sparql", query_string={"query": q}).data)["boolean"] is True
    q = f"BASE <place/> SELECT ?p FROM <../graph> WHERE {{ ?p <{PK}partOf> <trondheim> }}"
    r = client_at_data_base.get("/sparql", query_string={"query": q})
    assert r.status_code == 200, r.data
    assert f"{LK}place/heimdal" in places(r)


def test_relative_from_outside_the_store_names_the_resolved_graph(client, sparql_app):
    r = client.get("/sparql", query_string={"query": "SELECT * FROM <other> WHERE { ?s ?p ?o }"})
    assert r.status_code == 400
    assert f"<{sparql_app.config['PUBLIC_URL']}other>" in r.data.decode()


@pytest.mark.parametrize("how", ["utf16-charset", "latin1-body", "form", "get"])
def test_bad_query_non_utf8(client, how):
    """W3C `bad_query_non_utf8`: a query not in UTF-8 is a 400 that says UTF-8 is required."""
    q = 'ASK { ?s ?p "blåbær" }'
    if how == "utf16-charset":
        r = client.post("/sparql", data=q.encode("utf-16"), content_type="application/sparql-query; charset=UTF-16")
    elif how == "latin1-body":
        r = client.post("/sparql", data=q.encode("latin-1"), content_type="application/sparql-query")
    elif how == "form":
        r = client.post("/sparql", data="query=" + quote_bytes(q.encode("latin-1")),
                        content_type="application/x-www-form-urlencoded")
    else:
        r = client.get("/sparql?query=" + quote_bytes(q.encode("latin-1")))
    assert r.status_code == 400
    assert "UTF-8" in r.data.decode()


def quote_bytes(data: bytes) -> str:
    from urllib.parse import quote

    return quote(data, safe="")


@pytest.mark.parametrize("ctype", ["application/sparql-query; charset=utf-8", "application/sparql-query",
                                   "application/x-www-form-urlencoded; charset=UTF-8"])
def test_query_post_utf8_is_read_as_utf8(client, ctype):
    """The positive control of `bad_query_non_utf8` (W3C `query_post_form`, `query_post_direct`)."""
    q = 'SELECT ?x WHERE { BIND("blåbær ø" AS ?x) }'
    body = ("query=" + quote_bytes(q.encode())) if "form" in ctype else q.encode()
    r = client.post("/sparql", data=body, content_type=ctype)
    assert r.status_code == 200, r.data
    assert json.loads(r.data)["results"]["bindings"][0]["x"]["value"] == "blåbær ø"


ASK_NAMED = "ASK { GRAPH ?g { ?s ?p ?o } }"
ASK_DEFAULT = "ASK { ?s ?p ?o }"


def _ask(client, query: str, **dataset: str) -> bool:
    r = client.get("/sparql", query_string={"query": query, **{k.replace("_", "-"): v for k, v in dataset.items()}})
    assert r.status_code == 200, r.data
    return json.loads(r.data)["boolean"]


def test_query_dataset_default_graph(client, sparql_store):
    """W3C `query_dataset_default_graph(s)`: with only default-graph-uri, there are no named graphs."""
    g = sparql_store.graphs()[0]
    assert _ask(client, ASK_DEFAULT, default_graph_uri=g) is True
    assert _ask(client, ASK_NAMED, default_graph_uri=g) is False


def test_query_dataset_named_graphs(client, sparql_store):
    """W3C `query_dataset_named_graphs_get/post`: with only named-graph-uri, the default graph is empty."""
    g = sparql_store.graphs()[0]
    assert _ask(client, ASK_NAMED, named_graph_uri=g) is True
    assert _ask(client, ASK_DEFAULT, named_graph_uri=g) is False


def test_query_dataset_full(client, sparql_store):
    """W3C `query_dataset_full`: default and named graphs from the protocol together."""
    g = sparql_store.graphs()[0]
    assert _ask(client, f"ASK {{ ?x ?y ?z GRAPH <{g}> {{ ?s ?p ?o }} }}", default_graph_uri=g, named_graph_uri=g)


def test_query_multiple_dataset(client, sparql_store):
    """W3C `query_multiple_dataset`: the protocol's dataset replaces the query's FROM / FROM NAMED."""
    g = sparql_store.graphs()[0]
    assert _ask(client, f"ASK FROM <{g}> {{ GRAPH ?g {{ ?s ?p ?o }} }}") is False
    assert _ask(client, f"ASK FROM <{g}> {{ GRAPH ?g {{ ?s ?p ?o }} }}", named_graph_uri=g) is True
    assert _ask(client, f"ASK FROM <{g}> {{ ?s ?p ?o }}", named_graph_uri=g) is False
    assert _ask(client, f"ASK FROM NAMED <{g}> {{ GRAPH ?g {{ ?s ?p ?o }} }}", default_graph_uri=g) is False


ASK_FALSE = f"ASK {{ <{LK}place/nowhere> ?p ?o }}"


@pytest.mark.parametrize("query,expected", [(ASK, True), (ASK_FALSE, False)])
def test_query_content_type_ask(client, query, expected):
    """W3C `query_content_type_ask`: an ASK comes back as SPARQL XML or JSON, whatever else is accepted.

    SPARQL 1.1 CSV and TSV have no form for a boolean, so a client that lists them first still gets
    a format that can say true or false.
    """
    import xml.etree.ElementTree as ET

    r = client.get("/sparql", query_string={"query": query}, headers={
        "Accept": "text/csv, text/tab-separated-values, application/sparql-results+xml;q=0.9, "
                  "application/sparql-results+json;q=0.8"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/sparql-results+xml")
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert ET.fromstring(r.data).find(f"{ns}boolean").text == str(expected).lower()


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values"])
def test_ask_for_csv_or_tsv_only_is_answered_in_json_labelled_so(client, accept):
    r = client.get("/sparql", query_string={"query": ASK_FALSE}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/sparql-results+json")
    assert json.loads(r.data) == {"head": {}, "boolean": False}


@pytest.mark.parametrize("fmt", ["csv", "tsv", "text/csv"])
def test_ask_format_csv_is_406_naming_the_formats_for_ask(client, fmt):
    r = client.get("/sparql", query_string={"query": ASK, "format": fmt})
    assert r.status_code == 406
    assert "use one of: json, xml" in r.data.decode()
