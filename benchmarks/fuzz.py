"""Hostile-query fuzz run: generated queries by GET, form and body, and a listener that must hear nothing.

    .venv/bin/python benchmarks/fuzz.py [--queries 10000] [--seed 1] [--graph dist/graph.nt]

Starts ``build.py serve`` on 127.0.0.1 and a TCP listener on another loopback port. Every query
embeds the listener's URL in a ``SERVICE`` clause that some trick tries to hide from the safety
check: every line terminator and look-alike (``\\r``, ``\\r\\n``, U+2028, U+0085, ``\\f``, ``\\v`` …)
after a comment, comments inside IRIs and strings, codepoint escapes, deep nesting, long property
paths, and random mutations of the example queries. Each query goes out once, by GET, form POST
or body POST in turn. Prints the count of answers by status, the 5xx count, and the connections
the listener received (both must be 0).

Loopback only, bounded: at most 50,000 queries, each request gives up after 30 s.
"""

from __future__ import annotations

import argparse
import random
import socket
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._server import default_graph, free_port, serve_process, stop

TERMINATORS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\u0085", "\f", "\v", "\x1c", "\x1d", "\x1e", "\t", " "]
TOKENS = ["SELECT", "*", "WHERE", "{", "}", "?s", "?p", "?o", ".", "FILTER", "(", ")", "SERVICE", "SILENT",
          "FROM", "NAMED", "#", "'", '"', "'''", "<", ">", "\\u0053", "\\U00000053", "OPTIONAL", "UNION",
          "GRAPH", "ASK", "BIND", "AS", "VALUES", "EXISTS", "NOT", ";", ",", "a", "pk:partOf*", "/", "|", "^"]


def service(url: str) -> str:
    return f"SERVICE SILENT <{url}> {{ ?s ?p ?o }}"


def tricks(url: str, rng: random.Random) -> Iterator[str]:
    """Ways to hide a SERVICE clause, one per call, cycling through the kinds."""
    term = rng.choice(TERMINATORS)
    yield f"#x{term}{service(url)}\n"
    yield f"#x{term}{service(url).replace(' ', term)}\n"
    yield f"?s <http://x/#{term}> ?o . {service(url)}"
    yield f'?s ?p "#{term}" . {service(url)}'
    yield f"?s ?p '''#{term}''' . #{term}{service(url)}\n"
    yield "\\u0053ERVICE" + service(url)[7:]
    yield "\\U00000053" + "ERVICE" + service(url)[7:]
    yield "\\u005Cu0053ERVICE" + service(url)[7:]
    yield "{" * rng.choice([2, 60, 65, 500, 3000]) + service(url) + "}" * rng.choice([0, 2, 65, 3000])
    yield "?s " + "/".join(["<http://x/p>"] * rng.choice([10, 500, 2000])) + f" ?o . {service(url)}"
    yield f"FILTER EXISTS {{ #{term}{service(url)}\n}}"
    yield f"{{ SELECT * WHERE {{ #{term}{service(url)}\n}} }}"


def mutate(query: str, rng: random.Random, url: str) -> str:
    """Delete, duplicate or insert a slice, or insert a token, a terminator or the listener's IRI."""
    i = rng.randrange(len(query) + 1)
    j = min(len(query), i + rng.randrange(1, 40))
    op = rng.randrange(4)
    if op == 0:
        return query[:i] + query[j:]
    if op == 1:
        return query[:j] + query[i:j] + query[j:]
    insert = rng.choice([rng.choice(TOKENS), rng.choice(TERMINATORS), f"<{url}>", service(url)])
    return query[:i] + insert + query[i:]


def hostile_queries(url: str, count: int, seed: int = 1) -> Iterator[str]:
    """``count`` queries, each trying to reach ``url``; reproducible from ``seed``."""
    from viewer.sparql_queries import load_queries

    rng = random.Random(seed)
    examples = [q.text for q in load_queries()]
    for n in range(count):
        base = rng.choice(examples)
        if n % 3 == 2:
            yield mutate(base, rng, url)
            continue
        trick = list(tricks(url, rng))[n % 12]
        cut = base.rfind("}")
        yield base[:cut] + " " + trick + " " + base[cut:] if cut > 0 else trick


class Listener:
    """A TCP listener on loopback that counts every connection made to it (and answers none)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.connections = 0
        self.stopped = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stopped = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() now, not at its 0.2 s timeout
        except OSError:
            pass
        self.thread.join(timeout=2)
        self.sock.close()


def send(port: int, query: str, way: int) -> int:
    """One query by GET (0), form POST (1) or body POST (2); the HTTP status."""
    url = f"http://127.0.0.1:{port}/sparql"
    if way == 0:
        req = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}))
    elif way == 1:
        req = urllib.request.Request(url, data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    else:
        req = urllib.request.Request(url, data=query.encode("utf-8", "surrogatepass"),
                                     headers={"Content-Type": "application/sparql-query"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--queries", type=int, default=10_000, help="how many queries (1–50000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--graph", type=Path, default=None, help="graph file (default dist/graph.nt)")
    args = p.parse_args(argv)
    if not 1 <= args.queries <= 50_000:
        p.error("--queries must be 1–50000")
    listener = Listener()
    port = free_port()
    proc = serve_process(args.graph or default_graph(), port)
    statuses: Counter[int] = Counter()
    try:
        for n, query in enumerate(hostile_queries(listener.url, args.queries, args.seed)):
            statuses[send(port, query, n % 3)] += 1
    finally:
        stop(proc)
        listener.close()
    errors = sum(c for s, c in statuses.items() if s >= 500)
    print(f"{args.queries} hostile queries (seed {args.seed}) by GET, form and body in turn")
    print("answers by status: " + ", ".join(f"{s}: {c}" for s, c in sorted(statuses.items())))
    print(f"5xx answers: {errors}")
    print(f"connections to the listener: {listener.connections}")
    return 0 if errors == 0 and listener.connections == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
