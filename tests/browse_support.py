"""The real graph served by the app, for the browse/export tests (imported by name, so the graph is
assembled once per session): ``real_dist``, ``real_app``, ``real_client``."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session", name="real_dist")
def real_dist_fixture(built, tmp_path_factory) -> Path:
    """dist/ with the real graph as N-Triples (what the embedded store loads) and its DCAT description."""
    from graph.catalogue import write_catalogue

    out = tmp_path_factory.mktemp("browse-dist")
    built.graph.serialize(out / "graph.nt", format="nt", encoding="utf-8")
    write_catalogue(out, "http://127.0.0.1:8000/")
    return out


@pytest.fixture(scope="session", name="real_app")
def real_app_fixture(real_dist):
    from store import open_store
    from viewer.app import create_app

    store = open_store(real_dist, workers=1)
    yield create_app({"STORE": store, "DIST_DIR": real_dist, "TESTING": True})
    store.close()


@pytest.fixture(name="real_client")
def real_client_fixture(real_app):
    return real_app.test_client()
