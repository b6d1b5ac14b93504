"""Places: the index, a place's commitments and projects (itself and every place inside it; the
list as data: :mod:`viewer.lists`). The place's map is drawn by static/map.js from /map.json
(:mod:`viewer.maps`)."""

from __future__ import annotations

from typing import Any

from flask import render_template

from viewer import kg
from viewer.page_queries import LABEL, exists, local, optional_label


def places_index() -> list[dict[str, Any]]:
    """Every place with kind, parent, children and how many commitments/projects touch it or inside it."""
    return kg.cached("places", _places_index)


def _places_index() -> list[dict[str, Any]]:
    places: dict[str, dict[str, Any]] = {}
    for r in kg.select(
        "SELECT ?p ?label ?kind ?parent WHERE {\n  ?p a pk:Place .\n  " + optional_label("p", "label")
        + "\n  OPTIONAL { ?p pk:placeKind ?kind }\n  OPTIONAL { ?p pk:partOf ?parent }\n}"
    ):
        p = places.setdefault(r["p"], {"iri": r["p"], "label": r["label"] or r["p"], "kind": r["kind"],
                                       "parents": [], "children": [], "commitments": set(),
                                       "projects": set()})
        if r["parent"] and r["parent"] not in p["parents"]:
            p["parents"].append(r["parent"])
    for p in places.values():
        for parent in p["parents"]:
            if parent in places:
                places[parent]["children"].append(p["iri"])
    direct = kg.select(
        "SELECT ?place ?c ?proj WHERE {\n"
        "  { ?c pk:concernsPlace ?place }\n"
        "  UNION { ?proj pk:locatedAt ?place . OPTIONAL { ?c pk:concernsProject ?proj } }\n}")

    def up(place: str, seen: set[str]) -> set[str]:
        if place in seen or place not in places:
            return seen
        seen.add(place)
        for parent in places[place]["parents"]:
            up(parent, seen)
        return seen

    for r in direct:
        for anc in up(r["place"], set()):
            if r["c"]:
                places[anc]["commitments"].add(r["c"])
            if r["proj"]:
                places[anc]["projects"].add(r["proj"])
    out = []
    for p in places.values():
        out.append({**p, "n_commitments": len(p["commitments"]), "n_projects": len(p["projects"]),
                    "children": sorted(p["children"], key=lambda c: places[c]["label"].lower())})
    labels = {p["iri"]: p["label"] for p in out}
    for p in out:
        p["labels"] = labels
        del p["commitments"], p["projects"]
    return sorted(out, key=lambda p: p["label"].lower())


def places() -> str:
    """The place index: kind, what it is part of, what lies inside it, how much touches it."""
    return render_template("places.html", places=places_index())


def place_touching(place: str) -> dict[str, Any]:
    """Commitments and projects touching a place or any place inside it (pk:partOf*)."""
    rows = kg.select(
        "SELECT ?item ?kind ?via ?viaLabel ?label ?text ?area ?areaLabel ?areaOrdinal ?ordinal\n"
        "       ?strength ?first ?last ?matched ?mline WHERE {\n"
        f"  ?sub pk:partOf* {kg.iri(place)} .\n"
        "  {\n    ?item pk:concernsPlace ?sub . BIND(?sub AS ?via) BIND(\"commitment\" AS ?kind)\n"
        "  } UNION {\n    ?proj pk:locatedAt ?sub . ?item pk:concernsProject ?proj .\n"
        "    BIND(?proj AS ?via) BIND(\"commitment\" AS ?kind)\n"
        "  } UNION {\n    ?item pk:locatedAt ?sub . BIND(?sub AS ?via) BIND(\"project\" AS ?kind)\n  }\n"
        "  " + optional_label("item", "label") + "\n  " + optional_label("via", "viaLabel") + "\n"
        "  OPTIONAL { ?item pk:text ?text }\n"
        "  OPTIONAL { ?item pk:policyArea ?area . " + LABEL % ("area", "areaLabel", "areaLabel")
        + "\n             OPTIONAL { ?area pk:ordinal ?areaOrdinal } }\n"
        "  OPTIONAL { ?item pk:ordinal ?ordinal }\n  OPTIONAL { ?item pk:strength ?strength }\n"
        "  OPTIONAL { ?item pk:firstLine ?first }\n  OPTIONAL { ?item pk:lastLine ?last }\n"
        "  OPTIONAL { ?item pk:hasMention ?m . ?m pk:mentionOf ?via .\n"
        "             OPTIONAL { ?m pk:matchedText ?matched } OPTIONAL { ?m pk:sourceLine ?mline } }\n"
        "}")
    items: dict[str, dict[str, Any]] = {}
    for r in rows:
        it = items.setdefault(r["item"], {
            "iri": r["item"], "kind": r["kind"], "label": r["label"], "text": r["text"],
            "area": r["area"], "area_label": r["areaLabel"], "area_ordinal": r["areaOrdinal"],
            "ordinal": r["ordinal"], "strength": local(r["strength"]) or None,
            "first_line": r["first"], "last_line": r["last"], "via": [], "matched": []})
        via = {"iri": r["via"], "label": r["viaLabel"] or r["via"]}
        if via not in it["via"]:
            it["via"].append(via)
        if r["matched"]:
            m = {"text": r["matched"], "line": r["mline"]}
            if m not in it["matched"]:
                it["matched"].append(m)
    commitments = sorted((i for i in items.values() if i["kind"] == "commitment"),
                         key=lambda i: (i["area_ordinal"] or 99, i["ordinal"] or 0, i["iri"]))
    projects = sorted((i for i in items.values() if i["kind"] == "project"),
                      key=lambda i: (i["label"] or "").lower())
    return {"commitments": commitments, "projects": projects}


def touching_rows(place: str) -> list[dict[str, Any]] | None:
    """One flat row per commitment or project touching the place (the page's list), None if no such place."""
    if not exists(place):
        return None
    data = place_touching(place)
    rows = []
    for it in data["commitments"] + data["projects"]:
        rows.append({
            "iri": it["iri"], "type": "Commitment" if it["kind"] == "commitment" else "Project",
            "label": it["label"], "text": it["text"], "area": it["area"], "area_label": it["area_label"],
            "strength": it["strength"], "first_line": it["first_line"], "last_line": it["last_line"],
            "via": [v["iri"] for v in it["via"]], "via_labels": [v["label"] for v in it["via"]],
            "matched_words": [m["text"] for m in it["matched"]],
        })
    return rows
