"""The query workers: one process loads the graph into pyoxigraph once and forks each worker from itself.

Started by :class:`store.embedded.WorkerPool` as
``python -m store._worker GRAPH_FILE GRAPH_IRI MAX_MEMORY_BYTES CONTROL_FD``. This first process,
the *spawner*, leaves the network (:func:`store.sandbox.isolate_network`), caps its memory, loads the
graph and warms the safety check (rdflib's parser: 0.24 s of CPU, more than the load), then waits
on its control socket. For each worker the pool sends a pair of pipe ends; the spawner forks a
child that answers queries on them, already loaded, warm, off the network and capped, and replies
with the child's pid. A fork takes milliseconds where starting a process took 0.3 s of CPU on an
idle machine and seconds on a loaded one, and the pool replaces a worker after every runaway query.

A worker talks in frames (4-byte big-endian length + pickle). The pool kills it when a query runs
past its time limit and forks a fresh one, which is what makes the limit real. It exits when its
request pipe closes (the pool is gone); the spawner exits when its control socket closes. Children
are reaped by the kernel (``SIGCHLD`` ignored), so a killed worker leaves no zombie. Queries run in
a thread with a 256 MiB stack: Oxigraph's parser and evaluator recurse once per level of nesting or
per operator in a chain, and the default 8 MiB stack overflowed (a crash, not an error) on queries
of a few kilobytes, well inside the size limit.
"""

from __future__ import annotations

import os
import pickle
import signal
import socket
import struct
import sys
import threading
import time

from store import QueryResult, QuerySyntaxError, QueryUnsupported, StoreError, Term, take_within
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
            raise QuerySyntaxError(syntax_message(verdict.text, str(exc))) from None
        except RuntimeError as exc:  # Oxigraph plans the query before it runs it
            if not str(exc).startswith("The custom function"):
                raise
            raise QueryUnsupported(unknown_function(str(exc))) from None
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


def unknown_function(message: str) -> str:
    """What the client reads when a query calls a function the engine does not have (Oxigraph's
    message: "The custom function <iri> is not supported")."""
    iri = message[message.find("<"):message.rfind(">") + 1] or "this function"
    return (f"the query calls {iri} as a function, and this endpoint has no such function: it has "
            "SPARQL 1.1's functions and the XSD casts such as xsd:integer(?x). A prefixed name "
            "followed by '(' is read as a function call")


def main(argv: list[str]) -> int:
    """Run the spawner: load once, then fork a worker for each pair of pipe ends the pool sends."""
    isolation = isolate_network()  # first: a namespace can only be entered with one thread
    # a Ctrl-C in the terminal reaches the whole process group; the server ends its workers itself
    # (their pipes close), so they let it pass instead of printing a KeyboardInterrupt traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
    graph_file, graph_iri, max_memory, control = argv[1], argv[2], int(argv[3]), int(argv[4])
    limit_memory(max_memory)
    sys.stdout = sys.stderr  # the control socket is the only channel to the pool
    sock = socket.socket(fileno=control)
    t0 = time.perf_counter()
    try:
        engine = Engine(graph_file, graph_iri)
    except Exception as exc:  # noqa: BLE001 - a broken graph file: tell the pool, then stop
        sock.send(pickle.dumps(("error", "StoreUnavailable", f"cannot load {graph_file}: {exc}")))
        return 1
    # warm the full safety check now, once for every worker, not on the first query that needs it
    check_query("SELECT * FROM <urn:x:warm> WHERE { ?s ?p ?o }", {"urn:x:warm"})
    ready = ("ready", sorted(engine.graphs), engine.size, time.perf_counter() - t0, isolation)
    sock.send(pickle.dumps(ready))
    while True:
        try:
            msg, fds, _flags, _addr = socket.recv_fds(sock, 64, 2)
        except OSError:
            return 0
        if not msg or len(fds) != 2:
            return 0  # the pool has gone
        pid = os.fork()
        if pid == 0:
            sock.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os._exit(_run_worker(engine, fds[0], fds[1]))
        for fd in fds:
            os.close(fd)
        sock.send(struct.pack(">i", pid))


def _run_worker(engine: Engine, fin: int, fout: int) -> int:
    """The forked worker: say it is ready, then answer on its own pipes until the request pipe closes."""
    status: list[int] = [1]
    threading.stack_size(QUERY_STACK_BYTES)
    loop = threading.Thread(target=lambda: status.__setitem__(0, serve(engine, fin, fout)))
    loop.start()
    loop.join()
    return status[0]


def serve(engine: Engine, fin: int, fout: int) -> int:
    """Say ready (the pool learnt the graph's size and graphs from the spawner), then answer
    requests until the request pipe closes."""
    write_frame(fout, ("ready",))
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
            else:
                write_frame(fout, ("error", "StoreError", f"unknown op {op!r}"))
        except StoreError as exc:
            write_frame(fout, ("error", type(exc).__name__, exc.message))
        except Exception as exc:  # noqa: BLE001 - an engine failure must not kill the worker
            write_frame(fout, ("error", "StoreError", f"{type(exc).__name__}: {exc}"))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
