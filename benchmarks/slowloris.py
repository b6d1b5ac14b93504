"""Slowloris: how much do stalled half-open connections slow a normal request down?

    .venv/bin/python benchmarks/slowloris.py [--stalled 200 500] [--requests 20] [--graph dist/graph.nt]

Starts ``build.py serve`` (the real command, with its default limits) in a child process on
127.0.0.1, measures the median latency of ``GET /sparql?query=ASK{}`` idle, then again while N
connections sit open with half a request sent (the slowloris attack), for each N. Prints each
median and its ratio to the idle one. ``--waitress-defaults`` serves with waitress's own defaults
(100 connections, 120 s timeout) for comparison: there the request is refused service and times out.

Loopback only; bounded: at most 2000 stalled connections, ``--requests`` at most 200, every request
gives up after 5 s, and the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._server import default_graph, free_port, serve_process, stop

MAX_STALLED = 2000
REQUEST_TIMEOUT = 5.0
PATH = "/sparql?query=ASK%7B%7D"
HALF_REQUEST = b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "


def latency(port: int, count: int) -> float | None:
    """Median seconds of ``count`` requests, each on a new connection; None if one timed out."""
    times = []
    for _ in range(count):
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{PATH}", timeout=REQUEST_TIMEOUT) as r:
                r.read()
        except OSError:
            return None
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def stall(port: int, n: int) -> list[socket.socket]:
    """``n`` connections that each send half a request and then nothing."""
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=REQUEST_TIMEOUT)
        s.sendall(HALF_REQUEST)
        socks.append(s)
    return socks


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--stalled", type=int, nargs="+", default=[200, 500], help="half-open connections (each run)")
    p.add_argument("--requests", type=int, default=20, help="requests per measurement (median)")
    p.add_argument("--graph", type=Path, default=None, help="graph file (default dist/graph.nt, else the test fixture)")
    p.add_argument("--waitress-defaults", action="store_true", help="serve with waitress's defaults instead of ours")
    args = p.parse_args(argv)
    if any(not 1 <= n <= MAX_STALLED for n in args.stalled) or not 1 <= args.requests <= 200:
        p.error(f"--stalled must be 1–{MAX_STALLED} and --requests 1–200")
    graph = args.graph or default_graph()
    from viewer.serve import raise_open_files

    raise_open_files(max(args.stalled) + 64)
    port = free_port()
    extra = ["--connection-limit", "100", "--channel-timeout", "120"] if args.waitress_defaults else []
    proc = serve_process(graph, port, "--workers", "1", *extra, probe=PATH)
    try:
        idle = latency(port, args.requests)
        if idle is None:
            raise SystemExit("the idle server did not answer")
        print(f"{'stalled':>8}  {'median ms':>9}  ratio  (GET {PATH}, median of {args.requests} requests)")
        print(f"{0:>8}  {idle * 1000:9.2f}  1.00")
        for n in args.stalled:
            socks = stall(port, n)
            try:
                busy = latency(port, args.requests)
            finally:
                for s in socks:
                    s.close()
            if busy is None:
                print(f"{n:>8}  {'timed out':>9}  –     (no answer within {REQUEST_TIMEOUT:g} s)")
            else:
                print(f"{n:>8}  {busy * 1000:9.2f}  {busy / idle:.2f}")
            time.sleep(0.5)  # let the server notice the closed sockets before the next round
    finally:
        stop(proc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
