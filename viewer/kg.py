"""Graph access for the viewer pages: one place that talks to the store.

The viewer reads the graph only through the store interface (``app.config["STORE"].query``).
Stores differ in what ``query`` returns (rdflib results, pyoxigraph solutions, SPARQL JSON),
so this module turns every answer into rows of rdflib terms and, for display, plain Python
values. Every query a page runs is remembered in ``flask.g`` so the page can show the SPARQL
that produced it, with a link that opens it in the editor.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import rdflib
from flask import current_app, g, has_app_context
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from graph import vocab
from store import QueryResult, Term
from store.remote import RemoteStore

PK = vocab.PK_IRI
DEFAULT_BASE = vocab.DEFAULT_BASE
#: The placeholder domain of the default IRIs: the ontology, the dataset and graph IRIs live here
#: whatever the data's base, and this viewer serves them at their own path (``/ontology#Commitment``).
SITE = vocab.SITE
ONTOLOGY = vocab.ONTOLOGY_IRI

#: A base IRI for code that runs without an app (the build writing ``dist/network.html``).
_BASE: ContextVar[str | None] = ContextVar("leangen_base_iri", default=None)

#: The prefixes page queries may use (ours and the standard ones; no data prefixes, which depend on
#: the base). A query gets the lines of those it uses (:func:`with_prefixes`).
PREFIXES = vocab.sparql_prefixes(("pk", "skos", "rdfs", "dcterms", "geo", "rdf"))
_PREFIX_LINES = {line.split()[1][:-1]: line + "\n" for line in PREFIXES.splitlines()}
_PREFIXED_NAME = re.compile(r"(?<![\w.:-])([A-Za-z][\w-]*):")

#: Whole-graph queries (the network, the place index) need more rows than an editor query.
MAX_ROWS = 200_000

NUMERIC = {
    XSD.integer, XSD.positiveInteger, XSD.nonNegativeInteger, XSD.int, XSD.long,
    XSD.decimal, XSD.double, XSD.float,
}
_NUMERIC_IRIS = frozenset(map(str, NUMERIC))


class GraphStore:
    """A store over an in-memory rdflib graph.

    Used where the viewer code runs without the app's store: the build writes ``dist/network.html``
    from an ``rdflib.Graph``, and tests load a fixture. It has the one method the viewer needs.
    """

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph

    def query(self, sparql: str, **_: Any) -> Any:
        """Run a SPARQL query on the wrapped graph (rdflib's own engine)."""
        return self.graph.query(sparql)


# --- turning store answers into rdflib terms -------------------------------------------------

def to_term(value: Any) -> URIRef | Literal | BNode | None:
    """Convert one bound value from any supported store into an rdflib term.

    Handles rdflib terms, pyoxigraph terms and SPARQL-JSON binding objects, so the pages do not
    care which store the app was started with.
    """
    if value is None:
        return None
    if isinstance(value, (URIRef, Literal, BNode)):
        return value
    if isinstance(value, tuple) and hasattr(value, "kind"):  # store.Term
        if value.kind == "uri":
            return URIRef(value.value)
        if value.kind == "bnode":
            return BNode(value.value)
        if value.lang:
            return Literal(value.value, lang=value.lang)
        return Literal(value.value, datatype=URIRef(value.datatype) if value.datatype else None)
    if isinstance(value, dict):  # SPARQL 1.1 JSON results binding
        kind = value.get("type")
        if kind == "uri":
            return URIRef(value["value"])
        if kind == "bnode":
            return BNode(value["value"])
        dt = value.get("datatype")
        lang = value.get("xml:lang")
        return Literal(value["value"], lang=lang, datatype=URIRef(dt) if dt and not lang else None)
    cls = type(value).__name__
    if cls == "NamedNode":
        return URIRef(value.value)
    if cls == "BlankNode":
        return BNode(value.value)
    if cls == "Literal":
        lang = getattr(value, "language", None)
        dt = getattr(value, "datatype", None)
        dt_iri = getattr(dt, "value", None)
        if lang:
            return Literal(value.value, lang=lang)
        if dt_iri and dt_iri != str(XSD.string):
            return Literal(value.value, datatype=URIRef(dt_iri))
        return Literal(value.value)
    return Literal(str(value))


def _rows(result: Any) -> list[dict[str, Any]]:
    """Rows of rdflib terms from whatever ``Store.query`` returned for a SELECT."""
    if hasattr(result, "kind") and hasattr(result, "rows") and hasattr(result, "vars"):  # store.QueryResult
        return [{n: to_term(v) for n, v in zip(result.vars, row)} for row in result.rows]
    if isinstance(result, dict) and "results" in result:
        return [{k: to_term(v) for k, v in b.items()} for b in result["results"]["bindings"]]
    if hasattr(result, "vars") and hasattr(result, "bindings"):  # rdflib Result
        names = [str(v) for v in (result.vars or [])]
        return [{n: to_term(row.get(rdflib.Variable(n))) for n in names} for row in result.bindings]
    variables = getattr(result, "variables", None)
    if variables is not None:  # pyoxigraph QuerySolutions
        names = [getattr(v, "value", str(v)).lstrip("?") for v in variables]
        return [{n: to_term(sol[n]) for n in names} for sol in result]
    if isinstance(result, Iterable):
        out = []
        for row in result:
            if isinstance(row, dict):
                out.append({k: to_term(v) for k, v in row.items()})
            elif hasattr(row, "asdict"):
                out.append({k: to_term(v) for k, v in row.asdict().items()})
        return out
    raise TypeError(f"cannot read query result of type {type(result).__name__}")


def py(term: Any) -> Any:
    """A display value: IRIs and text as ``str``, numbers as ``int``/``float``, unbound as None."""
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.datatype in NUMERIC:
            try:
                v = term.toPython()
                if isinstance(v, Decimal):
                    return int(v) if v == v.to_integral_value() else float(v)
                return v
            except (ValueError, TypeError):
                return str(term)
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def store_of(source: Any = None) -> Any:
    """The store to query: an explicit one (or an rdflib graph), else the app's.

    Raises :class:`store.StoreError` (``StoreNotReady`` before the build) and nothing else of its
    own: errors are not translated here, so a bug is never reported as a missing graph.
    """
    if source is None:
        store = current_app.config.get("STORE")
        if store is None:
            # the endpoint opens the embedded store from DIST_DIR on first use; share it. A graph
            # not built yet raises store.StoreNotReady (a 503 page); anything else is a bug (a 500)
            from viewer.sparql import get_store

            store = get_store(current_app)
        return store
    if isinstance(source, rdflib.Graph):
        return GraphStore(source)
    return source


def _remember(sparql: str) -> None:
    """Keep the query for the page's "SPARQL behind this page" block (request-scoped)."""
    if has_app_context():
        g.setdefault("queries", [])
        if sparql not in g.queries:
            g.queries.append(sparql)


def with_prefixes(sparql: str) -> str:
    """``sparql`` after the PREFIX lines of the prefixes it uses: what the "SPARQL behind this page"
    block shows and the editor opens, and less text for the endpoint's safety check to read."""
    if sparql.lstrip().upper().startswith("PREFIX"):
        return sparql
    used = set(_PREFIXED_NAME.findall(sparql))
    return "".join(line for name, line in _PREFIX_LINES.items() if name in used) + sparql


def _run(sparql: str, source: Any) -> Any:
    full = with_prefixes(sparql)
    _remember(full)
    return store_of(source).query(full, max_rows=MAX_ROWS)


def select_terms(sparql: str, source: Any = None) -> list[dict[str, Any]]:
    """Run a SELECT and return rows of rdflib terms (types kept, for RDF output)."""
    return _rows(_run(sparql, source))


def select(sparql: str, source: Any = None) -> list[dict[str, Any]]:
    """Run a SELECT and return rows of plain Python values (for templates): ``py`` of each term, read
    straight from the embedded store's terms where it answered (no rdflib term made on the way)."""
    result = _run(sparql, source)
    if isinstance(result, QueryResult) and result.kind == "select":
        return [{n: _py_of(t) for n, t in zip(result.vars, row)} for row in result.rows]
    return [{k: py(v) for k, v in row.items()} for row in _rows(result)]


def _py_of(term: Term | None) -> Any:
    """``py(to_term(term))`` for a store term: only numbers need rdflib's reading of their lexical form."""
    if term is None:
        return None
    if term.kind == "literal" and not term.lang and term.datatype in _NUMERIC_IRIS:
        return py(to_term(term))
    return term.value


def iri(value: str) -> str:
    """An IRI as a SPARQL term; refuses characters that could break out of ``<…>``."""
    if any(c in value for c in '<>"{}|^`\\ \n\r\t'):
        raise ValueError("not an IRI")
    return f"<{value}>"


def base_iri() -> str:
    """The data base IRI: app config, then :func:`using_base`, then ``LEANGEN_BASE_IRI``, then the default."""
    if has_app_context() and current_app.config.get("BASE_IRI"):
        return str(current_app.config["BASE_IRI"])
    return _BASE.get() or os.environ.get("LEANGEN_BASE_IRI", DEFAULT_BASE)


@contextmanager
def using_base(base: str | None) -> Iterator[None]:
    """Map IRIs with ``base`` where there is no app to ask (the build knows its base, the env may not)."""
    token = _BASE.set(base)
    try:
        yield
    finally:
        _BASE.reset(token)


def base_of(graph: rdflib.Graph) -> str | None:
    """The base IRI a built graph was made with: the build binds it to the ``lk:`` prefix."""
    return next((str(ns) for prefix, ns in graph.namespaces() if prefix == "lk"), None)


def data_prefix() -> str:
    """The path under which data IRIs are served: the base's own path, so that an IRI dereferences
    on a server published at the base's host; ``/`` for the placeholder default base (short paths)."""
    from graph.network_model import page_prefix

    return page_prefix(base_iri())


def data_prefixes() -> list[str]:
    """Every path prefix that serves data IRIs: :func:`data_prefix`, and for a base on the placeholder
    domain also the IRI's own path (``/id/place/heimdal`` beside ``/place/heimdal``)."""
    prefixes = [data_prefix()]
    if base_iri().startswith(SITE) and urlsplit(base_iri()).path not in prefixes:
        prefixes.append(urlsplit(base_iri()).path)
    return prefixes


def page_spaces() -> list[dict[str, str]]:
    """IRI namespaces and the path each is served under, most specific first (for scripts that
    turn IRIs into local links: the SPARQL editor's results)."""
    return [{"iri": base_iri(), "path": data_prefix()}, {"iri": SITE, "path": "/"}]


def local_path(value: str | None) -> str | None:
    """The path at which this viewer serves an IRI (with its ``#fragment``), or None for IRIs from elsewhere."""
    if not value:
        return None
    for space in page_spaces():
        if value.startswith(space["iri"]):
            return space["path"] + value[len(space["iri"]):]
    return None


#: Each byte as ``quote(…, safe="")`` writes it: letters, digits and ``_.-~`` as they are, the rest %XX
_QUOTED = [chr(b) if chr(b).isascii() and (chr(b).isalnum() or chr(b) in "_.-~") else f"%{b:02X}"
           for b in range(256)]


def sparql_editor_link(sparql: str) -> str:
    """A link that opens a query in the SPARQL editor (it reads ``#query=``; ``?query=`` would run it).

    The same text as ``quote(sparql, safe="")``, by table: every page links each of its queries,
    and quote's per-byte function calls were some 5 % of an entity page's time (5× faster by table)."""
    return "/sparql#query=" + "".join(map(_QUOTED.__getitem__, sparql.encode("utf-8")))


def cached(key: str, build: Any) -> Any:
    """Memoise an expensive whole-graph computation in ``app.config`` (the graph is read-only).

    The queries the computation ran are kept with the value, so a cached page still shows them.
    """
    cache = current_app.config.setdefault("VIEWER_CACHE", {})
    if key not in cache:
        before = list(g.get("queries", []))
        value = build()
        cache[key] = (value, [q for q in g.get("queries", []) if q not in before])
    value, queries = cache[key]
    for q in queries:
        _remember(q)
    return value


def products_dir() -> Path | None:
    """The ``dist/`` whose products describe the graph the app serves, or None (a remote store)."""
    if isinstance(current_app.config.get("STORE"), RemoteStore):
        return None
    dist = current_app.config.get("DIST_DIR")
    return Path(dist) if dist else None
