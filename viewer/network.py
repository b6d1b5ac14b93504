"""The interactive network (``/network``, ``/network.json``): renders the model, never lays it out itself.

The model — nodes, edges, positions, facets, impact — is a build product (``dist/network.json``,
:mod:`graph.network_model`); this blueprint reads it. Only when the app serves a remote store
(no ``dist/`` of its own) does it compute the model from that store, with the same queries and the
same pure functions the build uses. The page is rendered by :mod:`viewer.network_page`, which also
renders the offline ``dist/network.html``.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

from flask import Blueprint, Response, current_app, jsonify

from graph import network_model, stories
from graph.errors import BuildError
from viewer import i18n, kg
from viewer.analysis import get_analysis
from viewer.kg import products_dir
from viewer.network_page import render_network

log = logging.getLogger("leangen.viewer")
bp = Blueprint("network", __name__)


def compute_model() -> dict[str, Any]:
    """The model from the app's store: the build's queries and functions, the app's base IRI.

    The sizes come from what the app computes once anyway: the centrality of ``/analysis``
    (:func:`viewer.analysis.get_analysis`) and the influence ranking over the model's own score rows."""
    rows, base = network_model.collect(kg.select), kg.base_iri()
    sizes = network_model.measures(get_analysis()["scores"], network_model.ranking_from_rows(rows), base)
    model = network_model.build_model(rows, base, sizes=sizes)
    model["stories"] = _stories(model)
    return model


def _stories(model: dict[str, Any]) -> list[dict[str, Any]]:
    """The project's stories, checked against this store's model as the build checks them; a story
    that names something this store does not hold is left out, and the log says which and why."""
    try:
        return stories.load_stories(stories.FOLDER, model["nodes"])
    except BuildError as err:
        log.warning("stories left out of /network: %s", err)
        return []


def load_model() -> dict[str, Any]:
    """``dist/network.json`` if the build wrote it for the graph served, else computed from the store."""
    dist = products_dir()
    path = dist / "network.json" if dist else None
    if path is not None and path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return compute_model()


def _model() -> dict[str, Any]:
    """The app's network model, read (or computed) once: the graph is read-only."""
    lock = current_app.config.setdefault("NETWORK_LOCK", threading.Lock())
    with lock:  # two first visitors must not both compute it
        return kg.cached("network-model", load_model)


def warm_up(app: Any) -> threading.Thread:
    """Load the network model in the background so the first /network opens at once.

    Called by ``build.py serve`` right after the app is made; errors are left for the request
    to report (a graph that is not built yet gives the friendly "not loaded" page).
    """
    def run() -> None:
        with app.test_request_context("/network"):
            try:
                _model()
            except Exception as err:  # noqa: BLE001 - the page request will show the error properly
                app.logger.info("network warm-up skipped: %s", err)

    thread = threading.Thread(target=run, name="network-warm-up", daemon=True)
    thread.start()
    return thread


@bp.get("/network")
def network_page() -> Response:
    """The served network page; filters, focus and presentation mode live in the URL hash. Rendered
    once per language (the model and the page never change while the app serves them): the page
    carries the whole model, and rendering it took 40 ms a request."""
    language = i18n.lang()
    page = kg.cached(f"network-page-{language}", lambda: render_network(_model(), language, offline=False))
    return Response(page, mimetype="text/html")


@bp.get("/network.json")
def network_json() -> Response:
    """The same model as data, for scripts and for checking the page without a browser."""
    return jsonify(_model())


def init_app(app: Any) -> None:
    """Register the network blueprint (kept here so app.py needs one line)."""
    app.register_blueprint(bp)
