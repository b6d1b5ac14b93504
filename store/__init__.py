"""The store: one small interface in front of the graph, two implementations.

* :class:`store.embedded.EmbeddedStore` (the default) holds the graph in-process with pyoxigraph and
  runs every query in a pool of long-lived worker processes, so a query that runs past its time
  limit is really stopped (its worker is killed and replaced).
* :class:`store.remote.RemoteStore` talks to any SPARQL 1.1 endpoint by URL (Virtuoso, Fuseki,
  GraphDB …) and publishes to it with the SPARQL 1.1 Graph Store HTTP Protocol.

Both run the same safety check (:mod:`store.safety`) on the parsed query before anything runs:
no update, no ``SERVICE``, ``FROM``/``FROM NAMED`` only for graphs that are in the store.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol, runtime_checkable


def __getattr__(name: str) -> Any:
    """``DEFAULT_GRAPH_IRI`` (the named graph the build's graph is loaded into; the default graph of every
    query is the union of the named graphs) and ``PREFIXES`` (for Turtle output and the editor, default
    base), from :mod:`graph.vocab` on first use: looked up late so that the query workers, which import
    this package, do not import rdflib (a slower worker start is a slower replacement of a killed one)."""
    if name in ("DEFAULT_GRAPH_IRI", "PREFIXES"):
        from graph import vocab

        return vocab.DEFAULT_GRAPH_IRI if name == "DEFAULT_GRAPH_IRI" else vocab.prefixes()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_ROWS = 10_000
#: The byte limit of one answer, counted on the terms' text (see store._worker.TERM_OVERHEAD).
DEFAULT_MAX_BYTES = 16 * 1024 * 1024


class Term(NamedTuple):
    """An RDF term as it travels between processes and into the result serialisers."""

    kind: str  # "uri" | "literal" | "bnode"
    value: str
    datatype: str | None = None  # None for xsd:string and language-tagged strings
    lang: str | None = None


@dataclass
class QueryResult:
    """What a query returns, whatever the engine.

    ``kind`` is ``"select"`` (``vars`` and ``rows``), ``"ask"`` (``boolean``) or ``"graph"``
    (``triples``; CONSTRUCT and DESCRIBE). ``truncated_by`` says why a result was cut: ``"rows"``
    (the row limit) or ``"bytes"`` (the byte limit); callers must say so to their users.
    """

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)
    truncated_by: str | None = None
    max_rows: int | None = None
    max_bytes: int | None = None

    @property
    def truncated(self) -> bool:
        return self.truncated_by is not None

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)


class StoreError(Exception):
    """Base class: every error a store raises carries an HTTP status and a message for the user."""

    status = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class QuerySyntaxError(StoreError):
    """The query does not parse (the message names line and column)."""

    status = 400


class QueryTooComplex(StoreError):
    """The query is shaped beyond a documented limit (nesting depth); the message names the limit."""

    status = 400


class QueryUnsupported(StoreError):
    """The query parses but asks for something the engine does not have (a function outside SPARQL 1.1)."""

    status = 400


class QueryRefused(StoreError):
    """The query parses but is not allowed here (update, SERVICE)."""

    status = 403


class UnknownGraph(StoreError):
    """FROM / FROM NAMED / default-graph-uri / named-graph-uri names a graph that is not in the store."""

    status = 400


class QueryTimeout(StoreError):
    """The query ran past the time limit and was stopped."""

    status = 503


class StoreBusy(StoreError):
    """No worker became free in time."""

    status = 503


class StoreUnavailable(StoreError):
    """The store cannot answer at all (graph not built, remote endpoint down)."""

    status = 503


class StoreNotReady(StoreUnavailable):
    """There is nothing to serve yet: the graph has not been built (or its file is gone).

    Its own class so that pages can tell "build the graph" from "the store is down", and neither
    from a bug (which is a 500, never a 503).
    """


@runtime_checkable
class Store(Protocol):
    """The interface the viewer uses; ``build.py publish`` uses :meth:`store.remote.RemoteStore.load` itself."""

    def query(
        self,
        sparql: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a read-only query; relative IRIs in it resolve against ``base_iri`` (the endpoint's URL)."""

    def graphs(self) -> list[str]: ...

    def close(self) -> None: ...


#: What a term costs in a serialised answer besides its text (JSON keys, quotes, XML tags): the
#: byte limit counts ``len(value) + len(datatype or lang) + TERM_OVERHEAD`` for each term.
TERM_OVERHEAD = 40


def take_within(rows: Iterable[Sequence[Term | None]], max_rows: int, max_bytes: int = 0
                ) -> tuple[list, str | None]:
    """Rows up to ``max_rows`` and ``max_bytes`` (0: no byte limit), and which limit cut them, if any.

    The rows are read one at a time, so an answer that would be gigabytes is never held whole.
    """
    out: list = []
    spent = 0
    for row in rows:
        if len(out) >= max_rows:
            return out, "rows"
        if max_bytes:
            spent += sum(term_bytes(t) for t in row)
            if spent > max_bytes:
                return out, "bytes"
        out.append(row if isinstance(row, tuple) else list(row))
    return out, None


def term_bytes(t: Term | None) -> int:
    """What a term counts against the byte limit."""
    if t is None:
        return 1
    return len(t.value) + len(t.datatype or t.lang or "") + TERM_OVERHEAD


def open_store(spec: str | os.PathLike[str] | None = None, **options: Any) -> Store:
    """Open a store from a spec: an ``http(s)://`` URL (remote) or a dist directory / graph file.

    With no spec, ``dist/``. The spec is given by the caller (``build.py serve --store``, env
    ``LEANGEN_STORE``), never read from the environment here: see docs/settings.md.
    """
    spec = spec or Path(__file__).resolve().parent.parent / "dist"
    text = str(spec)
    if text.startswith(("http://", "https://")):
        from store.remote import RemoteStore

        return RemoteStore(text, **options)
    from store.embedded import EmbeddedStore

    return EmbeddedStore(graph_file(text), **options)


def graph_file(path: str | os.PathLike[str]) -> Path:
    """The graph file in a dist directory (graph.nt preferred: the fastest to load), or the file itself."""
    p = Path(path)
    if p.is_dir():
        for name in ("graph.nt", "graph.ttl"):
            if (p / name).exists():
                return p / name
        raise StoreNotReady(f"no graph in {p}: run `python build.py` first")
    if not p.exists():
        raise StoreNotReady(f"{p} does not exist: run `python build.py` first")
    return p
