"""Read-only, no outbound requests, bounded: the endpoint cannot be misused."""

from __future__ import annotations

import json

import pytest
from sparql_support import LK, PK, connections_made

PROBE = f"ASK {{ <{LK}x> <{LK}y> <{LK}z> }}"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def triple_count(client) -> int:
    r = client.get("/sparql", query_string={"query": COUNT})
    return int(json.loads(r.data)["results"]["bindings"][0]["n"]["value"])


# --- updates ----------------------------------------------------------------------------------

UPDATES = [
    f"INSERT DATA {{ <{LK}x> <{LK}y> <{LK}z> }}",
    f"PREFIX pk: <{PK}> DELETE WHERE {{ ?s pk:partOf ?o }}",
    f"DELETE {{ ?s ?p ?o }} INSERT {{ <{LK}x> <{LK}y> <{LK}z> }} WHERE {{ ?s ?p ?o }}",
    "CLEAR ALL", "CLEAR DEFAULT", "DROP ALL", "DROP GRAPH <https://leangen-kg.org/id/graph>",
    "CREATE GRAPH <http://example.org/g>", "ADD DEFAULT TO <http://example.org/g>",
    "MOVE <https://leangen-kg.org/id/graph> TO DEFAULT", "COPY DEFAULT TO <http://example.org/g>",
    "WITH <https://leangen-kg.org/id/graph> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("update", UPDATES)
def test_update_inside_query_is_refused(client, update):
    before = triple_count(client)
    r = client.post("/sparql", data={"query": update})
    assert r.status_code == 403, r.data
    assert b"read-only" in r.data
    assert triple_count(client) == before


@pytest.mark.parametrize("update", UPDATES[:3])
def test_update_parameter_is_refused(client, update):
    before = triple_count(client)
    assert client.post("/sparql", data={"update": update}).status_code == 403
    assert client.get("/sparql", query_string={"update": update}).status_code == 403
    assert triple_count(client) == before
    assert json.loads(client.get("/sparql", query_string={"query": PROBE}).data)["boolean"] is False


def test_sparql_update_content_type_is_refused(client):
    r = client.post("/sparql", data=UPDATES[0].encode(), content_type="application/sparql-update")
    assert r.status_code == 403
    assert json.loads(client.get("/sparql", query_string={"query": PROBE}).data)["boolean"] is False


def test_load_is_refused_and_fetches_nothing(client, listener):
    r = client.post("/sparql", data={"query": f"LOAD <{listener.url}>"})
    assert r.status_code == 403
    r = client.post("/sparql", data={"update": f"LOAD <{listener.url}> INTO GRAPH <http://example.org/g>"})
    assert r.status_code == 403
    assert connections_made(listener) == 0


# --- SERVICE and FROM: no outbound request ------------------------------------------------------

def test_listener_sees_an_engine_that_fetches(listener):
    """Positive control: pyoxigraph on its own does call out for SERVICE SILENT (so the check matters),
    and ``connections_made`` counts such a call (so the tests that find none can fail)."""
    import pyoxigraph as ox

    list(ox.Store().query(f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}"))
    assert connections_made(listener) >= 1


def service_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX r: <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {{ ?s ?q ?r }} }} }}",
        f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ]


def test_service_is_refused_before_it_runs(client, listener):
    for q in service_queries(listener.url):
        for r in (client.get("/sparql", query_string={"query": q}),
                  client.post("/sparql", data=q.encode(), content_type="application/sparql-query")):
            assert 400 <= r.status_code < 500, (q, r.status_code, r.data)
    assert connections_made(listener) == 0


def test_service_refusal_says_why(client, listener):
    r = client.get("/sparql", query_string={"query": service_queries(listener.url)[0]})
    assert r.status_code == 403
    assert b"SERVICE" in r.data


def test_from_unknown_graph_is_refused_and_fetches_nothing(client, listener):
    for q in (f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}",
              f"SELECT * FROM NAMED <{listener.url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
              "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"):
        r = client.get("/sparql", query_string={"query": q})
        assert r.status_code == 400, q
        assert b"not in this store" in r.data
    for param in ("default-graph-uri", "named-graph-uri"):
        r = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", param: listener.url})
        assert r.status_code == 400
    assert connections_made(listener) == 0


def test_store_refuses_without_the_http_layer(sparql_store, listener):
    """The check lives in the store, so every caller of Store.query gets it."""
    from store import QueryRefused, UnknownGraph

    with pytest.raises(QueryRefused):
        sparql_store.query(service_queries(listener.url)[1])
    with pytest.raises(UnknownGraph):
        sparql_store.query(f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}")
    assert connections_made(listener) == 0


# --- limits -----------------------------------------------------------------------------------

def test_row_limit_is_flagged(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 200
    assert r.headers["X-SPARQL-Truncated"] == "true"
    assert r.headers["X-SPARQL-MaxRows"] == "50"
    assert len(json.loads(r.data)["results"]["bindings"]) == 50


def test_row_limit_applies_to_construct(client):
    r = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                   headers={"Accept": "application/n-triples"})
    assert r.headers["X-SPARQL-Truncated"] == "true"
    assert len(r.data.decode().strip().splitlines()) == 50


def test_result_under_the_limit_is_not_flagged(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 50"})
    assert r.headers["X-SPARQL-Truncated"] == "false"


def test_query_size_limit(client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 20_000
    assert client.get("/sparql", query_string={"query": big}).status_code == 414
    assert client.post("/sparql", data={"query": big}).status_code == 413
    assert client.post("/sparql", data=big.encode(), content_type="application/sparql-query").status_code == 413


# The time limit on a runaway query, with other queries answered meanwhile: in test_query_guards.py,
# test_runaway_queries_leave_room_for_a_fresh_one_and_end_at_the_time_limit (one wait for the limit).
