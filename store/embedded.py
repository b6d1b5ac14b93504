"""The embedded store: pyoxigraph in long-lived worker processes, loaded from ``dist/graph.nt``.

Why processes: a query cannot be stopped inside pyoxigraph from another thread, so a runaway query
in a thread would keep burning a core after its client got a timeout. A worker process can be
killed. Measured: a long-lived worker adds ~0.4 ms per query, a fork per query 5–10 ms, a spawn per
query ~200 ms; so the pool keeps workers alive and only replaces the one that was killed.
"""

from __future__ import annotations

import atexit
import os
import queue
import select
import struct
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path

from store import (
    DEFAULT_GRAPH_IRI,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    QueryRefused,
    QueryResult,
    QuerySyntaxError,
    QueryTimeout,
    StoreBusy,
    StoreError,
    StoreUnavailable,
    UnknownGraph,
    describe_query,
)
from store._worker import write_frame

_ERRORS = {cls.__name__: cls for cls in (QueryRefused, QuerySyntaxError, QueryTimeout, StoreBusy,
                                          StoreError, StoreUnavailable, UnknownGraph)}
_ROOT = str(Path(__file__).resolve().parent.parent)


class _Worker:
    def __init__(self, graph_file: str, graph_iri: str):
        env = dict(os.environ)
        env["PYTHONPATH"] = _ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "store._worker", graph_file, graph_iri],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=_ROOT, bufsize=0,
        )
        self.fin = self.proc.stdout.fileno()
        self.fout = self.proc.stdin.fileno()
        self.graphs: frozenset[str] = frozenset()
        self.size = 0

    def wait_ready(self, timeout: float) -> None:
        msg = self.read(time.monotonic() + timeout)
        if msg[0] == "error":
            raise StoreUnavailable(msg[2])
        _, graphs, self.size, _secs = msg
        self.graphs = frozenset(graphs)

    def read(self, deadline: float):
        head = self._read_exact(4, deadline)
        (n,) = struct.unpack(">I", head)
        import pickle

        return pickle.loads(self._read_exact(n, deadline))

    def _read_exact(self, n: int, deadline: float) -> bytes:
        buf = bytearray()
        while len(buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.fin], [], [], left)
            if not ready:
                raise TimeoutError
            chunk = os.read(self.fin, n - len(buf))
            if not chunk:
                raise EOFError("worker exited")
            buf += chunk
        return bytes(buf)

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


class WorkerPool:
    """A fixed number of workers; a killed or dead worker is replaced in the background."""

    def __init__(self, graph_file: str, graph_iri: str, size: int, start_timeout: float = 120.0):
        self.graph_file, self.graph_iri, self.size = graph_file, graph_iri, size
        self.start_timeout = start_timeout
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.closed = False
        self.replaced = 0
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        workers = [self._spawn() for _ in range(size)]
        try:
            for w in workers:
                w.wait_ready(start_timeout)
        except Exception:
            self.close()
            raise
        self.graphs = workers[0].graphs
        self.triples = workers[0].size
        for w in workers:
            self.idle.put(w)

    def _spawn(self) -> _Worker:
        w = _Worker(self.graph_file, self.graph_iri)
        with self._lock:
            self._all.add(w)
        return w

    def _retire(self, w: _Worker) -> None:
        """Kill a worker and start its replacement, without making the caller wait."""
        with self._lock:
            self._all.discard(w)
            self.replaced += 1
        threading.Thread(target=self._replace, args=(w,), daemon=True).start()

    def _replace(self, old: _Worker) -> None:
        old.kill()
        if self.closed:
            return
        for _attempt in range(3):
            w = self._spawn()
            try:
                w.wait_ready(self.start_timeout)
            except Exception:  # noqa: BLE001 - a replacement that fails to start is retried
                with self._lock:
                    self._all.discard(w)
                w.kill()
                continue
            if self.closed:
                w.kill()
                return
            self.idle.put(w)
            return

    def run(self, request: dict, timeout: float, wait: float) -> QueryResult:
        if self.closed:
            raise StoreUnavailable("the store is closed")
        try:
            w = self.idle.get(timeout=wait)
        except queue.Empty:
            raise StoreBusy(f"all {self.size} query workers are busy; try again shortly") from None
        deadline = time.monotonic() + timeout
        try:
            write_frame(w.fout, request)
            msg = w.read(deadline)
        except TimeoutError:
            self._retire(w)
            raise QueryTimeout(
                f"the query ran past the time limit of {timeout:g} s and was stopped "
                "(its worker process was killed); add a LIMIT or narrow the pattern"
            ) from None
        except (EOFError, OSError, struct.error) as exc:
            self._retire(w)
            raise StoreError(f"the query worker died ({exc or type(exc).__name__}); it has been replaced") from None
        self.idle.put(w)
        if msg[0] == "ok":
            return msg[1]
        raise _ERRORS.get(msg[1], StoreError)(msg[2])

    def close(self) -> None:
        self.closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.kill()


class EmbeddedStore:
    """The default store. ``workers`` long-lived processes each hold the whole graph (ours is small)."""

    def __init__(self, graph_file: str | os.PathLike[str], graph_iri: str = DEFAULT_GRAPH_IRI,
                 workers: int | None = None, queue_wait: float | None = None):
        self.graph_file = str(Path(graph_file).resolve())
        if not Path(self.graph_file).exists():
            raise StoreUnavailable(f"{graph_file} does not exist: run `python build.py` first")
        self.graph_iri = graph_iri
        n = workers or int(os.environ.get("LEANGEN_SPARQL_WORKERS") or 0) or max(2, min(8, (os.cpu_count() or 2) * 2))
        self.queue_wait = queue_wait
        self.pool = WorkerPool(self.graph_file, graph_iri, n)
        self.triples = self.pool.triples
        _finalizer = weakref.finalize(self, WorkerPool.close, self.pool)
        atexit.register(_finalizer)

    def graphs(self) -> list[str]:
        return sorted(self.pool.graphs)

    def query(self, sparql: str, *, timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> QueryResult:
        request = {"op": "query", "query": sparql, "max_rows": max_rows,
                   "default_graphs": default_graphs or None, "named_graphs": named_graphs or None}
        wait = self.queue_wait if self.queue_wait is not None else max(timeout, 1.0)
        return self.pool.run(request, timeout, wait)

    def describe(self, iri: str, *, timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS
                 ) -> QueryResult:
        return self.query(describe_query(iri), timeout=timeout, max_rows=max_rows)

    def load(self, path: str | os.PathLike[str], graph: str = DEFAULT_GRAPH_IRI) -> int:
        """Replace the graph with the one in ``path``: a new pool is started, then the old one stopped."""
        old = self.pool
        self.graph_file, self.graph_iri = str(Path(path).resolve()), graph
        self.pool = WorkerPool(self.graph_file, graph, old.size)
        self.triples = self.pool.triples
        old.close()
        return self.triples

    def close(self) -> None:
        self.pool.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
