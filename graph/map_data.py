"""The map's data: places and projects with their points and commitment counts, the outlines of
Trondheim, and the borough check — written into ``dist/map.json`` and ``dist/places.geojson``.

Why a build product: the viewer's ``/map``, the place pages' maps, the editor's map view and
``/places.geojson`` all draw or serve the same numbers, so they are computed once here (the build
produces, the web renders). The queries are ``graph/queries/map-*.rq``, run through a ``select``
function as the network model's are, so a viewer on a remote store can compute the same model.

A place counts the commitments that touch it **or any place inside it** (``pk:partOf*``), directly
or through a project located there — the rule of ``/place/<slug>``. The borough check compares the
borough each place is curated in (``pk:partOf`` up to a place of kind ``pk:borough``) with the borough
polygon its point falls in; disagreements are a warning in ``build-report.json`` and the summary.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from graph import geo
from graph.network_model import Select
from graph.vocab import PK_IRI

QUERIES = Path(__file__).resolve().parent / "queries"
QUERY_NAMES = ("places", "projects", "touching")
POINT = re.compile(r"^\s*POINT\s*\(\s*([-+\d.eE]+)\s+([-+\d.eE]+)\s*\)\s*$", re.IGNORECASE)
BOROUGH = PK_IRI + "borough"
SOURCE = ("Outlines © Kartverket, CC BY 4.0 (Geonorge statistical units 2025, borough classification "
          "SSB 2025; processed by thohan88/nor-maps): sources/geo/SOURCES.md")


def collect(select: Select) -> dict[str, list[dict[str, Any]]]:
    """Run the map's queries, rows sorted so the model does not depend on the store's order."""
    return {name: sorted(select((QUERIES / f"map-{name}.rq").read_text(encoding="utf-8")),
                         key=lambda row: sorted((k, str(v or "")) for k, v in row.items()))
            for name in QUERY_NAMES}


def point(wkt: str | None) -> tuple[float, float] | None:
    """``POINT(lon lat)`` (WKT, longitude first) as ``(lon, lat)``, or None for anything else."""
    m = POINT.match(wkt or "")
    return (float(m.group(1)), float(m.group(2))) if m else None


def _places(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One record per place from the rows of ``map-places.rq`` (first name and point win)."""
    places: dict[str, dict[str, Any]] = {}
    for r in rows:
        p = places.setdefault(r["place"], {"iri": r["place"], "nb": None, "en": None, "kind": None,
                                           "point": None, "parents": []})
        p["nb"] = p["nb"] or r["nb"]
        p["en"] = p["en"] or r["en"]
        p["kind"] = p["kind"] or r["kind"]
        p["point"] = p["point"] or point(r["wkt"])
        if r["parent"] and r["parent"] not in p["parents"]:
            p["parents"].append(r["parent"])
    return places


def ancestors(places: dict[str, dict[str, Any]], iri: str) -> set[str]:
    """The place and every place it lies in (``pk:partOf*``), cycles ignored."""
    seen: set[str] = set()
    todo = [iri]
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.add(p)
            todo.extend(places[p]["parents"] if p in places else [])
    return seen


def _counts(places: dict[str, dict[str, Any]], touching: list[dict[str, Any]]) -> tuple[dict, dict]:
    """Commitments per place (the place or any place inside it) and per project."""
    per_place: dict[str, set[str]] = defaultdict(set)
    per_project: dict[str, set[str]] = defaultdict(set)
    for r in touching:
        if r["project"]:
            per_project[r["project"]].add(r["commitment"])
        if r["place"]:
            for p in ancestors(places, r["place"]):
                per_place[p].add(r["commitment"])
    return ({p: len(c) for p, c in per_place.items()}, {p: len(c) for p, c in per_project.items()})


def _borough_iris(places: dict[str, dict[str, Any]], outlines: geo.Outlines) -> dict[str, str | None]:
    """Borough polygon name → the curated borough of that name (``skos:prefLabel``@nb), if any."""
    curated = {p["nb"]: p["iri"] for p in places.values() if p["kind"] == BOROUGH}
    return {name: curated.get(name) for name in outlines.boroughs}


def build_map(rows: dict[str, list[dict[str, Any]]], outlines: geo.Outlines) -> dict[str, Any]:
    """The map model: outlines, places and projects with points and counts, and the borough check."""
    places = _places(rows["places"])
    per_place, per_project = _counts(places, rows["touching"])
    boroughs = _borough_iris(places, outlines)
    out_places = []
    for p in sorted(places.values(), key=lambda p: p["iri"]):
        if p["point"] is None:
            continue
        lon, lat = p["point"]
        polygon = geo.within(outlines.boroughs_sea, lon, lat)
        out_places.append({
            "iri": p["iri"], "nb": p["nb"], "en": p["en"], "kind": (p["kind"] or "").rsplit("#", 1)[-1] or None,
            "lon": lon, "lat": lat, "commitments": per_place.get(p["iri"], 0), "parents": sorted(p["parents"]),
            "inside": geo.contains(outlines.municipality, lon, lat),
            "borough": boroughs.get(polygon) if polygon else None, "borough_name": polygon,
            "curated_boroughs": sorted(b for b in ancestors(places, p["iri"]) if places[b]["kind"] == BOROUGH),
        })
    return {
        "attribution": geo.ATTRIBUTION, "source": SOURCE, "bbox": geo.bbox(outlines.municipality),
        "outlines": {"municipality": outlines.municipality, "sea": outlines.sea,
                     "boroughs": [{"name": n, "iri": boroughs[n], "label_point": geo.label_point(g), "geometry": g}
                                  for n, g in sorted(outlines.boroughs.items())]},
        "places": out_places,
        "projects": _projects(rows["projects"], places, per_project),
        "borough_check": borough_check(out_places, places),
    }


def _projects(rows: list[dict[str, Any]], places: dict[str, dict[str, Any]],
              per_project: dict[str, int]) -> list[dict[str, Any]]:
    """Projects drawn at the points of the places they are located at (those with a point)."""
    projects: dict[str, dict[str, Any]] = {}
    for r in rows:
        pr = projects.setdefault(r["project"], {"iri": r["project"], "nb": r["nb"], "en": r["en"],
                                                "commitments": per_project.get(r["project"], 0),
                                                "places": [], "points": []})
        at = places.get(r["place"] or "")
        if at and at["point"] and at["iri"] not in pr["places"]:
            pr["places"].append(at["iri"])
            pr["points"].append(list(at["point"]))
    return [p for _, p in sorted(projects.items()) if p["points"]]


def borough_check(out_places: list[dict[str, Any]], places: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each place curated in a borough against the borough polygon its point falls in.

    A place agrees when the polygon's borough is one of its curated boroughs; a place curated in a
    borough whose point lies in none (outside Trondheim) disagrees too. Places inside Trondheim that
    are curated in no borough (and hold none) are listed, as they cannot be checked.
    """
    checked, disagreements, unplaced = 0, [], []
    holds_borough = {a for p in places.values() if p["kind"] == BOROUGH
                     for a in ancestors(places, p["iri"]) if a != p["iri"]}
    for p in out_places:
        if p["curated_boroughs"]:
            checked += 1
            if p["borough"] not in p["curated_boroughs"]:
                disagreements.append({
                    "place": p["iri"], "label": p["nb"], "point": [p["lon"], p["lat"]],
                    "curated": [places[b]["nb"] for b in p["curated_boroughs"]],
                    "polygon": p["borough_name"]})
        elif p["inside"] and p["iri"] not in holds_borough:
            unplaced.append(p["nb"] or p["iri"])
    return {"checked": checked, "agree": checked - len(disagreements), "disagreements": disagreements,
            "inside_without_borough": unplaced}


def geojson(model: dict[str, Any]) -> dict[str, Any]:
    """Every place with a point as an RFC 7946 FeatureCollection (lon/lat, WGS84, no ``crs``)."""
    return {"type": "FeatureCollection", "features": [feature(p) for p in model["places"]]}


def feature(p: dict[str, Any]) -> dict[str, Any]:
    """One place as a GeoJSON Feature; the properties a GIS user filters and labels by."""
    return {"type": "Feature", "id": p["iri"],
            "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
            "properties": {"iri": p["iri"], "name_nb": p["nb"], "name_en": p["en"], "kind": p["kind"],
                           "commitments": p["commitments"], "borough": p["borough_name"],
                           "borough_iri": p["borough"]}}


def dumps(data: Any) -> str:
    """Compact JSON (the outlines hold thousands of coordinate pairs), same bytes for the same data."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def write(graph_nt: Path, out: Path, outlines_folder: Path = geo.GEO) -> dict[str, Any]:
    """``map.json`` and ``places.geojson`` into ``out``, from the N-Triples just written; returns the
    borough check for the build report."""
    from graph.oxiselect import NTriplesSelect

    model = build_map(collect(NTriplesSelect(graph_nt)), geo.load_outlines(outlines_folder))
    (out / "map.json").write_text(dumps(model), encoding="utf-8")
    (out / "places.geojson").write_text(dumps(geojson(model)), encoding="utf-8")
    return model["borough_check"]
