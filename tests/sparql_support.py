"""Helpers and constants shared by the SPARQL endpoint tests (their fixtures are in conftest.py)."""

from __future__ import annotations

import os
import socket
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_GRAPH = ROOT / "tests" / "fixtures" / "sparql" / "graph.ttl"
DIST_GRAPH = ROOT / "dist" / "graph.nt"
TEST_TIMEOUT = 1.5  # seconds: the runaway queries below run for minutes without a limit
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
PK = "https://leangen-kg.org/ontology#"
LK = "https://leangen-kg.org/id/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """A waitress server on loopback in a background thread, with `build.py serve`'s limits."""

    def __init__(self, app, threads: int = 8):
        from viewer.serve import make_server

        self.server = make_server(app, "127.0.0.1", 0, threads=threads, ident=None)
        self.port = self.server.effective_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.task_dispatcher.shutdown(timeout=5)  # request threads first, then the trigger pipe
        self.server.close()


@contextmanager
def serving(app, store=None) -> Iterator[str]:
    """``app`` on a free loopback port (the server ``build.py serve`` runs); yields its URL, then stops
    the server and closes ``store`` if given."""
    server = LiveServer(app)
    try:
        yield server.url
    finally:
        server.close()
        if store is not None:
            store.close()


def connections_made(listener) -> int:
    """The connections made to ``listener`` (``benchmarks.fuzz.Listener``) up to now, counted without
    waiting a fixed time for its thread: one more connection of ours joins the listen queue behind
    any earlier one, the queue is first in, first out, and the listener counts a connection before
    it closes it; so when ours is closed, every earlier one has been counted."""
    host, port = urllib.parse.urlsplit(listener.url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as ours:
        assert ours.recv(1) == b""  # the listener closed it (a timeout here raises)
    return listener.connections - 1


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


#: What a stub endpoint answers a POST with: (status, headers, body), given the request's headers.
Answer = Callable[[dict[str, str]], tuple[int, dict[str, str], bytes]]


@contextmanager
def stub_endpoint(answer: Answer) -> Iterator[str]:
    """A loopback HTTP endpoint that answers every POST as ``answer`` says; yields its /sparql URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status, headers, body = answer(dict(self.headers))
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # shutdown() waits for the loop's next look at its flag: every 0.5 s by default, 20 ms here
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()
