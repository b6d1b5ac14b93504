"""Fairness under hostile load: do runaway queries slow everyone else down?

    .venv/bin/python benchmarks/fairness.py [--attackers 4] [--seconds 30] [--graph dist/graph.nt]

Starts ``build.py serve`` (the real command, default limits) on 127.0.0.1 and measures one client's
simple query (``ASK { ?s ?p ?o }``, a new connection each time) first on the idle server, then
while ``--attackers`` clients each send a runaway cross join back to back (every one of them runs
until the time limit stops it). All clients come from the same address, as they do behind a proxy.

Prints the measured client's median and 90th percentile, idle and under attack, their ratios, its
errors, and the targets of the project's security issue: under attack the median stays within
2 × idle + 20 ms and the 90th percentile within 2 × idle + 100 ms, with no errors.

Loopback only, bounded: at most 16 attackers and 120 s; every request gives up after 30 s; the
server is stopped at the end.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._server import default_graph, free_port, serve_process, stop

SIMPLE = "ASK { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
PAUSE = 0.02  # between the measured client's requests


def ask(port: int, query: str) -> tuple[float, int]:
    """Seconds and HTTP status of one GET (status 0: no answer)."""
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    except OSError:
        status = 0
    return time.perf_counter() - t0, status


def measure(port: int, seconds: float) -> tuple[list[float], int]:
    """The measured client for ``seconds``: its latencies and how many answers were not 200."""
    times, errors = [], 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t, status = ask(port, SIMPLE)
        times.append(t)
        errors += status != 200
        time.sleep(PAUSE)
    return times, errors


def attack(port: int, stop_at: float, counts: dict[int, int]) -> None:
    while time.monotonic() < stop_at:
        _t, status = ask(port, RUNAWAY)
        counts[status] = counts.get(status, 0) + 1


def p90(times: list[float]) -> float:
    return statistics.quantiles(times, n=10)[-1]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--attackers", type=int, default=4, help="clients sending runaway queries (1–16)")
    p.add_argument("--seconds", type=float, default=30, help="length of each phase, idle and attack (5–120)")
    p.add_argument("--graph", type=Path, default=None, help="graph file (default dist/graph.nt)")
    args = p.parse_args(argv)
    if not 1 <= args.attackers <= 16 or not 5 <= args.seconds <= 120:
        p.error("--attackers must be 1–16 and --seconds 5–120")
    port = free_port()
    proc = serve_process(args.graph or default_graph(), port)
    try:
        measure(port, 2)  # warm up
        idle, idle_errors = measure(port, args.seconds)
        stop_at = time.monotonic() + args.seconds + 1
        counts: dict[int, int] = {}
        threads = [threading.Thread(target=attack, args=(port, stop_at, counts), daemon=True)
                   for _ in range(args.attackers)]
        for t in threads:
            t.start()
        time.sleep(1)  # every attacker holds a worker
        busy, busy_errors = measure(port, args.seconds)
        for t in threads:
            t.join(timeout=40)
    finally:
        stop(proc)
    im, ip, bm, bp = (statistics.median(idle), p90(idle), statistics.median(busy), p90(busy))
    print(f"measured client: {SIMPLE}  ({len(idle)} requests idle, {len(busy)} under attack)")
    print(f"attack: {args.attackers} clients sending {RUNAWAY!r} back to back; answers {dict(sorted(counts.items()))}")
    print(f"{'':14}{'idle ms':>9}{'attack ms':>11}{'ratio':>7}{'target ms':>11}  ok")
    for name, i, b, target in (("median", im, bm, 2 * im + 0.020), ("90th pct", ip, bp, 2 * ip + 0.100)):
        print(f"{name:14}{i * 1000:9.2f}{b * 1000:11.2f}{b / i:7.2f}{target * 1000:11.2f}  {'yes' if b <= target else 'NO'}")
    print(f"{'errors':14}{idle_errors:9d}{busy_errors:11d}{'':7}{0:11d}  {'yes' if busy_errors == 0 else 'NO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
