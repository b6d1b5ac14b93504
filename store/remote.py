"""The remote store: any SPARQL 1.1 endpoint by URL (Virtuoso, Fuseki, GraphDB …).

Queries go out by the SPARQL 1.1 Protocol (POST, form-encoded), after the same safety check the
embedded store runs. Publishing uses the SPARQL 1.1 Graph Store HTTP Protocol (``PUT`` of the whole
graph); for Virtuoso its ``/sparql-graph-crud-auth`` endpoint with HTTP digest authentication.

Virtuoso traps handled here, not hidden:

* it cuts every result at ``ResultSetMaxRows`` (10 000 by default) and still answers 200; it says so
  only in an ``X-SPARQL-MaxRows`` header. A result that carries the header, or that has exactly
  ``server_max_rows`` rows, is reported as truncated;
* on its own time limit ("anytime query") it returns a *partial* result with ``X-SQL-State: S1TAT``;
  that is reported as a timeout, never as an answer. When the clock runs out mid-statement it
  answers 500 with ``S1T00`` or ``HY008 … SR203`` ("killed by SQLCancel") instead, and a query its
  cost estimator expects to run past ``MaxQueryCostEstimationTime`` is refused before it starts ("The
  estimated execution time … exceeds the limit"): all three are the time limit, answered as a timeout;
* its default graph is the union of all its graphs, system graphs included, so every query is sent
  with ``default-graph-uri``/``named-graph-uri`` set to the published graph;
* it ships with the password ``dba``/``dba``: :func:`default_password_accepted` tells, and
  ``build.py publish`` refuses to publish to a server that still accepts it.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from store import (
    DEFAULT_GRAPH_IRI,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    QueryResult,
    QuerySyntaxError,
    QueryTimeout,
    StoreError,
    StoreUnavailable,
    Term,
    take_within,
)
from store.safety import check_query

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_TIMEOUT_SIGNS = ("S1T00", "SR203", "estimated execution time")

_ACCEPT_RESULTS = "application/sparql-results+json"
# Virtuoso answers a CONSTRUCT asked for SPARQL JSON with a table of s/p/o, so graphs ask for RDF only;
# N-Triples first: Virtuoso's Turtle writes "300"^^xsd:decimal as 300, which reads back as an xsd:integer
_ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9"
_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*(?:\n|$)|PREFIX\s*[^:\s]*:\s*<[^>]*>|BASE\s*<[^>]*>)*", re.IGNORECASE)


def _raw_limit(max_bytes: int) -> int:
    """How much of an endpoint's answer is read: its markup costs more than our per-term estimate."""
    return 4 * max_bytes if max_bytes else 1 << 40


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first keyword after the prologue."""
    rest = sparql[_PROLOGUE.match(sparql).end():]
    return rest[:9].upper().split("{")[0].split()[0] if rest.strip() else ""


class RemoteError(StoreError):
    """The remote endpoint failed (not the query's fault)."""

    status = 502


def _opener(url: str, user: str | None, password: str | None) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({})]  # never via a proxy
    if user is not None:
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, url, user, password or "")
        handlers += [urllib.request.HTTPDigestAuthHandler(mgr), urllib.request.HTTPBasicAuthHandler(mgr)]
    return urllib.request.build_opener(*handlers)


class RemoteStore:
    def __init__(self, url: str, graph_iri: str = DEFAULT_GRAPH_IRI, *, gsp_url: str | None = None,
                 user: str | None = None, password: str | None = None, dialect: str | None = None,
                 server_max_rows: int | None = None, graphs: list[str] | None = None, **_ignored):
        self.url = url
        self.graph_iri = graph_iri
        self.user = user  # given by build.py (--user/--store-user, LEANGEN_STORE_USER): docs/settings.md
        self.password = password
        self.dialect = dialect or ("virtuoso" if ":8890/" in url or "virtuoso" in url.lower() else None)
        self.server_max_rows = server_max_rows or (10_000 if self.dialect == "virtuoso" else None)
        self.gsp_url = gsp_url or self._default_gsp_url()
        self._graphs = list(graphs or [graph_iri])
        self._opener = _opener(url, user, password)  # answers a 401 challenge of a protected endpoint

    def _default_gsp_url(self) -> str:
        if self.dialect == "virtuoso":
            return self.url.rsplit("/sparql", 1)[0] + "/sparql-graph-crud-auth"
        return self.url.rsplit("/", 1)[0] + "/data"  # Fuseki's convention; pass gsp_url otherwise

    def graphs(self) -> list[str]:
        return list(self._graphs)

    # --- queries ---------------------------------------------------------------------------------

    def query(self, sparql: str, *, timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
              max_bytes: int = DEFAULT_MAX_BYTES, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, base_iri: str | None = None) -> QueryResult:
        verdict = check_query(sparql, self._graphs, default_graphs, named_graphs, base_iri)
        # The protocol has no base parameter, so relative IRIs would resolve against the remote's own
        # address: a BASE on the first line (line numbers in its error messages stay right) fixes them
        # to ours; a BASE of the query's own comes after it and resolves against it, as the grammar says.
        text = f"BASE <{base_iri}> {verdict.text}" if base_iri else verdict.text
        params: list[tuple[str, str]] = [("query", text)]
        if not verdict.has_dataset or default_graphs or named_graphs:
            for g in default_graphs or ([] if named_graphs else self._graphs):
                params.append(("default-graph-uri", g))
            for g in named_graphs or ([] if default_graphs else self._graphs):
                params.append(("named-graph-uri", g))
        if self.dialect == "virtuoso":
            params.append(("timeout", str(int(timeout * 1000))))
        body = urllib.parse.urlencode(params).encode()
        req = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": _ACCEPT_GRAPH if query_form(verdict.text) in ("CONSTRUCT", "DESCRIBE") else _ACCEPT_RESULTS})
        try:
            with self._opener.open(req, timeout=timeout + 2) as resp:
                headers = resp.headers
                data = resp.read(_raw_limit(max_bytes) + 1)
                if max_bytes and len(data) > _raw_limit(max_bytes):
                    raise RemoteError(f"the endpoint's answer is larger than {_raw_limit(max_bytes)} bytes, "
                                      "which this store does not read; add a LIMIT")
        except urllib.error.HTTPError as exc:
            text = exc.read().decode("utf-8", "replace").strip()[:1000]
            if exc.code == 400 or "SP030" in text or "syntax" in text.lower():
                raise QuerySyntaxError(f"the endpoint refused the query: {text}") from None
            if exc.code in (408, 503, 504) or any(sign in text for sign in _TIMEOUT_SIGNS):
                raise QueryTimeout(f"the endpoint stopped the query at its time limit: {text}") from None
            raise RemoteError(f"the endpoint answered {exc.code}: {text}") from None
        except TimeoutError:
            raise QueryTimeout(f"no answer from the endpoint within {timeout:g} s") from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreUnavailable(f"cannot reach the SPARQL endpoint {self.url}: {exc}") from None
        if self.dialect is None and "virtuoso" in (headers.get("Server") or "").lower():
            self.dialect = "virtuoso"
            self.server_max_rows = self.server_max_rows or 10_000
        if (headers.get("X-SQL-State") or "").startswith("S1T"):
            raise QueryTimeout("the endpoint hit its time limit and returned a partial result, which is "
                               f"not shown: {headers.get('X-SQL-Message', '')}".strip())
        ctype = (headers.get("Content-Type") or "").split(";")[0].strip()
        if "json" in ctype and "ld+json" not in ctype:
            return self._select(json.loads(data), max_rows, max_bytes, headers)
        return self._graph(data, ctype, max_rows, max_bytes, headers)

    def _server_cut(self, n: int, headers) -> bool:
        if headers.get("X-SPARQL-MaxRows"):
            return True
        return self.server_max_rows is not None and n >= self.server_max_rows

    def _select(self, doc: dict, max_rows: int, max_bytes: int, headers) -> QueryResult:
        if "boolean" in doc:
            return QueryResult("ask", boolean=bool(doc["boolean"]))
        names = doc["head"].get("vars", [])
        bindings = doc.get("results", {}).get("bindings", [])
        rows, cut_by = take_within(([_term(b[v]) if v in b else None for v in names] for b in bindings),
                                   max_rows, max_bytes)
        if cut_by is None and self._server_cut(len(bindings), headers):
            cut_by = "rows"
        return QueryResult("select", vars=names, rows=rows, truncated_by=cut_by, max_rows=max_rows,
                           max_bytes=max_bytes)

    def _graph(self, data: bytes, ctype: str, max_rows: int, max_bytes: int, headers) -> QueryResult:
        import pyoxigraph as ox

        from store._worker import to_term

        fmt = ox.RdfFormat.from_media_type(ctype) or ox.RdfFormat.TURTLE
        triples, cut_by = take_within(
            ((to_term(t.subject), to_term(t.predicate), to_term(t.object)) for t in ox.parse(data, format=fmt)),
            max_rows, max_bytes,
        )
        if cut_by is None and self._server_cut(len(triples), headers):
            cut_by = "rows"
        return QueryResult("graph", triples=triples, truncated_by=cut_by, max_rows=max_rows, max_bytes=max_bytes)

    # --- publishing ------------------------------------------------------------------------------

    def load(self, path: str | os.PathLike[str], graph: str | None = None, *, timeout: float = 300) -> int:
        """Replace ``graph`` on the endpoint with the file's triples (Graph Store Protocol PUT)."""
        graph = graph or self.graph_iri
        data = Path(path).read_bytes()
        ctype = "text/turtle"  # N-Triples is Turtle; every Graph Store implementation reads Turtle
        url = self.gsp_url + ("&" if "?" in self.gsp_url else "?") + urllib.parse.urlencode({"graph": graph})
        req = urllib.request.Request(url, data=data, method="PUT", headers={"Content-Type": ctype})
        opener = _opener(self.gsp_url, None, None)
        try:
            if self.user is not None:
                self._check_credentials(url, timeout)
                # Virtuoso answers the 401 challenge before reading a large body and closes the
                # connection (broken pipe), so the challenge is fetched with a body-less request first
                _authorize(req, url, self.user, self.password or "", timeout)
            with opener.open(req, timeout=timeout) as resp:
                resp.read()
        except urllib.error.HTTPError as exc:
            text = exc.read().decode("utf-8", "replace").strip()[:500]
            if exc.code == 401:
                raise RemoteError(f"the Graph Store endpoint {self.gsp_url} refused the credentials "
                                  f"(user {self.user!r}): set --user/--password or LEANGEN_STORE_USER/"
                                  "LEANGEN_STORE_PASSWORD") from None
            raise RemoteError(f"publishing to {self.gsp_url} failed with {exc.code}: {text}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreUnavailable(f"cannot reach the Graph Store endpoint {self.gsp_url}: {exc}") from None
        if graph not in self._graphs:
            self._graphs.append(graph)
        r = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=[graph], timeout=60)
        return int(r.rows[0][0].value)

    def _check_credentials(self, url: str, timeout: float) -> None:
        """A body-less authenticated GET first: a refused password is then a clear error, not a broken pipe."""
        try:
            with _opener(url, self.user, self.password).open(urllib.request.Request(url, method="GET"),
                                                             timeout=timeout):
                pass
        except urllib.error.HTTPError as exc:
            if exc.code == 401:
                raise RemoteError(f"the Graph Store endpoint {self.gsp_url} refused the credentials "
                                  f"(user {self.user!r}): set --user/--password or LEANGEN_STORE_USER/"
                                  "LEANGEN_STORE_PASSWORD") from None

    def close(self) -> None:
        pass


def _authorize(req: urllib.request.Request, url: str, user: str, password: str, timeout: float) -> None:
    """Add an Authorization header to ``req`` for the challenge the server gives a GET of ``url``."""
    import base64

    try:
        with _opener(url, None, None).open(urllib.request.Request(url, method="GET"), timeout=timeout):
            return  # no authentication asked for
    except urllib.error.HTTPError as exc:
        challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
    scheme, _, rest = challenge.partition(" ")
    if scheme.lower() == "digest":
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, url, user, password)
        handler = urllib.request.HTTPDigestAuthHandler(mgr)
        chal = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        auth = handler.get_authorization(req, chal)
        if auth:
            req.add_unredirected_header("Authorization", "Digest " + auth)
    elif scheme.lower() == "basic":
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        req.add_unredirected_header("Authorization", "Basic " + token)


def _term(b: dict) -> Term:
    kind = b.get("type")
    if kind == "uri":
        return Term("uri", b["value"])
    if kind == "bnode":
        v = b["value"]
        return Term("bnode", v.removeprefix("nodeID://").removeprefix("_:"))
    dt = b.get("datatype")
    lang = b.get("xml:lang")
    return Term("literal", b["value"], None if (lang or dt == _XSD_STRING) else dt, lang)


def default_password_accepted(gsp_url: str, user: str = "dba", password: str = "dba", timeout: float = 10) -> bool:
    """True if a Virtuoso (Graph Store endpoint) still accepts its shipped password."""
    probe = gsp_url + ("&" if "?" in gsp_url else "?") + urllib.parse.urlencode({"graph": "urn:x-leangen:probe"})
    req = urllib.request.Request(probe, method="GET")
    try:
        with _opener(gsp_url, user, password).open(req, timeout=timeout):
            return True
    except urllib.error.HTTPError as exc:
        return exc.code != 401
    except (urllib.error.URLError, OSError):
        return False
