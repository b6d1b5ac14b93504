"""Our app on waitress in a background thread on 127.0.0.1 (for the benchmarks)."""

from __future__ import annotations

import threading


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
