"""A query worker: one long-lived process that holds the graph in pyoxigraph and answers queries.

Started by :class:`store.embedded.WorkerPool` as
``python -m store._worker GRAPH_FILE GRAPH_IRI MAX_MEMORY_BYTES``. It talks over stdin/stdout in
frames (4-byte big-endian length + pickle). The parent kills it when a query runs past its time
limit and starts a fresh one, which is what makes the limit real. It exits when its stdin closes
(the parent is gone).

Before it reads anything it leaves the network (:func:`store.sandbox.isolate_network`) and caps
its memory. Queries run in a thread with a 256 MiB stack: Oxigraph's parser and evaluator recurse
once per level of nesting or per operator in a chain, and the default 8 MiB stack overflowed
(a crash, not an error) on queries of a few kilobytes, well inside the size limit.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
import threading
import time

from store import QueryResult, StoreError, Term, take_within
from store.safety import check_query, syntax_message
from store.sandbox import isolate_network, limit_memory

QUERY_STACK_BYTES = 256 * 1024 * 1024

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def read_frame(fd: int) -> object | None:
    head = _read_exact(fd, 4)
    if head is None:
        return None
    (n,) = struct.unpack(">I", head)
    body = _read_exact(fd, n)
    if body is None:
        return None
    return pickle.loads(body)


def _read_exact(fd: int, n: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < n:
        chunk = os.read(fd, n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def write_frame(fd: int, obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(struct.pack(">I", len(data)) + data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def to_term(t) -> Term | None:
    import pyoxigraph as ox

    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return Term("uri", t.value)
    if isinstance(t, ox.Literal):
        lang = t.language
        dt = t.datatype.value
        return Term("literal", t.value, None if dt in (_XSD_STRING, _RDF_LANGSTRING) else dt, lang)
    if isinstance(t, ox.BlankNode):
        return Term("bnode", t.value)
    return Term("literal", str(t))  # RDF-star quoted triple: shown as text


class Engine:
    """The pyoxigraph store of one worker (also usable in-process, e.g. by the benchmark)."""

    def __init__(self, graph_file: str, graph_iri: str):
        import pyoxigraph as ox

        self.ox = ox
        self.store = ox.Store()
        self.graph_iri = graph_iri
        fmt = ox.RdfFormat.from_extension(graph_file.rsplit(".", 1)[-1]) or ox.RdfFormat.N_TRIPLES
        with open(graph_file, "rb") as fh:
            self.store.load(fh, format=fmt, to_graph=ox.NamedNode(graph_iri))
        self.graphs = frozenset(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))
        self.size = len(self.store)

    def run(self, query: str, max_rows: int, default_graphs=None, named_graphs=None,
            max_bytes: int = 0, base_iri: str | None = None) -> QueryResult:
        ox = self.ox
        verdict = check_query(query, self.graphs, default_graphs, named_graphs, base_iri)
        kwargs: dict = {"base_iri": base_iri} if base_iri else {}
        if default_graphs or named_graphs:
            # The protocol's dataset replaces the query's FROM/FROM NAMED whole: a part not given is
            # empty (pyoxigraph would keep the query's, or make every graph a named graph).
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs or ()]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or ()]
        elif not verdict.has_dataset:
            # pyoxigraph lets this flag override a query's FROM, so it is only set without one
            kwargs["use_default_graph_as_union"] = True
        try:
            res = self.store.query(verdict.text, **kwargs)
        except SyntaxError as exc:
            from store import QuerySyntaxError

            raise QuerySyntaxError(syntax_message(verdict.text, str(exc))) from None
        if isinstance(res, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(res))
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            rows, cut_by = take_within(([to_term(sol[i]) for i in range(len(names))] for sol in res),
                                       max_rows, max_bytes)
            return QueryResult("select", vars=names, rows=rows, truncated_by=cut_by, max_rows=max_rows,
                               max_bytes=max_bytes)
        triples, cut_by = take_within(((to_term(t.subject), to_term(t.predicate), to_term(t.object)) for t in res),
                                      max_rows, max_bytes)
        return QueryResult("graph", triples=triples, truncated_by=cut_by, max_rows=max_rows, max_bytes=max_bytes)


def main(argv: list[str]) -> int:
    isolation = isolate_network()  # first: a namespace can only be entered with one thread
    # a Ctrl-C in the terminal reaches the whole process group; the server ends its workers itself
    # (their stdin closes), so a worker lets it pass instead of printing a KeyboardInterrupt traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    graph_file, graph_iri, max_memory = argv[1], argv[2], int(argv[3]) if len(argv) > 3 else 0
    limit_memory(max_memory)
    threading.stack_size(QUERY_STACK_BYTES)
    status: list[int] = [1]
    loop = threading.Thread(target=lambda: status.__setitem__(0, serve(graph_file, graph_iri, isolation)))
    loop.start()
    loop.join()
    return status[0]


def serve(graph_file: str, graph_iri: str, isolation: str) -> int:
    """Load the graph, say so, then answer requests until stdin closes."""
    fin, fout = sys.stdin.fileno(), sys.stdout.fileno()
    # nothing else may write to the frame channel
    sys.stdout = sys.stderr
    t0 = time.perf_counter()
    try:
        engine = Engine(graph_file, graph_iri)
    except Exception as exc:  # noqa: BLE001 - a broken graph file: tell the parent, then stop
        write_frame(fout, ("error", "StoreUnavailable", f"cannot load {graph_file}: {exc}"))
        return 1
    # warm the full safety check (rdflib's parser) now, not on the first query that needs it
    check_query("SELECT * FROM <urn:x:warm> WHERE { ?s ?p ?o }", {"urn:x:warm"})
    write_frame(fout, ("ready", sorted(engine.graphs), engine.size, time.perf_counter() - t0, isolation))
    while True:
        req = read_frame(fin)
        if req is None:
            return 0
        op = req.get("op")
        try:
            if op == "query":
                result = engine.run(req["query"], req["max_rows"], req.get("default_graphs"),
                                    req.get("named_graphs"), req.get("max_bytes") or 0, req.get("base_iri"))
                write_frame(fout, ("ok", result))
            elif op == "ping":
                write_frame(fout, ("ok", None))
            else:
                write_frame(fout, ("error", "StoreError", f"unknown op {op!r}"))
        except StoreError as exc:
            write_frame(fout, ("error", type(exc).__name__, exc.message))
        except Exception as exc:  # noqa: BLE001 - an engine failure must not kill the worker
            write_frame(fout, ("error", "StoreError", f"{type(exc).__name__}: {exc}"))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
