"""A graph built under a base IRI with a path, and the app serving it (imported by name by the
linked-data test modules, so the ~7 s build runs once per session)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import rdflib

BASE = "http://example.org/kg/id/"
PK = "https://leangen-kg.org/ontology#"


def page_path(iri: str) -> str:
    """Where the server must answer for an IRI: its own path (the fragment stays with the client)."""
    return urlsplit(iri).path


@pytest.fixture(scope="session", name="linked_dist")
def linked_dist_fixture(tmp_path_factory) -> Path:
    import build

    dist = tmp_path_factory.mktemp("linked") / "dist"
    saved = os.environ.pop("LEANGEN_PUBLIC_URL", None)  # the offline page's default link target
    try:
        assert build.main(["--base", BASE, "--dist", str(dist)]) == 0
    finally:
        if saved is not None:
            os.environ["LEANGEN_PUBLIC_URL"] = saved
    return dist


@pytest.fixture(scope="session", name="linked_graph")
def linked_graph_fixture(linked_dist) -> rdflib.Graph:
    return rdflib.Graph().parse(linked_dist / "graph.nt", format="nt")


@pytest.fixture(scope="session", name="linked_app")
def linked_app_fixture(linked_dist):
    from store import open_store
    from viewer.app import create_app

    store = open_store(linked_dist, workers=2)
    yield create_app({"STORE": store, "DIST_DIR": linked_dist, "BASE_IRI": BASE, "TESTING": True})
    store.close()
