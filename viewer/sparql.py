"""The SPARQL 1.1 endpoint: ``/sparql`` (Protocol, read-only, bounded), ``/void``, ``/queries``.

Settings (``app.config``; ``viewer.sparql_serve`` fills them from options and environment):

* ``STORE`` – an object implementing :class:`store.Store`; if absent, an embedded store is opened
  on first use from ``DIST_DIR``.
* ``SPARQL_TIMEOUT`` (seconds, default 5), ``SPARQL_MAX_ROWS`` (default 10 000),
  ``SPARQL_MAX_QUERY_BYTES`` (default 64 KiB; request bodies and query strings).
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import quote, unquote_to_bytes

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.http import parse_options_header

from store import (
    DEFAULT_GRAPH_IRI,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    PREFIXES,
    QueryResult,
    StoreError,
    StoreUnavailable,
    Term,
    open_store,
)
from viewer.security import public_url
from viewer.sparql_formats import KIND_FORMATS, MEDIA, media_types, resolve_format, serialize
from viewer.sparql_queries import load_queries
from viewer.sparql_terms import ontology_terms

bp = Blueprint("sparql", __name__)

DEFAULT_MAX_QUERY_BYTES = 64 * 1024
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
_RDF_OFFERS = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]


class ProtocolError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def init_sparql(app: Flask) -> None:
    """Register the endpoint on an app (called by ``create_app``)."""
    app.config.setdefault("SPARQL_TIMEOUT", DEFAULT_TIMEOUT)
    app.config.setdefault("SPARQL_MAX_ROWS", DEFAULT_MAX_ROWS)
    app.config.setdefault("SPARQL_MAX_BYTES", DEFAULT_MAX_BYTES)
    app.config.setdefault("SPARQL_MAX_QUERY_BYTES", DEFAULT_MAX_QUERY_BYTES)
    app.config.setdefault("SPARQL_GRAPH_IRI", DEFAULT_GRAPH_IRI)
    app.config.setdefault("SPARQL_LOCK", threading.Lock())
    app.config.setdefault("SPARQL_CACHE", {})
    app.register_blueprint(bp)


def get_store(app: Flask | None = None):
    app = app or current_app
    store = app.config.get("STORE")
    if store is None:
        with app.config["SPARQL_LOCK"]:
            store = app.config.get("STORE")
            if store is None:
                store = open_store(app.config["DIST_DIR"], graph_iri=app.config["SPARQL_GRAPH_IRI"])
                app.config["STORE"] = store
    return store


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    resp = Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain")
    resp.headers.update(headers or {})
    return resp


@bp.after_request
def _vary(resp: Response) -> Response:
    """Answers depend on Accept (content negotiation); CORS is viewer.security's."""
    resp.headers.setdefault("Vary", "Accept")
    return resp


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
def sparql() -> Response:
    cfg = current_app.config
    if request.method == "OPTIONS":
        return Response(status=204, headers={
            "Allow": "GET, HEAD, POST, OPTIONS",
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": request.headers.get("Access-Control-Request-Headers")
            or "Content-Type, Accept",
            "Access-Control-Max-Age": "86400",
        })
    if request.method not in ("GET", "HEAD", "POST"):
        return _text(405, f"{request.method} is not supported: query with GET or POST "
                     "(this endpoint is read-only)", {"Allow": "GET, HEAD, POST, OPTIONS"})
    try:
        params = _read_params(cfg["SPARQL_MAX_QUERY_BYTES"])
    except ProtocolError as exc:
        return _text(exc.status, exc.message, exc.headers)
    queries = params.get("query", [])
    if params.get("update"):
        return _text(403, "updates are not allowed: this endpoint is read-only")
    if not queries:
        if request.method == "POST":
            return _text(400, "missing the `query` parameter")
        return _no_query()
    if len(queries) > 1:
        return _text(400, f"exactly one `query` parameter is allowed; got {len(queries)}")
    query = queries[0]
    if len(query.encode("utf-8", "surrogatepass")) > cfg["SPARQL_MAX_QUERY_BYTES"]:
        return _text(414 if request.method == "GET" else 413,
                     f"the query is longer than the limit of {cfg['SPARQL_MAX_QUERY_BYTES']} bytes")
    fmt_param = (params.get("format") or params.get("output") or [None])[0]
    timeout, max_rows = float(cfg["SPARQL_TIMEOUT"]), int(cfg["SPARQL_MAX_ROWS"])
    max_bytes = int(cfg["SPARQL_MAX_BYTES"])
    try:
        result = get_store().query(
            query, timeout=timeout, max_rows=max_rows, max_bytes=max_bytes,
            default_graphs=params.get("default-graph-uri") or None,
            named_graphs=params.get("named-graph-uri") or None,
            base_iri=public_url() + "sparql",  # relative IRIs resolve against the endpoint, never `Host`
        )
    except StoreError as exc:
        headers = {"Retry-After": "1"} if exc.status == 503 else {}
        return _text(exc.status, exc.message, headers)
    try:
        fmt, media = _negotiate(result.kind, fmt_param)
    except ProtocolError as exc:
        return _text(exc.status, exc.message)
    resp = Response(serialize(result, fmt), status=200)
    resp.headers["Content-Type"] = media + ("; charset=utf-8" if not media.endswith("json") else "")
    resp.headers["X-SPARQL-Row-Limit"] = str(max_rows)
    resp.headers["X-SPARQL-Byte-Limit"] = str(max_bytes)
    resp.headers["X-SPARQL-Time-Limit"] = f"{timeout:g}"
    resp.headers["X-SPARQL-Truncated"] = "true" if result.truncated else "false"
    if result.truncated_by == "rows":
        resp.headers["X-SPARQL-Truncated-By"] = "rows"
        resp.headers["X-SPARQL-MaxRows"] = str(max_rows)
        resp.headers["Warning"] = f'199 - "result cut at the row limit of {max_rows} rows"'
    elif result.truncated_by == "bytes":
        resp.headers["X-SPARQL-Truncated-By"] = "bytes"
        resp.headers["Warning"] = f'199 - "result cut at the size limit of {max_bytes} bytes"'
    return resp


@bp.route("/health")
def health() -> Response:
    """For load balancers and people: can the store answer, and how many query workers are up."""
    store = get_store()
    report: dict[str, object] = {"store": type(store).__name__}
    if hasattr(store, "health"):
        report.update(store.health())
        ok = int(report.get("ready", 0)) > 0
    else:
        try:
            store.query("ASK {}", timeout=float(current_app.config["SPARQL_TIMEOUT"]), max_rows=1)
            ok = True
        except StoreError as exc:
            report["error"] = exc.message
            ok = False
    report["status"] = "ok" if ok else "unavailable"
    resp = jsonify(report)
    resp.status_code = 200 if ok else 503
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _read_params(limit: int) -> dict[str, list[str]]:
    """The protocol parameters, from the URL (GET) or the body (POST), with the protocol's rules."""
    if request.method in ("GET", "HEAD"):
        if len(request.query_string) > 3 * limit:
            raise ProtocolError(414, f"the query string is longer than the limit of {limit} bytes")
        _require_utf8(unquote_to_bytes(request.query_string.replace(b"+", b" ")), "the URL's query string")
        return {k: request.args.getlist(k) for k in request.args}
    request.max_content_length = limit + 4096
    ctype_header = request.headers.get("Content-Type", "")
    ctype, opts = parse_options_header(ctype_header)
    try:
        if ctype == "application/x-www-form-urlencoded":
            _require_utf8(unquote_to_bytes(request.get_data(cache=True).replace(b"+", b" ")), "the form body",
                          opts.get("charset"))
            form = request.form
            params = {k: form.getlist(k) for k in form}
            for k in request.args:  # the protocol puts everything in the body; a second query is an error
                if k in ("query", "update"):
                    params.setdefault(k, []).extend(request.args.getlist(k))
            return params
        if ctype in ("application/sparql-query", "application/sparql-update"):
            text = _require_utf8(request.get_data(cache=True), "the request body", opts.get("charset"))
            params = {k: request.args.getlist(k) for k in request.args}
            if ctype == "application/sparql-update":
                raise ProtocolError(403, "updates are not allowed: this endpoint is read-only")
            if "query" in params:
                raise ProtocolError(400, "a query in the body and a `query` parameter in the URL: send one")
            params["query"] = [text]
            return params
    except RequestEntityTooLarge:
        raise ProtocolError(413, f"the request body is longer than the limit of {limit} bytes") from None
    if not ctype:
        raise ProtocolError(415, "a POST needs a Content-Type: application/x-www-form-urlencoded or "
                            "application/sparql-query")
    raise ProtocolError(415, f"unsupported Content-Type {ctype!r}: use application/x-www-form-urlencoded "
                        "or application/sparql-query")


def _require_utf8(data: bytes, what: str, charset: str | None = None) -> str:
    """The text of a query as sent; the protocol allows UTF-8 only, so anything else is a 400.

    Refused rather than decoded (a UTF-16 body, say, would decode): a client that sends another
    charset is wrong, and should hear so instead of getting an answer to a query it did not mean.
    """
    if charset and charset.strip().lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ProtocolError(400, f"{what} is declared as charset={charset}; the SPARQL protocol "
                            "requires UTF-8: send the query encoded as UTF-8 (or leave out charset)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"{what} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset "
                            f"{exc.start}); the SPARQL protocol requires UTF-8: send the query encoded "
                            "as UTF-8") from None


def _negotiate(kind: str, fmt_param: str | None) -> tuple[str, str]:
    """The format and media type to answer a ``kind`` of result in, by ``format=`` or ``Accept``.

    An explicit ``format=`` that cannot carry the result is a 406 naming the formats that can. An
    ``Accept`` that names none of them gets the kind's default format, labelled with its
    Content-Type, as HTTP allows: clients parse by Content-Type, and some ask for one format for
    every kind of query (rdflib's SPARQLStore asks for SPARQL JSON also for a CONSTRUCT, and for CSV
    also for an ASK, which CSV cannot carry).
    """
    allowed = KIND_FORMATS[kind]
    if fmt_param:
        fmt = resolve_format(fmt_param, kind)
        if fmt is None:
            article = "an" if kind == "ask" else "a"
            raise ProtocolError(406, f"format {fmt_param!r} does not apply to {article} {kind.upper()} result; "
                                f"use one of: {', '.join(allowed)}")
        return fmt, MEDIA[fmt]
    table = media_types(kind)
    accept = request.accept_mimetypes
    best = accept.best_match(list(table)) if accept and accept.values() else None
    if best is None:
        return allowed[0], MEDIA[allowed[0]]
    return table[best], best


def _no_query() -> Response:
    """GET /sparql without a query: the editor for a browser, the service description for others."""
    fmt_param = request.args.get("format")
    if not fmt_param:
        accept = request.accept_mimetypes
        # the editor only for a client that names HTML itself (a browser), not for */*
        html_q = max((q for v, q in accept if v in ("text/html", "application/xhtml+xml")), default=0)
        rdf = accept.best_match(_RDF_OFFERS)
        if html_q and html_q >= (accept.quality(rdf) if rdf else 0):
            return Response(render_template(
                "sparql.html", queries=load_queries(), prefixes=PREFIXES,
                max_rows=current_app.config["SPARQL_MAX_ROWS"],
                timeout=current_app.config["SPARQL_TIMEOUT"]), mimetype="text/html")
    return _rdf_response(_service_description(), fmt_param)


def _rdf_response(triples: list[tuple[Term, Term, Term]], fmt_param: str | None) -> Response:
    try:
        fmt, media = _negotiate("graph", fmt_param)
    except ProtocolError as exc:
        return _text(exc.status, exc.message)
    body = serialize(QueryResult("graph", triples=triples), fmt)
    return Response(body, mimetype=media)


def _u(iri: str) -> Term:
    return Term("uri", iri)


def _lit(value: Any, datatype: str | None = None, lang: str | None = None) -> Term:
    return Term("literal", str(value), datatype, lang)


_INT = "http://www.w3.org/2001/XMLSchema#integer"
_RDF_TYPE = _u("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_VOID = "http://rdfs.org/ns/void#"


def _stats() -> dict[str, Any]:
    """Counts for the service description and VoID, computed once per app and store."""
    cache = current_app.config["SPARQL_CACHE"]
    store = get_store()
    if cache.get("stats_for") is store:
        return cache["stats"]
    q = get_store().query
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


def _service_description() -> list[tuple[Term, Term, Term]]:
    cfg = current_app.config
    try:
        stats = _stats()
    except StoreError:
        stats = None
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
          (svc, _u(_VOID + "inDataset"), _u(_dataset_iri()))]
    if stats:
        t.append((dg, _u(_VOID + "triples"), _lit(stats["triples"], _INT)))
        for i, g in enumerate(stats["graphs"]):
            ng, gr = Term("bnode", f"named{i}"), Term("bnode", f"graph{i}")
            t += [(ds, _u(SD + "namedGraph"), ng), (ng, _RDF_TYPE, _u(SD + "NamedGraph")),
                  (ng, _u(SD + "name"), _u(g)), (ng, _u(SD + "graph"), gr), (gr, _RDF_TYPE, _u(SD + "Graph"))]
            if len(stats["graphs"]) == 1:
                t.append((gr, _u(_VOID + "triples"), _lit(stats["triples"], _INT)))
    return t


def _dataset_iri() -> str:
    base = current_app.config["SPARQL_GRAPH_IRI"].rsplit("/", 1)[0]
    return base + "/dataset"


@bp.get("/void")
@bp.get("/.well-known/void")
def void() -> Response:
    """The VoID description of the dataset (counts, classes, properties, endpoint)."""
    try:
        stats = _stats()
    except StoreError as exc:
        return _text(exc.status, exc.message)
    d = _u(_dataset_iri())
    t = [(d, _RDF_TYPE, _u(_VOID + "Dataset")),
         (d, _u("http://purl.org/dc/terms/title"), _lit("Leangen KG", lang="en")),
         (d, _u("http://purl.org/dc/terms/description"), _lit(
             "Knowledge graph of Trondheim's city-government platform Leangen-erklæringen 2024–2027: "
             "policy areas, topics, commitments, places, projects, actors, instruments and targets.",
             lang="en")),
         (d, _u(_VOID + "sparqlEndpoint"), _u(public_url() + "sparql")),
         (d, _u(_VOID + "uriSpace"), _lit(PREFIXES["lk"])),
         (d, _u(_VOID + "triples"), _lit(stats["triples"], _INT)),
         (d, _u(_VOID + "distinctSubjects"), _lit(stats["subjects"], _INT)),
         (d, _u(_VOID + "distinctObjects"), _lit(stats["objects"], _INT)),
         (d, _u(_VOID + "properties"), _lit(stats["properties"], _INT)),
         (d, _u(_VOID + "classes"), _lit(len(stats["classes"]), _INT))]
    for p in ("pk", "skos", "dcterms", "prov", "geo", "rdfs", "schema", "org"):
        t.append((d, _u(_VOID + "vocabulary"), _u(PREFIXES[p])))
    for i, (cls, n) in enumerate(stats["classes"]):
        part = Term("bnode", f"class{i}")
        t += [(d, _u(_VOID + "classPartition"), part), (part, _u(_VOID + "class"), cls),
              (part, _u(_VOID + "entities"), _lit(n.value, _INT))]
    for i, (prop, n) in enumerate(stats["property_counts"]):
        part = Term("bnode", f"prop{i}")
        t += [(d, _u(_VOID + "propertyPartition"), part), (part, _u(_VOID + "property"), prop),
              (part, _u(_VOID + "triples"), _lit(n.value, _INT))]
    return _rdf_response(t, request.args.get("format"))


@bp.get("/sparql/terms.json")
def terms() -> Response:
    """The ontology's classes and properties with their labels, for the editor's autocompletion.

    Read from our own store (so the editor needs no outside vocabulary service), once per store
    and graph size.
    """
    cache = current_app.config["SPARQL_CACHE"]
    store = get_store()
    key = (store, getattr(store, "triples", None))  # a reloaded graph has new terms
    if cache.get("terms_for") != key:
        try:
            data = ontology_terms(store, max(float(current_app.config["SPARQL_TIMEOUT"]), 10.0))
        except StoreError as exc:
            return _text(exc.status, exc.message)
        cache["terms"], cache["terms_for"] = data, key
    resp = jsonify(cache["terms"])
    resp.headers["Cache-Control"] = "no-cache"
    return resp


@bp.get("/queries")
def queries() -> Response:
    """The example queries with their descriptions, and links that run them."""
    return Response(render_template("queries.html", queries=load_queries(), quote=quote), mimetype="text/html")


@bp.get("/queries/<name>.rq")
def query_file(name: str) -> Response:
    for q in load_queries():
        if q.name == name:
            return Response(q.text, mimetype="application/sparql-query")
    return _text(404, f"no example query {name!r}")


@bp.errorhandler(StoreUnavailable)
def _unavailable(exc: StoreUnavailable) -> Response:
    return _text(503, exc.message)
