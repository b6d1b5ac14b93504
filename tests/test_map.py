"""The map's data (graph/map_data.py, graph/geo.py) and its routes (viewer/maps.py).

The products are built from the real graph (the session's ``built_dist``) and checked against
counts the test makes itself with SPARQL (pyoxigraph), the rule of /place/<slug>: a place counts every
commitment touching it or a place inside it (pk:partOf*), directly or through a project there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from graph import geo, map_data
from graph.errors import BuildError
from graph.report import borough_warnings
from viewer.app import create_app
from viewer.kg import GraphStore

PREFIXES = """PREFIX pk: <https://leangen-kg.org/ontology#>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
"""
# The municipality of Trondheim in lon/lat: every point curated in one of its boroughs lies here.
TRONDHEIM = (10.0, 63.15, 10.8, 63.52)


@pytest.fixture(scope="module")
def products(built_dist) -> Path:
    """map.json and places.geojson as the build writes them (``map_data.write`` on its graph.nt):
    the session's dist/ from the real graph (conftest.py)."""
    return built_dist


@pytest.fixture(scope="module")
def model(products) -> dict:
    return json.loads((products / "map.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def collection(products) -> dict:
    return json.loads((products / "places.geojson").read_text(encoding="utf-8"))


def _points(graph: Graph) -> dict[str, str]:
    rows = graph.query(PREFIXES + "SELECT ?p ?wkt WHERE { ?p a pk:Place ; geo:hasGeometry/geo:asWKT ?wkt }")
    return {str(r.p): str(r.wkt) for r in rows}


def test_every_place_with_coordinates_is_on_the_map_and_in_the_geojson(built, model, collection):
    points = _points(built.graph)
    assert points, "the graph has places with coordinates"
    assert {p["iri"] for p in model["places"]} == set(points)
    assert {f["properties"]["iri"] for f in collection["features"]} == set(points)
    for p in model["places"]:  # WKT is "POINT(lon lat)": longitude first, as GeoJSON
        lon, lat = (float(x) for x in points[p["iri"]].split("(")[1].rstrip(") ").split())
        assert (p["lon"], p["lat"]) == (lon, lat)


@pytest.fixture(scope="module")
def oxi(products) -> ox.Store:
    """The graph the map was made from, for the counts below: pyoxigraph runs the per-place
    ``partOf*`` queries some 20 times faster than rdflib's engine, and the queries are this
    module's own, not graph/map_data.py's."""
    store = ox.Store()
    store.load(path=str(products / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _count(store: ox.Store, query: str) -> int:
    return int(next(iter(store.query(query)))["n"].value)


def test_counts_equal_an_independent_sparql_count(oxi, model):
    """Each place's count is the number /place/<slug> lists: the SPARQL of the README, per place."""
    for p in model["places"]:
        query = PREFIXES + f"""SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{
          ?sub pk:partOf* <{p['iri']}> .
          {{ ?c pk:concernsPlace ?sub }} UNION {{ ?c pk:concernsProject/pk:locatedAt ?sub }}
          ?c a pk:Commitment . }}"""
        assert p["commitments"] == _count(oxi, query), p["iri"]
    assert max(p["commitments"] for p in model["places"]) > 0


def test_project_counts_and_points(oxi, model):
    for pr in model["projects"]:
        query = PREFIXES + f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c pk:concernsProject <{pr['iri']}> }}"
        assert pr["commitments"] == _count(oxi, query), pr["iri"]
        at = {r["p"].value for r in oxi.query(PREFIXES + f"SELECT ?p WHERE {{ <{pr['iri']}> pk:locatedAt ?p }}")}
        assert set(pr["places"]) <= at and len(pr["points"]) == len(pr["places"])


def test_places_geojson_is_rfc7946(collection, model):
    """FeatureCollection of Point features, [lon, lat] (not [lat, lon]) in WGS84, no crs member."""
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    assert len(collection["features"]) == len(model["places"])
    inside = {p["iri"] for p in model["places"] if p["curated_boroughs"]}
    assert inside
    for f in collection["features"]:
        assert f["type"] == "Feature" and set(f) == {"type", "id", "geometry", "properties"}
        assert f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert isinstance(lon, float) and isinstance(lat, float)
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        props = f["properties"]
        assert {"iri", "name_nb", "name_en", "kind", "commitments", "borough"} <= set(props)
        assert props["name_nb"] and isinstance(props["commitments"], int)
        if props["iri"] in inside:  # curated in a Trondheim borough: lon first, inside the city's box
            assert TRONDHEIM[0] <= lon <= TRONDHEIM[2] and TRONDHEIM[1] <= lat <= TRONDHEIM[3], props["iri"]


def test_outlines_hold_the_source_point_checks():
    """The point checks sources/geo/SOURCES.md records, with our point-in-polygon test."""
    outlines = geo.load_outlines()
    assert set(outlines.boroughs) == {"Midtbyen", "Østbyen", "Lerkendal", "Heimdal"}
    for lon, lat, borough in [(10.354, 63.351, "Heimdal"), (10.395, 63.430, "Midtbyen"),
                              (10.405, 63.412, "Lerkendal"), (10.44, 63.445, "Østbyen"), (10.48, 63.30, "Heimdal")]:
        assert geo.within(outlines.boroughs, lon, lat) == borough
        assert geo.contains(outlines.municipality, lon, lat)
    assert geo.within(outlines.boroughs_sea, 10.3, 63.7) is None  # out in the fjord, beyond the boundary
    assert not geo.contains(outlines.municipality, 10.75, 59.91)  # Oslo


def test_point_in_polygon_respects_holes():
    square = {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
                                                 [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]]]}
    assert geo.contains(square, 0.5, 0.5) and not geo.contains(square, 2, 2) and not geo.contains(square, 5, 2)


def _rows(points: dict[str, tuple[str, str]]) -> dict[str, list[dict]]:
    """map-*.rq rows for a toy city: two boroughs (the real polygons) and places with a parent and a point."""
    kind = "https://leangen-kg.org/ontology#"
    rows = [{"place": "x:city", "nb": "By", "en": None, "kind": kind + "city", "wkt": None, "parent": None}]
    for name, wkt in [("Midtbyen", "POINT(10.395 63.430)"), ("Heimdal", "POINT(10.354 63.351)")]:
        rows.append({"place": f"x:{name}", "nb": name, "en": None, "kind": kind + "borough", "wkt": wkt,
                     "parent": "x:city"})
    for iri, (parent, wkt) in points.items():
        rows.append({"place": iri, "nb": iri, "en": None, "kind": kind + "site", "wkt": wkt, "parent": parent})
    return {"places": rows, "projects": [], "touching": []}


def test_borough_check_reports_a_point_in_another_borough():
    rows = _rows({"x:torget": ("x:Midtbyen", "POINT(10.395 63.430)"),     # right
                  "x:tiller": ("x:Midtbyen", "POINT(10.384 63.366)"),     # curated in the wrong borough
                  "x:oslo": ("x:Heimdal", "POINT(10.75 59.91)"),          # curated in Trondheim, point elsewhere
                  "x:free": ("x:city", "POINT(10.40 63.42)")})            # in no borough: cannot be checked
    check = map_data.build_map(rows, geo.load_outlines())["borough_check"]
    assert check["checked"] == 5 and check["agree"] == 3  # the two boroughs' own points and Torget
    assert {d["place"]: (d["curated"], d["polygon"]) for d in check["disagreements"]} == {
        "x:tiller": (["Midtbyen"], "Heimdal"), "x:oslo": (["Heimdal"], None)}
    assert check["inside_without_borough"] == ["x:free"]


def test_borough_check_runs_in_the_build_and_is_summarised(model):
    """The real data: every checked place is accounted for, each borough's own point lies in its
    polygon (Østbyen's did not before), and the summary warns once per disagreement."""
    check = model["borough_check"]
    curated = [p for p in model["places"] if p["curated_boroughs"]]
    assert check["checked"] == len(curated) and check["agree"] == check["checked"] - len(check["disagreements"])
    wrong = {p["iri"] for p in curated if p["borough"] not in p["curated_boroughs"]}
    assert {d["place"] for d in check["disagreements"]} == wrong
    for p in model["places"]:
        if p["kind"] == "borough":
            assert p["borough"] == p["iri"], f"{p['nb']}'s point lies in {p['borough_name']}"
    summary = "\n".join(borough_warnings(check))
    assert f"borough check: {check['agree']} of {check['checked']}" in summary
    assert summary.count("  warning: ") == len(check["disagreements"])


def test_a_broken_outline_file_is_a_build_error_naming_it(tmp_path):
    for name in geo.FILES.values():
        (tmp_path / name).write_bytes((geo.GEO / name).read_bytes())
    (tmp_path / geo.FILES["boroughs"]).write_text('{"type": "FeatureCollection",\n "features": [', encoding="utf-8")
    with pytest.raises(BuildError, match=r"trondheim-bydeler\.geojson, line 2: malformed GeoJSON"):
        geo.load_outlines(tmp_path)
    (tmp_path / geo.FILES["sea"]).unlink()
    (tmp_path / geo.FILES["boroughs"]).write_bytes((geo.GEO / geo.FILES["boroughs"]).read_bytes())
    with pytest.raises(BuildError, match=r"trondheim-sjo\.geojson: the outline file is missing"):
        geo.load_outlines(tmp_path)


@pytest.fixture(scope="module")
def client(built, products):
    return create_app({"STORE": GraphStore(built.graph), "DIST_DIR": products, "TESTING": True}).test_client()


def test_geojson_routes(client, collection):
    r = client.get("/places.geojson")
    assert r.status_code == 200 and r.mimetype == "application/geo+json"
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert json.loads(r.get_data(as_text=True)) == collection
    one = client.get("/place/tiller.geojson")
    assert one.mimetype == "application/geo+json"
    feature = one.get_json(force=True)
    assert feature["type"] == "Feature" and feature["properties"]["iri"].endswith("/place/tiller")
    assert feature["properties"]["borough"] == "Heimdal"
    assert client.get("/place/nowhere.geojson").status_code == 404
    assert client.get("/place/tiller.ttl").mimetype == "text/turtle"  # the RDF suffixes still answer


def test_map_page_and_data(client, model):
    html = client.get("/map").get_data(as_text=True)
    assert 'data-map-src="/map.json"' in html and re.search(r'<script src="/static/map.js\?v=\w+">', html)
    for d in model["borough_check"]["disagreements"]:
        assert d["label"] in html
    data = client.get("/map.json").get_json()
    assert data["attribution"] == "© Kartverket, CC BY 4.0"
    assert all(p["href"] == "/place/" + p["iri"].rsplit("/", 1)[1] for p in data["places"])
    place = client.get("/place/heimdal").get_data(as_text=True)
    assert 'data-focus="https://leangen-kg.org/id/place/heimdal"' in place


def test_without_the_product_the_viewer_computes_the_same_map(built, model, tmp_path):
    """A viewer with no dist/map.json (a remote store) runs the build's queries on its store."""
    app = create_app({"STORE": GraphStore(built.graph), "DIST_DIR": tmp_path, "TESTING": True})
    served = app.test_client().get("/map.json").get_json()
    for item in served["places"] + served["projects"] + served["outlines"]["boroughs"]:
        item.pop("href")
    assert served == model
