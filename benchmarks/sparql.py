"""Benchmark the example queries: in-process on each engine, and over HTTP (loopback only).

    .venv/bin/python benchmarks/sparql.py [--graph dist/graph.nt] [--repeat 15] [--scale 100]

Engines in-process: rdflib's own SPARQL engine, pyoxigraph, and our embedded store (pyoxigraph in
worker processes: the safety check and the process hop included). Over HTTP: our endpoint
(Flask + waitress + embedded store), and rdflib-endpoint (the nearest peer) on the same graph when it
is installed (``pip install rdflib-endpoint uvicorn``). Every figure is a median in milliseconds;
ratios are against plain rdflib and against the HTTP floor (``ASK {}`` over the same connection),
measured in the same run. ``--scale N`` also builds a synthetic graph N times ours (copies with
renamed IRIs, linked into the same places and areas) and reports load and query times on it.
Bounded: each figure takes at most ``--repeat`` runs and ``--budget`` seconds.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store import DEFAULT_GRAPH_IRI
from viewer.sparql_queries import load_queries

FLOOR = "ASK {}"


def graph_path(arg: str | None) -> Path:
    """The graph to benchmark: --graph, else dist/graph.nt, else one assembled from sources/ now."""
    if arg:
        return Path(arg)
    if (ROOT / "dist" / "graph.nt").exists():
        return ROOT / "dist" / "graph.nt"
    from graph.pipeline import Paths, make_graph

    out = Path(tempfile.mkdtemp(prefix="leangen-bench-")) / "graph.nt"
    make_graph(Paths()).graph.serialize(out, format="nt", encoding="utf-8")
    return out


def median_ms(fn, repeat: int, budget: float) -> float | None:
    """Median of up to ``repeat`` runs within ``budget`` seconds; None if the engine fails the query."""
    try:
        fn()  # warm-up (parsers, caches, connections)
    except Exception as exc:  # noqa: BLE001 - an engine that cannot run a query is reported, not fatal
        print(f"  ({getattr(fn, '__name__', 'query')}: {type(exc).__name__}: {str(exc)[:80]})", file=sys.stderr)
        return None
    times = []
    start = time.perf_counter()
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
        if time.perf_counter() - start > budget:
            break
    return statistics.median(times)


def rdflib_in_child(path: Path, name: str, repeat: int, budget: float, cap: float) -> float | None:
    """rdflib's engine, in a child process killed after ``cap`` seconds (some queries take minutes)."""
    try:
        out = subprocess.run([sys.executable, __file__, "--graph", str(path), "--rdflib-one", name,
                              "--repeat", str(repeat), "--budget", str(budget)],
                             capture_output=True, text=True, timeout=cap, check=False)
    except subprocess.TimeoutExpired:
        print(f"  ({name}: rdflib over {cap:g} s, stopped)", file=sys.stderr)
        return float("inf")
    try:
        return float(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        print(f"  ({name}: rdflib failed: {out.stderr.strip().splitlines()[-1:]})", file=sys.stderr)
        return None


def rdflib_one(path: Path, name: str, repeat: int, budget: float) -> int:
    import rdflib

    g = rdflib.Graph().parse(path, format="nt")
    q = next(q for q in load_queries() if q.name == name)

    def run():
        res = g.query(q.text)
        return list(res) if res.type != "ASK" else res.askAnswer

    ms = median_ms(run, repeat, budget)
    print("nan" if ms is None else ms)
    return 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Http:
    """One keep-alive connection to a loopback endpoint."""

    def __init__(self, port: int, path: str = "/sparql"):
        self.port, self.path = port, path
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def query(self, q: str) -> bytes:
        try:
            return self._query(q)
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # the server closed an idle keep-alive connection (uvicorn does after 5 s): reconnect once
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return self._query(q)

    def _query(self, q: str) -> bytes:
        body = urllib.parse.urlencode({"query": q})
        accept = "text/turtle" if any(k in q for k in ("CONSTRUCT", "DESCRIBE")) else "application/sparql-results+json"
        self.conn.request("POST", self.path, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status}: {data[:200]!r}")
        return data


def wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def start_rdflib_endpoint(path: Path) -> tuple[subprocess.Popen, int] | None:
    try:
        import rdflib_endpoint  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        return None
    port = free_port()
    code = (
        "import rdflib, uvicorn\n"
        "from rdflib_endpoint import SparqlEndpoint\n"
        f"g = rdflib.Graph().parse({str(path)!r}, format='nt')\n"
        "app = SparqlEndpoint(graph=g)\n"
        f"uvicorn.run(app, host='127.0.0.1', port={port}, log_level='error')\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_port(port, 120)
    except RuntimeError:
        proc.kill()
        return None
    return proc, port


def synthetic(path: Path, scale: int, out: Path) -> int:
    """Write a graph ``scale`` times ours: copies of every triple with the data IRIs renamed."""
    base = "<https://leangen-kg.org/id/"
    lines = path.read_text(encoding="utf-8").splitlines()
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for k in range(scale):
            suffix = f"-x{k}>" if k else ">"
            for line in lines:
                if not line.strip():
                    continue
                if k:
                    # rename commitments, projects, targets, mentions; keep areas/places shared so the
                    # copies stay connected like the original
                    parts = line.split(" ", 2)
                    parts = [_rename(p, base, suffix) for p in parts[:2]] + [_rename_obj(parts[2], base, suffix)]
                    line = " ".join(parts)
                    if "_:" in line:
                        line = line.replace("_:", f"_:x{k}")
                fh.write(line + "\n")
                n += 1
    return n


_RENAMED = ("commitment/", "project/", "target/", "link/")


def _rename(term: str, base: str, suffix: str) -> str:
    if term.startswith(base) and term[len(base):].startswith(_RENAMED):
        return term[:-1] + suffix
    return term


def _rename_obj(rest: str, base: str, suffix: str) -> str:
    obj = rest.rsplit(" .", 1)[0]
    return _rename(obj, base, suffix) + " ."


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line, sep] + ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows])


def ratio(a: float | None, b: float | None, digits: int) -> str:
    if a is None or b is None or math.isnan(a) or math.isnan(b):
        return "–"
    if a == float("inf"):
        return "> cap"
    return f"{a / b:.{digits}f}×"


def fmt(x: float | None) -> str:
    if x is None or math.isnan(x):
        return "error"
    if x == float("inf"):
        return "stopped"
    return f"{x:.2f}" if x < 10 else f"{x:.0f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", help="N-Triples file (default dist/graph.nt, else built from sources/)")
    ap.add_argument("--repeat", type=int, default=15, help="runs per figure (default %(default)s)")
    ap.add_argument("--budget", type=float, default=3.0, help="seconds per figure at most (default %(default)s)")
    ap.add_argument("--scale", type=int, default=100, help="synthetic graph size factor; 0 to skip")
    ap.add_argument("--no-peer", action="store_true", help="skip rdflib-endpoint")
    ap.add_argument("--rdflib-cap", type=float, default=30.0, help="seconds before an rdflib query is stopped")
    ap.add_argument("--rdflib-one", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    repeat, budget = max(1, min(args.repeat, 200)), max(0.1, min(args.budget, 30))
    if args.rdflib_one:
        return rdflib_one(Path(args.graph), args.rdflib_one, repeat, budget)

    import pyoxigraph as ox
    import rdflib
    from _server import serve_in_thread

    from store.embedded import EmbeddedStore

    path = graph_path(args.graph)
    queries = load_queries()
    print(f"graph: {path} · {os.cpu_count()} cores · median of ≤{repeat} runs, ≤{budget:g} s per figure\n")

    t = time.perf_counter()
    rg = rdflib.Graph().parse(path, format="nt")
    rdflib_load = time.perf_counter() - t
    t = time.perf_counter()
    oxs = ox.Store()
    oxs.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(DEFAULT_GRAPH_IRI))
    ox_load = time.perf_counter() - t
    print(f"{len(rg)} triples · load: rdflib {rdflib_load * 1000:.0f} ms, pyoxigraph {ox_load * 1000:.0f} ms\n")

    store = EmbeddedStore(path, workers=2)
    server = serve_in_thread(store)
    ours = Http(server.port)
    peer = None if args.no_peer else start_rdflib_endpoint(path)
    peer_http = Http(peer[1], "/") if peer else None
    try:
        floor = median_ms(lambda: ours.query(FLOOR), repeat * 4, budget)
        peer_floor = median_ms(lambda: peer_http.query(FLOOR), repeat * 4, budget) if peer_http else None
        rows = []
        for q in queries:
            r_rdflib = rdflib_in_child(path, q.name, repeat, budget, args.rdflib_cap)
            r_ox = median_ms(lambda q=q: list(oxs.query(q.text, use_default_graph_as_union=True)), repeat, budget)
            r_store = median_ms(lambda q=q: store.query(q.text), repeat, budget)
            r_http = median_ms(lambda q=q: ours.query(q.text), repeat, budget)
            r_peer = median_ms(lambda q=q: peer_http.query(q.text), repeat, budget) if peer_http else None
            print(f"  {q.name}", file=sys.stderr, flush=True)
            rows.append([q.name, fmt(r_rdflib), fmt(r_ox), fmt(r_store), fmt(r_http), fmt(r_peer),
                         ratio(r_rdflib, r_ox, 0), ratio(r_rdflib, r_http, 1), ratio(r_http, floor, 1)])
        print(table(["query", "rdflib", "pyoxigraph", "embedded store", "HTTP ours", "HTTP rdflib-endpoint",
                     "rdflib/oxigraph", "rdflib/HTTP ours", "HTTP ours/floor"], rows))
        print(f"\nHTTP floor (ASK {{}} on a kept-alive connection): ours {fmt(floor)} ms"
              + (f", rdflib-endpoint {fmt(peer_floor)} ms" if peer_floor is not None else
                 ", rdflib-endpoint not installed or did not start (pip install rdflib-endpoint uvicorn)"))
    finally:
        ours.conn.close()  # before the server: a channel still open at shutdown makes waitress complain
        if peer_http:
            peer_http.conn.close()
        if peer:
            peer[0].kill()
            peer[0].wait()
        server.close()
        store.close()

    if args.scale > 1:
        scale = min(args.scale, 200)
        with tempfile.TemporaryDirectory(prefix="leangen-bench-") as tmp:
            big = Path(tmp) / f"graph-x{scale}.nt"
            t = time.perf_counter()
            n = synthetic(path, scale, big)
            gen = time.perf_counter() - t
            t = time.perf_counter()
            bs = ox.Store()
            bs.bulk_load(path=str(big), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(DEFAULT_GRAPH_IRI))
            load = time.perf_counter() - t
            print(f"\nsynthetic graph ×{scale}: {n} triples (written in {gen:.1f} s), "
                  f"pyoxigraph load {load:.1f} s ({n / load / 1000:.0f}k triples/s)\n")
            rows = []
            for q in queries:
                small = median_ms(lambda q=q: list(oxs.query(q.text, use_default_graph_as_union=True)), repeat, budget)
                large = median_ms(lambda q=q: list(bs.query(q.text, use_default_graph_as_union=True)),
                                  max(3, repeat // 3), budget * 2)
                rows.append([q.name, fmt(small), fmt(large), ratio(large, small, 0)])
            print(table(["query", "pyoxigraph ×1", f"pyoxigraph ×{scale}", "growth"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
