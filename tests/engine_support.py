"""The embedded store's query engine in the test process, for tests that send thousands of page
requests and are about the pages, not about the worker processes (test_linked_data.py).

``EngineStore`` runs each query with ``store._worker.Engine``: the same pyoxigraph load of the graph
file into the same named graph, the same safety check and the same result conversion as a worker of
``store.embedded.EmbeddedStore``; only the process boundary (a pickle over a pipe each way and a
wake-up of the worker) is left out. That boundary, timeouts and worker restarts are tested by the
modules about the store (test_query_guards.py, test_sparql_*.py), and the same pages over the real
``EmbeddedStore`` by the rest of test_linked_data.py and test_linked_data_browser.py.
"""

from __future__ import annotations

import os

from store import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, QueryResult, graph_file
from store._worker import Engine


class EngineStore:
    """The :class:`store.Store` interface over an in-process ``Engine`` (no worker processes)."""

    def __init__(self, dist: str | os.PathLike[str], graph_iri: str | None = None):
        from store import DEFAULT_GRAPH_IRI

        self.engine = Engine(str(graph_file(dist)), graph_iri or DEFAULT_GRAPH_IRI)
        self.triples = self.engine.size

    def graphs(self) -> list[str]:
        return sorted(self.engine.graphs)

    def query(self, sparql: str, *, timeout: float = DEFAULT_TIMEOUT, max_rows: int = DEFAULT_MAX_ROWS,
              max_bytes: int = DEFAULT_MAX_BYTES, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, base_iri: str | None = None) -> QueryResult:
        del timeout  # nothing to stop: the pages' queries answer in milliseconds
        return self.engine.run(sparql, max_rows, default_graphs or None, named_graphs or None, max_bytes, base_iri)

    def close(self) -> None:
        pass
