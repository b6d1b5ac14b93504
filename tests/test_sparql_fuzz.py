"""Property-based: random and mutated query strings never make the endpoint answer 500."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sparql_support import connections_made

from viewer.sparql_queries import load_queries

EXAMPLES = [q.text for q in load_queries()]
TOKENS = ["SELECT", "*", "WHERE", "{", "}", "?s", "?p", "?o", ".", "FILTER", "(", ")", "SERVICE", "FROM",
          "NAMED", "<http://127.0.0.1:9/>", "INSERT", "DATA", "OPTIONAL", "UNION", "GRAPH", "ASK", "CONSTRUCT",
          "DESCRIBE", "LIMIT", "10", '"x"@nb', "a", "PREFIX", "pk:", "<https://leangen-kg.org/ontology#>",
          "pk:partOf*", "/", "|", "^", "COUNT", "GROUP BY", "ORDER BY", "BIND", "AS", "VALUES", "\\u0053",
          "#", "\n", "'''", '"', "EXISTS", "NOT", "MINUS", "SILENT", ";", ","]

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def check(client, query: str, fmt: str | None = None) -> None:
    params = {"query": query}
    if fmt:
        params["format"] = fmt
    for r in (client.get("/sparql", query_string=params), client.post("/sparql", data=params)):
        # 503 is allowed (time limit / busy); a 500 never is
        assert r.status_code < 500 or r.status_code == 503, (query, r.status_code, r.data[:300])
        if r.status_code >= 400:  # an error says what is wrong (an empty graph is an empty document)
            assert r.data


@FUZZ
@given(st.text(max_size=300))
def test_random_text(client, text):
    check(client, text)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join))
def test_random_token_soup(client, query):
    check(client, query)


@FUZZ
@given(st.sampled_from(EXAMPLES), st.data())
def test_mutated_examples(client, query, data):
    # delete, duplicate or insert a slice of the query at random
    i = data.draw(st.integers(0, len(query)))
    j = data.draw(st.integers(i, min(len(query), i + 40)))
    op = data.draw(st.sampled_from(["delete", "duplicate", "insert"]))
    if op == "delete":
        mutated = query[:i] + query[j:]
    elif op == "duplicate":
        mutated = query[:j] + query[i:j] + query[j:]
    else:
        mutated = query[:i] + data.draw(st.sampled_from(TOKENS)) + query[i:]
    fmt = data.draw(st.sampled_from([None, "json", "xml", "csv", "tsv", "turtle", "jsonld", "bogus"]))
    check(client, mutated, fmt)


def test_hostile_queries_reach_nobody(client, listener):
    """A fast slice of benchmarks/fuzz.py: 300 queries that hide SERVICE, none reaches the listener."""
    from benchmarks.fuzz import hostile_queries

    for n, query in enumerate(hostile_queries(listener.url, 300, seed=1)):
        if n % 3 == 0:
            r = client.get("/sparql", query_string={"query": query})
        elif n % 3 == 1:
            r = client.post("/sparql", data={"query": query})
        else:
            r = client.post("/sparql", data=query.encode("utf-8", "surrogatepass"),
                            content_type="application/sparql-query")
        assert r.status_code < 500 or r.status_code == 503, (query, r.status_code, r.data[:300])
    assert connections_made(listener) == 0
