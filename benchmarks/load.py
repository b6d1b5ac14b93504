"""Load test: many concurrent clients of mixed example queries, plus a few runaway queries.

    .venv/bin/python benchmarks/load.py [--clients 50] [--duration 60] [--runaway-every 10]

Starts the endpoint (embedded store + waitress, as ``build.py serve`` runs it) in a child process on
127.0.0.1, runs ``--clients`` client threads for ``--duration`` seconds, each sending example queries
picked at random over a kept-alive connection, and one more client that sends a runaway
cross-product query every ``--runaway-every`` seconds. Reports errors and latency percentiles. The
goal: zero errors on the good queries, every runaway query cut at the time limit (503).
Loopback only; bounded: at most 200 clients and 600 seconds.
"""

from __future__ import annotations

import argparse
import http.client
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def serve_only(args: argparse.Namespace) -> int:
    import logging

    from waitress import serve

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # queue depth is what we measure

    from store.embedded import EmbeddedStore
    from viewer.app import create_app

    store = EmbeddedStore(args.graph, workers=args.workers or None)
    app = create_app({"STORE": store, "SPARQL_TIMEOUT": args.timeout})
    print("ready", flush=True)
    try:
        serve(app, host="127.0.0.1", port=args.port, threads=args.threads, ident=None, _quiet=True)
    finally:
        store.close()
    return 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


class Client:
    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def query(self, q: str) -> int:
        body = urllib.parse.urlencode({"query": q})
        for attempt in (1, 2):
            try:
                self.conn.request("POST", "/sparql", body=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json, text/turtle;q=0.9"})
                resp = self.conn.getresponse()
                resp.read()
                return resp.status
            except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", help="N-Triples file (default dist/graph.nt, else built from sources/)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--runaway-every", type=float, default=10.0, help="seconds between runaway queries")
    ap.add_argument("--timeout", type=float, default=5.0, help="the server's time limit per query")
    ap.add_argument("--threads", type=int, default=16, help="waitress threads")
    ap.add_argument("--workers", type=int, default=0, help="query worker processes (default: 2 per core)")
    ap.add_argument("--serve-only", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.serve_only:
        return serve_only(args)

    from sparql import graph_path  # benchmarks/sparql.py

    from viewer.sparql_queries import load_queries

    clients = max(1, min(args.clients, 200))
    duration = max(1.0, min(args.duration, 600.0))
    graph = graph_path(args.graph)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve-only", "--graph", str(graph), "--port", str(port),
         "--timeout", str(args.timeout), "--threads", str(args.threads), "--workers", str(args.workers)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        if server.stdout.readline().strip() != "ready":
            raise SystemExit("the server did not start")
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("the server does not listen") from None
                time.sleep(0.05)
        queries = [q.text for q in load_queries()]
        good: list[tuple[float, int]] = []
        bad: list[tuple[float, int]] = []
        failures: list[str] = []
        lock = threading.Lock()
        stop = time.monotonic() + duration

        def worker(seed: int) -> None:
            rnd = random.Random(seed)
            c = Client(port)
            while time.monotonic() < stop:
                t = time.perf_counter()
                try:
                    status = c.query(rnd.choice(queries))
                except OSError as exc:
                    with lock:
                        failures.append(repr(exc))
                    continue
                with lock:
                    good.append(((time.perf_counter() - t) * 1000, status))

        def runaway() -> None:
            c = Client(port)
            while time.monotonic() < stop:
                t = time.perf_counter()
                status = c.query(RUNAWAY)
                with lock:
                    bad.append(((time.perf_counter() - t) * 1000, status))
                time.sleep(max(0.0, args.runaway_every - (time.perf_counter() - t)))

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
        threads.append(threading.Thread(target=runaway))
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    ok = [ms for ms, s in good if s == 200]
    errors = [s for _, s in good if s != 200]
    print(f"{clients} clients + 1 runaway client for {elapsed:.0f} s against 127.0.0.1 "
          f"(time limit {args.timeout:g} s, {args.threads} waitress threads)")
    print("| requests | count | errors | per second | p50 ms | p90 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| example queries | {len(good)} | {len(errors) + len(failures)} | {len(good) / elapsed:.0f} | "
          f"{percentile(ok, 50):.1f} | {percentile(ok, 90):.1f} | {percentile(ok, 99):.1f} | {max(ok, default=0):.0f} |")
    cut = [ms for ms, s in bad if s == 503]
    print(f"| runaway queries | {len(bad)} | {len(bad) - len(cut)} not cut | – | "
          f"{percentile(cut, 50):.0f} | {percentile(cut, 90):.0f} | {percentile(cut, 99):.0f} | {max(cut, default=0):.0f} |")
    if errors or failures:
        print("errors:", {s: errors.count(s) for s in set(errors)}, failures[:5])
    return 0 if not errors and not failures and len(cut) == len(bad) else 1


if __name__ == "__main__":
    sys.exit(main())
