"""The home page, search, the downloads of ``dist/`` and the (absent) favicon."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, render_template, request, send_from_directory

from graph import vocab
from viewer import fold, kg
from viewer.page_queries import STRENGTHS, classes, local, optional_label


def _home_data() -> dict[str, Any]:
    counts = {local(r["type"]): r["n"] for r in kg.select(
        "SELECT ?type (COUNT(DISTINCT ?s) AS ?n) WHERE {\n"
        f"  VALUES ?type {{ {classes((*vocab.NODE_CLASSES, 'Mention'))} }}\n  ?s a ?type .\n}} GROUP BY ?type")}
    areas: dict[str, dict[str, Any]] = {}
    for r in kg.select(
        "SELECT ?area ?label ?ordinal ?strength (COUNT(DISTINCT ?c) AS ?n) WHERE {\n"
        "  ?area a pk:PolicyArea .\n  " + optional_label("area", "label") + "\n"
        "  OPTIONAL { ?area pk:ordinal ?ordinal }\n"
        "  OPTIONAL { ?c pk:policyArea ?area . OPTIONAL { ?c pk:strength ?strength } }\n"
        "} GROUP BY ?area ?label ?ordinal ?strength ORDER BY ?ordinal"
    ):
        a = areas.setdefault(r["area"], {"iri": r["area"], "label": r["label"], "ordinal": r["ordinal"],
                                         "total": 0, "mix": {}})
        a["total"] += r["n"] or 0
        if r["strength"]:
            a["mix"][local(r["strength"])] = r["n"]
    top_places = kg.select(
        "SELECT ?p ?label (COUNT(DISTINCT ?c) AS ?n) WHERE {\n  ?p a pk:Place .\n"
        "  { ?c pk:concernsPlace ?p } UNION { ?c pk:concernsProject ?proj . ?proj pk:locatedAt ?p }\n  "
        + optional_label("p", "label") + "\n} GROUP BY ?p ?label ORDER BY DESC(?n) ?label LIMIT 10")
    top_actors = kg.select(
        "SELECT ?a ?label (COUNT(DISTINCT ?c) AS ?n) WHERE {\n  ?a a pk:Actor .\n"
        "  ?c pk:involvesActor ?a .\n  " + optional_label("a", "label")
        + "\n} GROUP BY ?a ?label ORDER BY DESC(?n) ?label LIMIT 10")
    doc = kg.select(
        "SELECT ?d ?title ?start ?end WHERE {\n  ?d a pk:PolicyDocument .\n"
        "  OPTIONAL { ?d dcterms:title ?title } OPTIONAL { ?d pk:periodStart ?start }"
        " OPTIONAL { ?d pk:periodEnd ?end }\n} LIMIT 1")
    return {"counts": counts, "areas": sorted(areas.values(), key=lambda a: (a["ordinal"] or 0)),
            "top_places": top_places, "top_actors": top_actors, "doc": doc[0] if doc else None}


def downloads() -> list[dict[str, Any]]:
    """The files the build wrote to ``dist/`` (top level only), for the download list."""
    dist = Path(current_app.config.get("DIST_DIR") or "")
    if not dist.is_dir():
        return []
    return [{"name": p.name, "size": p.stat().st_size} for p in sorted(dist.iterdir())
            if p.is_file() and not p.name.startswith(".")]


def home() -> str:
    """What this is, a search box, the counts, the areas, the most connected places and actors."""
    data = kg.cached("home", _home_data)
    return render_template("home.html", **data, downloads=downloads(), strengths=STRENGTHS)


def search_results(q: str) -> list[dict[str, Any]]:
    """Entities whose name, name variant or text matches ``q`` the forgiving way (:mod:`viewer.fold`),
    exact names first, then names that start with it, then the rest (by type and name)."""
    if not fold.query_words(q):
        return []
    hits: dict[str, dict[str, Any]] = {}
    for r in kg.cached("search-index", _search_index):
        rank = fold.rank(q, r["hay"])
        if rank < 3 and (r["s"] not in hits or rank < hits[r["s"]]["rank"]):
            hits[r["s"]] = {"s": r["s"], "type": r["type"], "label": r["label"], "rank": rank}
    return sorted(hits.values(), key=lambda h: (h["rank"], h["type"], (h["label"] or "").lower()))[:200]


def _search_index() -> list[dict[str, Any]]:
    """Every name, name variant and text of the entities one can search for (read once)."""
    return kg.select(
        "SELECT DISTINCT ?s ?type ?label ?hay WHERE {\n"
        f"  VALUES ?type {{ {classes(vocab.NODE_CLASSES)} }}\n  ?s a ?type .\n"
        "  ?s skos:prefLabel|skos:altLabel|rdfs:label|pk:text ?hay .\n  "
        + optional_label("s", "label") + "\n}")


def search() -> str:
    """Find entities by name or by words of their text, forgiving æøå, case and a genitive s."""
    q = (request.args.get("q") or "").strip()[:200]
    return render_template("search.html", q=q, results=search_results(q))


def favicon() -> Response:
    """No icon: browsers ask for one on every non-HTML view (Turtle, CSV); answer without a 404."""
    return Response(status=204)


def download(name: str) -> Response:
    """Serve a file the build wrote, read-only; only top-level files of ``dist/``.

    An HTML file (the offline ``network.html``, inline scripts by design) is sent as an attachment:
    it is meant to be saved and opened from disk, and run on our origin it would be blocked by the CSP.
    """
    if name not in {d["name"] for d in downloads()}:
        abort(404)
    return send_from_directory(current_app.config["DIST_DIR"], name, as_attachment=name.endswith(".html"))
