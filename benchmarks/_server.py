"""Our server for the benchmarks: in a background thread, or as ``build.py serve`` in a child process."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ThreadServer:
    def __init__(self, store, threads: int = 8, **config):
        from viewer.app import create_app
        from viewer.serve import make_server

        app = create_app({"STORE": store, **config})
        self.server = make_server(app, "127.0.0.1", 0, threads=threads, ident=None)
        self.port = self.server.effective_port
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def close(self) -> None:
        # Let the request threads finish first: a task still running when the server closes its
        # trigger pipe ends in a traceback ("Bad file descriptor") on the terminal.
        self.server.task_dispatcher.shutdown(timeout=5)
        self.server.close()


def serve_in_thread(store, **config) -> ThreadServer:
    return ThreadServer(store, **config)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_process(graph: Path, port: int, *options: str, probe: str = "/sparql?query=ASK%7B%7D"
                  ) -> subprocess.Popen:
    """``build.py serve`` on loopback, as a user runs it; returns once it answers (at most 60 s)."""
    cmd = [sys.executable, str(ROOT / "build.py"), "serve", "--store", str(graph), "--port", str(port), *options]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"build.py serve stopped with exit code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("build.py serve did not answer within 60 s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def default_graph() -> Path:
    """dist/graph.nt when the graph is built, else the small test fixture."""
    return next(g for g in (ROOT / "dist" / "graph.nt", ROOT / "tests/fixtures/sparql/graph.ttl") if g.exists())
