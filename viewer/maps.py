"""The map (``/map``), its data (``/map.json``) and the places as GeoJSON (``/places.geojson``,
``/place/<slug>.geojson``).

The map model — outlines, places and projects with points and commitment counts, the borough
check — is a build product (``dist/map.json``, :mod:`graph.map_data`); this blueprint reads it and
adds the local page of each IRI, so ``static/map.js`` can link markers without knowing the base
IRI. On a remote store (no ``dist/`` of its own) it computes the same model from that store with
the build's queries and functions, and the outlines the project carries in ``sources/geo/``.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, render_template

from graph import geo, map_data
from viewer import kg
from viewer.kg import products_dir

bp = Blueprint("map", __name__)
GEOJSON = "application/geo+json"


def load_model() -> dict[str, Any]:
    """``dist/map.json`` if the build wrote it for the graph served, else computed from the store."""
    dist = products_dir()
    path = dist / "map.json" if dist else None
    if path is not None and path.is_file():
        model = json.loads(path.read_text(encoding="utf-8"))
    else:
        model = map_data.build_map(map_data.collect(kg.select), geo.load_outlines())
    for item in model["places"] + model["projects"] + model["outlines"]["boroughs"]:
        item["href"] = kg.local_path(item.get("iri"))
    return model


def model() -> dict[str, Any]:
    """The app's map model, read (or computed) once: the graph is read-only."""
    return kg.cached("map-model", load_model)


def _json(data: Any, mimetype: str) -> Response:
    return Response(map_data.dumps(data), mimetype=mimetype)


@bp.get("/map")
def map_page() -> str:
    """Every place and project on the outlines of Trondheim, coloured by commitments (static/map.js)."""
    check = model()["borough_check"]
    return render_template("map.html", check=check)


@bp.get("/map.json")
def data() -> Response:
    """The model the maps draw: outlines, places, projects, counts, attribution."""
    return _json(model(), "application/json")


@bp.get("/places.geojson")
def places_geojson() -> Response:
    """Every place with a point, RFC 7946 GeoJSON, for GIS tools."""
    return _json(map_data.geojson(model()), GEOJSON)


def place_geojson(slug: str) -> Response:
    """One place as a GeoJSON Feature (404 for an unknown place or one without a point)."""
    iri = kg.base_iri() + "place/" + slug
    found = next((p for p in model()["places"] if p["iri"] == iri), None)
    if found is None:
        abort(404)
    return _json(map_data.feature(found), GEOJSON)


def init_app(app: Any) -> None:
    """Register the blueprint and ``<prefix>place/<slug>.geojson`` under every data prefix."""
    app.register_blueprint(bp)
    with app.app_context():
        prefixes = kg.data_prefixes()
    for prefix in prefixes:
        app.add_url_rule(prefix + "place/<slug>.geojson", endpoint="map.place_geojson", view_func=place_geojson)
