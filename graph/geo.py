"""The outlines of Trondheim (``sources/geo/``) and the one geometric question the build asks of them.

Why our own point-in-polygon: the build only needs "which borough polygon holds this point" for a
few dozen points and four polygons; the even-odd ray test below does that exactly (holes included)
in a dozen lines, so shapely is not a build dependency. The outlines are copied into the project
(``sources/geo/SOURCES.md``: © Kartverket, CC BY 4.0) and never read from outside it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import BuildError

GEO = Path(__file__).resolve().parent.parent / "sources" / "geo"
ATTRIBUTION = "© Kartverket, CC BY 4.0"
FILES = {"municipality": "trondheim-kommune.geojson", "boroughs": "trondheim-bydeler.geojson",
         "boroughs_sea": "trondheim-bydeler-extended.geojson", "sea": "trondheim-sjo.geojson"}
AREAS = ("Polygon", "MultiPolygon")


@dataclass
class Outlines:
    """The municipality, its boroughs (clipped to the coast, and out to the sea boundary) and the fjord."""

    municipality: dict[str, Any]
    boroughs: dict[str, dict[str, Any]]  # borough name (as the data spells it) → geometry, clipped
    boroughs_sea: dict[str, dict[str, Any]]  # the same out to the sea boundary: for the borough check
    sea: dict[str, Any]


def _features(path: Path) -> list[dict[str, Any]]:
    """A GeoJSON FeatureCollection's features, each with a (Multi)Polygon, or a BuildError naming the file."""
    if not path.is_file():
        raise BuildError(f"the outline file is missing. Copy it back from git (`git checkout -- {path.name}`); "
                         "sources/geo/SOURCES.md says where it comes from.", path=path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as err:
        raise BuildError(f"not valid UTF-8 ({err.reason} at byte {err.start}). Save it as UTF-8.", path=path) from None
    except json.JSONDecodeError as err:
        raise BuildError(f"malformed GeoJSON: {err.msg} at column {err.colno}.", path=path, line=err.lineno) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features or data.get("type") != "FeatureCollection":
        raise BuildError("expected a GeoJSON FeatureCollection with at least one feature.", path=path)
    for i, feature in enumerate(features):
        geometry = (feature or {}).get("geometry") or {}
        if geometry.get("type") not in AREAS or not isinstance(geometry.get("coordinates"), list):
            raise BuildError(f"feature {i} has no Polygon or MultiPolygon geometry; outlines must be areas.",
                             path=path)
    return features


def _by_name(path: Path) -> dict[str, dict[str, Any]]:
    """Borough geometries by their ``name`` property."""
    out = {}
    for i, feature in enumerate(_features(path)):
        name = (feature.get("properties") or {}).get("name")
        if not name:
            raise BuildError(f"feature {i} has no 'name' property; each borough needs its name.", path=path)
        out[name] = feature["geometry"]
    return out


def load_outlines(folder: Path = GEO) -> Outlines:
    """The four outline files of ``folder`` (``sources/geo/`` unless a test passes its own)."""
    return Outlines(municipality=_features(folder / FILES["municipality"])[0]["geometry"],
                    boroughs=_by_name(folder / FILES["boroughs"]),
                    boroughs_sea=_by_name(folder / FILES["boroughs_sea"]),
                    sea=_features(folder / FILES["sea"])[0]["geometry"])


def polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """A Polygon or MultiPolygon as a list of polygons (each a list of rings)."""
    coords = geometry["coordinates"]
    return [coords] if geometry["type"] == "Polygon" else coords


def _in_ring(ring: list[list[float]], x: float, y: float) -> bool:
    """Even-odd ray casting: does a ray from (x, y) towards +x cross the ring an odd number of times?"""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def contains(geometry: dict[str, Any], lon: float, lat: float) -> bool:
    """Whether the point lies inside the (Multi)Polygon: inside an outer ring and in none of its holes."""
    return any(_in_ring(rings[0], lon, lat) and not any(_in_ring(h, lon, lat) for h in rings[1:])
               for rings in polygons(geometry))


def bbox(geometry: dict[str, Any]) -> list[float]:
    """``[west, south, east, north]`` of a (Multi)Polygon (RFC 7946's bbox order)."""
    xs = [x for rings in polygons(geometry) for ring in rings for x, _ in ring]
    ys = [y for rings in polygons(geometry) for ring in rings for _, y in ring]
    return [min(xs), min(ys), max(xs), max(ys)]


def label_point(geometry: dict[str, Any]) -> list[float] | None:
    """Where an area's name goes: the centroid of its largest polygon, if it falls inside the area
    (a crescent's does not; the map then labels the area at its curated point)."""
    best: tuple[float, float, float] | None = None
    for rings in polygons(geometry):
        ring, area, cx, cy = rings[0], 0.0, 0.0, 0.0
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            cross = x1 * y2 - x2 * y1
            area, cx, cy = area + cross, cx + (x1 + x2) * cross, cy + (y1 + y2) * cross
        if area and (best is None or abs(area) > best[0]):
            best = (abs(area), cx / (3 * area), cy / (3 * area))
    if best is None or not contains(geometry, best[1], best[2]):
        return None
    return [round(best[1], 5), round(best[2], 5)]


def within(geometries: dict[str, dict[str, Any]], lon: float, lat: float) -> str | None:
    """The name of the geometry that holds the point, or None."""
    return next((name for name, g in sorted(geometries.items()) if contains(g, lon, lat)), None)
