"""How the remote store reads an endpoint's error answers, against a stub endpoint on loopback.

A real Virtuoso says "time limit" in more than one way (where its clock runs out, or whether its cost
estimator refuses the query up front, varies from run to run), so a test against it cannot cover each
wording; the stub replays each one exactly.
"""

from __future__ import annotations

import pytest
from sparql_support import stub_endpoint

from store import QuerySyntaxError, QueryTimeout
from store.remote import RemoteError, RemoteStore

VIRTUOSO_CANCEL = ("Virtuoso HY008 Error SR203: Async statement killed by SQLCancel.\n\n"
                   "SPARQL query:\nSELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }")
VIRTUOSO_TIMEOUT = "Virtuoso S1T00 Error SR171: Transaction timed out"
VIRTUOSO_ESTIMATE = ("Virtuoso 42000 Error The estimated execution time 1763180544 (sec) exceeds the limit of "
                     "400 (sec).\n\nSPARQL query:\nSELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }")
VIRTUOSO_SYNTAX = "Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error at 'SELEC'"
VIRTUOSO_OTHER = "Virtuoso 42000 Error SR186: No permission to execute procedure DB.DBA.X"


@pytest.fixture
def endpoint():
    """A loopback endpoint that answers every POST with the status and body the test sets."""
    reply: dict = {}
    with stub_endpoint(lambda headers: (reply["status"], {"Content-Type": "text/plain"}, reply["body"].encode())) as url:
        yield reply, RemoteStore(url)


@pytest.mark.parametrize(("status", "body", "error"), [
    (500, VIRTUOSO_CANCEL, QueryTimeout),
    (500, VIRTUOSO_TIMEOUT, QueryTimeout),
    (500, VIRTUOSO_ESTIMATE, QueryTimeout),
    (504, "Gateway Timeout", QueryTimeout),
    (503, "Service Unavailable: query timed out", QueryTimeout),
    (400, "Parse error: line 1, column 1", QuerySyntaxError),
    (500, VIRTUOSO_SYNTAX, QuerySyntaxError),
    (500, VIRTUOSO_OTHER, RemoteError),
], ids=["virtuoso-cancel", "virtuoso-timeout", "virtuoso-estimate", "504", "503", "400", "virtuoso-syntax", "other-500"])
def test_endpoint_errors_are_read_by_their_meaning(endpoint, status, body, error):
    reply, store = endpoint
    reply.update(status=status, body=body)
    with pytest.raises(error) as caught:
        store.query("SELECT * WHERE { ?s ?p ?o }", timeout=2)
    assert body.splitlines()[0] in str(caught.value)  # the endpoint's own words reach the user
