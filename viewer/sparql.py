"""The SPARQL 1.1 endpoint: ``/sparql`` (Protocol, read-only, bounded), ``/void``, ``/queries``,
``/health`` and the editor's ``/sparql/terms.json``.

Settings (``app.config``; ``build.py serve`` fills them from the options and environment listed in
:mod:`graph.settings`, through :mod:`viewer.serve`):

* ``STORE`` – an object implementing :class:`store.Store`; if absent, an embedded store is opened
  on first use from ``DIST_DIR``.
* ``SPARQL_TIMEOUT`` (seconds, default 5), ``SPARQL_MAX_ROWS`` (default 10 000), ``SPARQL_MAX_BYTES``
  (result size), ``SPARQL_MAX_QUERY_BYTES`` (default 64 KiB; request bodies and query strings),
  ``SPARQL_GRAPH_IRI`` (the graph the data is in).

The protocol's request and format rules are in :mod:`viewer.sparql_protocol`, the service
description and VoID in :mod:`viewer.sparql_description`.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request

from store import (
    DEFAULT_GRAPH_IRI,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    QueryResult,
    StoreError,
    StoreUnavailable,
    open_store,
)
from viewer.security import public_url, served_prefixes
from viewer.sparql_description import Triple, catalogue, service_description, store_stats, void_description
from viewer.sparql_formats import serialize
from viewer.sparql_protocol import ProtocolError, negotiate, read_params, text_response
from viewer.sparql_queries import load_queries
from viewer.sparql_terms import ontology_terms

bp = Blueprint("sparql", __name__)

DEFAULT_MAX_QUERY_BYTES = 64 * 1024
_RDF_OFFERS = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
DCT = "http://purl.org/dc/terms/"


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
    """The app's store (``STORE``), opened from ``DIST_DIR`` on first use when none was given."""
    app = app or current_app
    store = app.config.get("STORE")
    if store is None:
        with app.config["SPARQL_LOCK"]:
            store = app.config.get("STORE")
            if store is None:
                store = open_store(app.config["DIST_DIR"], graph_iri=app.config["SPARQL_GRAPH_IRI"])
                app.config["STORE"] = store
    return store


@bp.after_request
def _vary(resp: Response) -> Response:
    """Answers depend on Accept (content negotiation); CORS is viewer.security's."""
    resp.headers.setdefault("Vary", "Accept")
    return resp


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
def sparql() -> Response:
    """One read-only query by GET or POST (SPARQL 1.1 Protocol), bounded in time, rows and bytes.

    Without a query, a browser gets the editor and other clients the service description.
    """
    cfg = current_app.config
    if request.method == "OPTIONS":
        return _preflight()
    if request.method not in ("GET", "HEAD", "POST"):
        return text_response(405, f"{request.method} is not supported: query with GET or POST "
                             "(this endpoint is read-only)", {"Allow": "GET, HEAD, POST, OPTIONS"})
    try:
        params = read_params(cfg["SPARQL_MAX_QUERY_BYTES"])
        query = _the_query(params, cfg["SPARQL_MAX_QUERY_BYTES"])
    except ProtocolError as exc:
        return text_response(exc.status, exc.message, exc.headers)
    if query is None:
        return _no_query()
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
        return text_response(exc.status, exc.message, headers)
    try:
        fmt, media = negotiate(result.kind, fmt_param)
    except ProtocolError as exc:
        return text_response(exc.status, exc.message)
    return _answer(result, fmt, media, timeout, max_rows, max_bytes)


def _preflight() -> Response:
    """The CORS preflight: any origin may query (viewer.security adds the origin header)."""
    return Response(status=204, headers={
        "Allow": "GET, HEAD, POST, OPTIONS",
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": request.headers.get("Access-Control-Request-Headers")
        or "Content-Type, Accept",
        "Access-Control-Max-Age": "86400",
    })


def _the_query(params: dict[str, list[str]], limit: int) -> str | None:
    """The one query of the request; None for a GET without one (the editor or the description)."""
    queries = params.get("query", [])
    if params.get("update"):
        raise ProtocolError(403, "updates are not allowed: this endpoint is read-only")
    if not queries:
        if request.method == "POST":
            raise ProtocolError(400, "missing the `query` parameter")
        return None
    if len(queries) > 1:
        raise ProtocolError(400, f"exactly one `query` parameter is allowed; got {len(queries)}")
    query = queries[0]
    if len(query.encode("utf-8", "surrogatepass")) > limit:
        raise ProtocolError(414 if request.method == "GET" else 413,
                            f"the query is longer than the limit of {limit} bytes")
    return query


def _answer(result: QueryResult, fmt: str, media: str, timeout: float, max_rows: int, max_bytes: int
            ) -> Response:
    """The serialised result, with the limits it ran under and whether (and by which) it was cut."""
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
                "sparql.html", queries=load_queries(), prefixes=served_prefixes(),
                max_rows=current_app.config["SPARQL_MAX_ROWS"],
                timeout=current_app.config["SPARQL_TIMEOUT"]), mimetype="text/html")
    return _rdf_response(service_description(_stats_or_none()), fmt_param)


def _rdf_response(triples: list[Triple], fmt_param: str | None) -> Response:
    """Triples in the RDF format asked for by ``format=`` or ``Accept`` (Turtle by default)."""
    try:
        fmt, media = negotiate("graph", fmt_param)
    except ProtocolError as exc:
        return text_response(exc.status, exc.message)
    body = serialize(QueryResult("graph", triples=triples), fmt)
    return Response(body, mimetype=media)


def _stats_or_none() -> dict[str, Any] | None:
    """The store's counts, or None when it cannot answer (the description is given without them)."""
    try:
        return store_stats(get_store())
    except StoreError:
        return None


@bp.get("/void")
@bp.get("/.well-known/void")
def void() -> Response:
    """The VoID description of the dataset (counts, classes, properties, endpoint)."""
    try:
        stats = store_stats(get_store())
    except StoreError as exc:
        return text_response(exc.status, exc.message)
    dcat = catalogue(current_app.config.get("DIST_DIR"))
    named = {p.value for _, p, _ in dcat} & {DCT + "title", DCT + "description"}  # the catalogue's win
    described = [t for t in void_description(stats) if t[1].value not in named] + dcat
    return _rdf_response(list(dict.fromkeys(described)), request.args.get("format"))


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
            return text_response(exc.status, exc.message)
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
    return text_response(404, f"no example query {name!r}")


@bp.errorhandler(StoreUnavailable)
def _unavailable(exc: StoreUnavailable) -> Response:
    return text_response(503, exc.message)
