"""Flask app factory. All state lives in ``app.config`` (no module globals)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

DEFAULT_DIST = Path(__file__).resolve().parent.parent / "dist"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the viewer app.

    ``config`` may set ``DIST_DIR`` (where the build wrote the graph), once the store exists
    ``STORE`` (an object implementing :class:`store.Store`), and ``PUBLIC_URL``/``TRUST_PROXY``
    (:mod:`viewer.security`).
    """
    app = Flask(__name__)
    app.config.update(DIST_DIR=DEFAULT_DIST)
    from viewer import assets  # hashed static URLs, kept by browsers

    app.get_send_file_max_age = assets.max_age  # type: ignore[method-assign]
    if config:
        app.config.update(config)

    from viewer import security  # PUBLIC_URL, TRUST_PROXY; security headers and CORS on every response

    security.init_app(app)

    from viewer.sparql import init_sparql  # /sparql, /void, /queries

    init_sparql(app)

    from viewer import hooks  # template helpers, the language cookie and the error pages, for every page

    hooks.init_app(app)

    from viewer import network, pages  # /, /search, /places, entity pages, /downloads, /network

    pages.init_app(app)
    network.init_app(app)

    from viewer import maps  # /map, /map.json, /places.geojson, /place/<slug>.geojson

    maps.init_app(app)

    from viewer import lists  # every list page as .csv, .xlsx, .json

    lists.init_app(app)

    from viewer import analysis  # /analysis, /analysis/impact

    analysis.init_app(app)

    from viewer import interactions  # /analysis/matrix (+ .csv, .xlsx), /tensions, /analysis/influence

    interactions.init_app(app)

    from viewer import status  # /status, /status/at-risk, /status.atom, the status on commitment pages

    status.init_app(app)

    return app
