"""The embedded store: pyoxigraph in long-lived worker processes, loaded from ``dist/graph.nt``.

Why processes: a query cannot be stopped inside pyoxigraph from another thread, so a runaway query
in a thread would keep burning a core after its client got a timeout. A worker process can be
killed, moved to a lower CPU class, capped in memory and kept off the network
(:mod:`store.sandbox`). Measured: a long-lived worker adds ~0.4 ms per query, a fork per query
5–10 ms; so the pool keeps workers alive and only replaces the ones it must. Each worker is forked
from one process that has loaded the graph (:class:`_Spawner`): a start of its own, with the load
and the safety check's parser, cost 0.3 s of CPU, which the suite paid some fifty times.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import queue
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path

from store import (
    DEFAULT_GRAPH_IRI,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    QueryRefused,
    QueryResult,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooComplex,
    QueryUnsupported,
    StoreBusy,
    StoreError,
    StoreNotReady,
    StoreUnavailable,
    UnknownGraph,
)
from store._worker import write_frame

_ERRORS = {cls.__name__: cls for cls in (QueryRefused, QuerySyntaxError, QueryTimeout, QueryTooComplex,
                                          QueryUnsupported, StoreBusy, StoreError, StoreUnavailable, UnknownGraph)}
_ROOT = str(Path(__file__).resolve().parent.parent)
log = logging.getLogger("leangen.store")

#: Seconds after which a query counts as long: its worker drops to the idle CPU class and a fresh
#: worker takes its place. Every example query answers in under 5 ms; page queries in under 50 ms.
LONG_QUERY = 0.25
#: The default cap on a worker's address space: the graph and a 256 MiB query stack fit many
#: times over; a query that builds gigabytes of strings ends its own worker instead.
DEFAULT_WORKER_MEMORY = 1024 * 1024 * 1024
#: Seconds before retrying a worker that failed to start, doubling up to the second figure: a missing
#: graph file or a full machine is retried for as long as the pool is open, without spinning.
RESTART_BACKOFF = (0.5, 30.0)


class _Spawner:
    """The process that holds the loaded graph and forks the workers (:mod:`store._worker`).

    Starting it costs what starting a worker used to (0.3 s of CPU: the interpreter, the load, the
    safety check's parser); each worker after that is a fork of a few milliseconds.
    """

    def __init__(self, graph_file: str, graph_iri: str, max_memory: int, timeout: float):
        env = dict(os.environ)
        env["PYTHONPATH"] = _ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env["RUST_BACKTRACE"] = "0"  # an out-of-memory abort is logged by the pool in one line
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "store._worker", graph_file, graph_iri, str(max_memory),
                 str(theirs.fileno())],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, pass_fds=(theirs.fileno(),),
                env=env, cwd=_ROOT,
            )
        self.sock = ours
        self._lock = threading.Lock()
        try:
            msg = self._receive(timeout)
            if msg[0] == "error":
                raise StoreUnavailable(msg[2])
        except BaseException:
            self.close()
            raise
        _, graphs, self.size, _secs, self.isolation = msg
        self.graphs = frozenset(graphs)

    def _receive(self, timeout: float):
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(1 << 20)
        except TimeoutError:
            raise StoreUnavailable(f"the query workers' graph did not load within {timeout:g} s") from None
        if not data:
            raise StoreUnavailable(f"the query workers' process exited (exit {self.proc.wait()})")
        return pickle.loads(data)

    def fork(self) -> _Worker:
        """A new worker, forked from the loaded graph; its pipe ends stay here."""
        with self._lock:
            from_parent, to_child = os.pipe()
            from_child, to_parent = os.pipe()
            try:
                socket.send_fds(self.sock, [b"fork"], [from_parent, to_parent])
                self.sock.settimeout(30.0)
                data = self.sock.recv(16)
            except BaseException:
                os.close(to_child)
                os.close(from_child)
                self.proc.kill()  # a spawner that cannot fork is started again by the next attempt
                raise
            finally:
                os.close(from_parent)
                os.close(to_parent)
            if len(data) != 4:
                os.close(to_child)
                os.close(from_child)
                raise StoreUnavailable("the query workers' process has exited")
        (pid,) = struct.unpack(">i", data)
        return _Worker(pid, from_child, to_child)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        self.sock.close()  # the spawner exits when its socket closes; make sure
        try:
            self.proc.kill()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass


class _Worker:
    """One forked worker process and its frame channel (a pipe each way)."""

    def __init__(self, pid: int, fin: int, fout: int):
        self.pid, self.fin, self.fout = pid, fin, fout
        self.killed = False  # set before its pipe ends close: their numbers may soon be another's
        self._kill_once = threading.Lock()
        # poll, not select: the server may hold more than 1024 connections, and select() cannot
        # watch a descriptor numbered above that
        self._poll = select.poll()
        self._poll.register(self.fin, select.POLLIN)

    def wait_ready(self, timeout: float) -> None:
        msg = self.read(time.monotonic() + timeout)
        if msg[0] != "ready":
            raise StoreUnavailable(f"query worker {self.pid} said {msg[0]!r} where it should say ready")

    def alive(self) -> bool:
        """Whether the process is still there: its end of the pipe is open."""
        if self.killed:
            return False
        return not any(ev & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, ev in self._new_poll().poll(0))

    def _new_poll(self) -> select.poll:
        """A poll object on the worker's pipe for a caller other than the query's thread: that thread
        may be waiting in ``_poll``, and two threads in one poll object raise RuntimeError."""
        watch = select.poll()
        watch.register(self.fin, select.POLLIN)
        return watch

    def readable(self, deadline: float) -> bool:
        """Wait until the worker has something to say (or has exited), at most until ``deadline``."""
        left = deadline - time.monotonic()
        return bool(left > 0 and self._poll.poll(left * 1000))

    def read(self, deadline: float):
        head = self._read_exact(4, deadline)
        (n,) = struct.unpack(">I", head)
        return pickle.loads(self._read_exact(n, deadline))

    def _read_exact(self, n: int, deadline: float) -> bytes:
        buf = bytearray()
        while len(buf) < n:
            if not self.readable(deadline):
                raise TimeoutError
            chunk = os.read(self.fin, n - len(buf))
            if not chunk:
                raise EOFError("worker exited")
            buf += chunk
        return bytes(buf)

    def kill(self) -> None:
        """Kill the process and wait (up to 5 s) until it is gone: its end of the pipe closes as it
        exits, and the spawner, which ignores SIGCHLD, has the kernel reap it a moment later. Once
        only: a second call (the pool's close and a retirement's thread) would signal a pid and close
        descriptor numbers that may belong to others by then."""
        if not self._kill_once.acquire(blocking=False):
            return
        self.killed = True
        try:
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        deadline = time.monotonic() + 5
        closed = self._new_poll()
        while (left := deadline - time.monotonic()) > 0 and closed.poll(left * 1000):
            try:
                if not os.read(self.fin, 1 << 16):
                    break
            except OSError:
                break
        while time.monotonic() < deadline and _running(self.pid):
            time.sleep(0.001)
        for fd in (self.fin, self.fout):
            try:
                os.close(fd)
            except OSError:
                pass


def _running(pid: int) -> bool:
    """Whether process ``pid`` is still there and not a zombie (an orphan waits for init to reap it)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except (OSError, IndexError):
        return False


class WorkerPool:
    """``size`` workers for fresh queries, plus warm spares; a query that runs long stops counting.

    Fairness: a query still running after :data:`LONG_QUERY` seconds has its worker moved to the
    idle CPU class (``SCHED_IDLE``: it runs only when nothing else wants the CPU) and a new worker
    is started in its place, so clients that send runaway queries cannot take the capacity that
    everyone else's short queries need, even when all clients share one IP address. ``spare``
    more workers (half of ``size``, at least one) are kept ready: a burst of long queries finds
    them waiting instead of a fork in progress on a loaded machine. At most ``size`` long queries
    run at once; one more is stopped with 503. A worker that ran a long query is never reused (it
    is killed when its query ends): its priority cannot be raised again without privileges, and a
    fresh worker is a fork.

    Resilience: a worker that dies or fails to start is replaced in the background, with backoff
    (:data:`RESTART_BACKOFF`: 0.5 s doubling to 30 s), for as long as the pool is open; every death
    and restart is logged. A spawner that has died is started again, loading the graph file anew.
    """

    def __init__(self, graph_file: str, graph_iri: str, size: int, max_memory: int = 0,
                 start_timeout: float = 120.0):
        self.graph_file, self.graph_iri, self.size = graph_file, graph_iri, size
        self.spare = max(1, size // 2)
        self.max_memory, self.start_timeout = max_memory, start_timeout
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.closed = False
        self.restarts = 0
        self._lock = threading.Lock()
        self._ready: set[_Worker] = set()
        self._slow: set[_Worker] = set()
        self._starting = 0
        self._spawner_lock = threading.Lock()
        self._spawner: _Spawner | None = None
        spawner = self._spawner_ready()
        self.graphs, self.triples, self.isolation = spawner.graphs, spawner.size, spawner.isolation
        workers: list[_Worker] = []
        try:
            for _ in range(size + self.spare):
                workers.append(spawner.fork())
            for w in workers:
                w.wait_ready(start_timeout)
        except Exception:
            for w in workers:
                w.kill()
            spawner.close()
            raise
        for w in workers:
            self._ready.add(w)
            self.idle.put(w)

    def _spawner_ready(self) -> _Spawner:
        """The running spawner, started (again) if it is not there: it loads the graph file anew."""
        with self._spawner_lock:
            if self._spawner is None or not self._spawner.alive():
                if self._spawner is not None:
                    self._spawner.close()
                    self._spawner = None
                self._spawner = _Spawner(self.graph_file, self.graph_iri, self.max_memory, self.start_timeout)
            return self._spawner

    # --- capacity ------------------------------------------------------------------------------

    def health(self) -> dict[str, int | str]:
        """What a health check reports: workers ready for fresh queries, starting, running long.

        Workers that have died since they were last used are found (and replaced) here, so the
        count is of live processes.
        """
        with self._lock:
            dead = [w for w in self._ready if not w.alive()]
        for w in dead:
            log.error("query worker %d had died while idle; replacing it", w.pid)
            self._retire(w)
        with self._lock:
            return {"size": self.size, "spare": self.spare, "ready": len(self._ready) - len(self._slow),
                    "starting": self._starting, "long_queries": len(self._slow),
                    "restarts": self.restarts, "network_isolation": self.isolation}

    def pids(self) -> set[int]:
        """The process ids of the workers that are ready (idle or answering)."""
        with self._lock:
            return {w.pid for w in self._ready}

    def _top_up(self) -> None:
        """Start workers until fresh capacity (ready + starting − long-running) is size + spare again."""
        with self._lock:
            missing = self.size + self.spare - (len(self._ready) + self._starting - len(self._slow))
            if self.closed or missing <= 0:
                return
            self._starting += missing
        for _ in range(missing):
            threading.Thread(target=self._start_one, daemon=True).start()

    def _start_one(self) -> None:
        delay, longest = RESTART_BACKOFF
        while not self.closed:
            w = None
            try:
                w = self._spawner_ready().fork()
                w.wait_ready(self.start_timeout)
            except Exception as exc:  # noqa: BLE001 - any failure to start is retried, forever
                if w is not None:
                    w.kill()
                log.error("a query worker failed to start (%s); retrying in %g s", _why(exc), delay)
                time.sleep(delay)
                delay = min(delay * 2, longest)
                continue
            with self._lock:
                self._starting -= 1
                self.restarts += 1
                if self.closed:
                    w.kill()
                    return
                self._ready.add(w)
            log.info("query worker %d started (%d restarts so far)", w.pid, self.restarts)
            self.idle.put(w)
            return
        with self._lock:
            self._starting -= 1

    def _retire(self, w: _Worker) -> None:
        """Kill a worker (in the background) and start what capacity it leaves missing."""
        with self._lock:
            self._ready.discard(w)
            self._slow.discard(w)
        threading.Thread(target=w.kill, daemon=True).start()
        self._top_up()

    def _demote(self, w: _Worker) -> None:
        """The query on ``w`` has run long: idle CPU class, and a fresh worker in its place."""
        _idle_priority(w.pid)  # first, so a worker counted as long is always in the idle class
        with self._lock:
            full = len(self._slow) >= self.size
            if not full:
                self._slow.add(w)
        if full:
            self._retire(w)
            raise StoreBusy(
                f"{self.size} long queries are already running, so this one was stopped after "
                f"{LONG_QUERY:g} s; try again when one has finished, or narrow the pattern"
            )
        self._top_up()

    # --- queries -------------------------------------------------------------------------------

    def _take(self, wait: float) -> _Worker:
        deadline = time.monotonic() + wait
        while True:
            try:
                w = self.idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise StoreBusy(f"all {self.size + self.spare} query workers are busy; try again shortly") from None
            with self._lock:
                retired = w not in self._ready
            if retired:  # found dead by health() and replaced already, but still in the queue
                continue
            if w.alive():
                return w
            log.error("query worker %d had died while idle; replacing it", w.pid)
            self._retire(w)

    def run(self, request: dict, timeout: float, wait: float) -> QueryResult:
        if self.closed:
            raise StoreUnavailable("the store is closed")
        w = self._take(wait)
        start = time.monotonic()
        deadline = start + timeout
        try:
            write_frame(w.fout, request)
            if not w.readable(min(deadline, start + LONG_QUERY)) and time.monotonic() < deadline:
                self._demote(w)
            msg = w.read(deadline)
        except TimeoutError:
            self._retire(w)
            raise QueryTimeout(
                f"the query ran past the time limit of {timeout:g} s and was stopped "
                "(its worker process was killed); add a LIMIT or narrow the pattern"
            ) from None
        except (EOFError, OSError, struct.error):
            log.error("query worker %d died during a query: %.200r", w.pid, request.get("query"))
            self._retire(w)
            raise StoreError(
                "the query ended its worker process (it may have needed more than the memory limit "
                f"of {self.max_memory >> 20} MiB); the worker has been replaced"
            ) from None
        if w in self._slow:
            self._retire(w)
        else:
            self.idle.put(w)
        if msg[0] == "ok":
            return msg[1]
        raise _ERRORS.get(msg[1], StoreError)(msg[2])

    def close(self) -> None:
        with self._lock:
            self.closed = True
            workers = list(self._ready)
            self._ready.clear()
        for w in workers:
            w.kill()
        while True:
            try:
                self.idle.get_nowait().kill()
            except queue.Empty:
                break
        with self._spawner_lock:
            if self._spawner is not None:
                self._spawner.close()


def _idle_priority(pid: int) -> None:
    """Put every thread of a process in the idle CPU class (or at nice 19 where that is refused)."""
    try:
        tids = [int(t) for t in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        tids = [pid]
    for tid in tids:
        try:
            os.sched_setscheduler(tid, os.SCHED_IDLE, os.sched_param(0))
        except OSError:
            try:
                os.setpriority(os.PRIO_PROCESS, tid, 19)
            except OSError:
                pass  # the thread has just ended


def _why(exc: BaseException) -> str:
    return getattr(exc, "message", None) or str(exc) or type(exc).__name__


class EmbeddedStore:
    """The default store. ``workers`` long-lived processes each hold the whole graph (ours is small)."""

    def __init__(self, graph_file: str | os.PathLike[str], graph_iri: str = DEFAULT_GRAPH_IRI,
                 workers: int | None = None, queue_wait: float | None = None,
                 worker_memory: int = DEFAULT_WORKER_MEMORY):
        self.graph_file = str(Path(graph_file).resolve())
        if not Path(self.graph_file).exists():
            raise StoreNotReady(f"{graph_file} does not exist: run `python build.py` first")
        self.graph_iri = graph_iri
        n = workers or max(2, min(8, (os.cpu_count() or 2) * 2))
        self.queue_wait = queue_wait
        self.pool = WorkerPool(self.graph_file, graph_iri, n, worker_memory)
        self.triples = self.pool.triples
        _finalizer = weakref.finalize(self, WorkerPool.close, self.pool)
        atexit.register(_finalizer)

    def graphs(self) -> list[str]:
        return sorted(self.pool.graphs)

    def health(self) -> dict[str, int | str]:
        return self.pool.health()

    def query(self, sparql: str, *, timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
              max_bytes: int = DEFAULT_MAX_BYTES, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, base_iri: str | None = None) -> QueryResult:
        request = {"op": "query", "query": sparql, "max_rows": max_rows, "max_bytes": max_bytes,
                   "default_graphs": default_graphs or None, "named_graphs": named_graphs or None,
                   "base_iri": base_iri}
        wait = self.queue_wait if self.queue_wait is not None else max(timeout, 1.0)
        return self.pool.run(request, timeout, wait)

    def close(self) -> None:
        self.pool.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
