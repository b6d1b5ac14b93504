"""Pages for people: home, search, places, a page for every IRI of the graph, downloads.

Every IRI of the graph dereferences here (:func:`viewer.kg.local_path` maps IRI ↔ path): data IRIs
under the base's path (``http://example.org/kg/id/place/heimdal`` → ``/kg/id/place/heimdal``; the
placeholder default base keeps the short ``/place/heimdal``), the ontology and its terms at
``/ontology#Term``, the dataset and graph IRIs to the VoID description. The same path answers
Turtle, N-Triples, JSON-LD or RDF/XML to a client that asks (Accept header or
``.ttl``/``.nt``/``.jsonld``/``.rdf``), so a link in a report and a link in a script are the same
link. All data comes from the store through :mod:`viewer.kg`; each page shows the SPARQL it ran.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import rdflib
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

from graph.export import serialise
from store import StoreError, StoreNotReady
from viewer import i18n, kg, ontology_page

bp = Blueprint("pages", __name__)

ENTITY_KINDS = ("commitment", "place", "project", "actor", "instrument", "target", "area", "topic",
                "document", "link", "scheme")
RDF_FORMATS = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
               "rdf": "application/rdf+xml"}  # extension → media type
STRENGTHS = ("decisive", "advocacy", "exploratory")
LABEL = '{ ?%s skos:prefLabel|rdfs:label ?%s FILTER(LANG(?%s) IN ("nb", "")) }'


def _label(var: str, out: str) -> str:
    """An OPTIONAL label pattern in bokmål (or untagged) for ``?var`` bound to ``?out``."""
    return "OPTIONAL " + LABEL % (var, out, out)


def sparql_string(text: str) -> str:
    """A SPARQL string literal for user text (search words): escapes what could end the literal."""
    return '"' + (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                  .replace("\r", "\\r")) + '"'


def local(term: str | None) -> str:
    """The local name of an ontology term (``…#decisive`` → ``decisive``)."""
    return (term or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


# --- template helpers --------------------------------------------------------------------------

def page_link(iri: str) -> str:
    """Where a link to an IRI goes: its page here (keeping the language, before any ``#term``), else the IRI."""
    path = kg.local_path(iri)
    if not path:
        return iri
    path, hash_, fragment = path.partition("#")
    return i18n.with_lang(path) + hash_ + fragment


@bp.app_context_processor
def helpers() -> dict[str, Any]:
    """Functions every template uses: language, links that keep it, labels of ontology terms."""
    return {
        "t": i18n.t,
        "lang": i18n.lang,
        "u": i18n.with_lang,
        "href": page_link,
        "page_spaces": kg.page_spaces,
        "term": i18n.term_label,
        "local": local,
        "editor_link": kg.sparql_editor_link,
        "page_queries": lambda: list(g.get("queries", [])),
    }


@bp.after_app_request
def remember_language(response: Response) -> Response:
    """Keep an explicit ``?lang=`` choice in a cookie so links typed by hand keep it too."""
    chosen = request.args.get("lang")
    if chosen in i18n.LANGS and request.cookies.get("lang") != chosen:
        response.set_cookie("lang", chosen, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@bp.app_errorhandler(404)
def not_found(err: HTTPException) -> tuple[str, int]:
    """A friendly page for unknown IRIs, slugs and paths, in the reader's language."""
    return render_template("error.html", title=i18n.t("not_found"), text=i18n.t("not_found_text")), 404


@bp.app_errorhandler(StoreError)
def store_failed(err: StoreError) -> tuple[str, int]:
    """The store could not answer (a remote endpoint down, a page query past the time limit)."""
    return render_template("error.html", title=i18n.t("store_failed"), text=err.message), err.status


@bp.app_errorhandler(StoreNotReady)
def no_store(err: StoreNotReady) -> tuple[str, int]:
    """The viewer started before the graph was built: say how to build it instead of a traceback."""
    text = f"{i18n.t('no_store_text')} ({err.message})"
    return render_template("error.html", title=i18n.t("no_store"), text=text), err.status


@bp.app_errorhandler(InternalServerError)
def server_error(err: InternalServerError) -> tuple[str, int]:
    """A bug: Flask has logged it with its traceback; the reader gets a plain page, no details.

    Only reached when exceptions are not propagated (not under ``TESTING``, where a bug fails the
    test that met it).
    """
    try:
        return render_template("error.html", title=i18n.t("server_error"), text=i18n.t("server_error_text")), 500
    except Exception:  # the page itself failed: the plainest answer there is
        current_app.logger.exception("the error page could not be rendered")
        return "Internal Server Error\n", 500


# --- home and search ---------------------------------------------------------------------------

def _home_data() -> dict[str, Any]:
    counts = {local(r["type"]): r["n"] for r in kg.select(
        "SELECT ?type (COUNT(DISTINCT ?s) AS ?n) WHERE {\n"
        "  VALUES ?type { pk:Commitment pk:PolicyArea pk:Topic pk:Place pk:Project pk:Actor pk:Instrument"
        " pk:Target pk:Mention }\n  ?s a ?type .\n} GROUP BY ?type")}
    areas: dict[str, dict[str, Any]] = {}
    for r in kg.select(
        "SELECT ?area ?label ?ordinal ?strength (COUNT(DISTINCT ?c) AS ?n) WHERE {\n"
        "  ?area a pk:PolicyArea .\n  " + _label("area", "label") + "\n"
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
        + _label("p", "label") + "\n} GROUP BY ?p ?label ORDER BY DESC(?n) ?label LIMIT 10")
    top_actors = kg.select(
        "SELECT ?a ?label (COUNT(DISTINCT ?c) AS ?n) WHERE {\n  ?a a pk:Actor .\n"
        "  ?c pk:involvesActor ?a .\n  " + _label("a", "label")
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


@bp.get("/")
def home() -> str:
    """What this is, a search box, the counts, the areas, the most connected places and actors."""
    data = kg.cached("home", _home_data)
    return render_template("home.html", **data, downloads=downloads(), strengths=STRENGTHS)


@bp.get("/search")
def search() -> str:
    """Find entities by label or by words of their text (every word must occur)."""
    q = (request.args.get("q") or "").strip()[:200]
    words = [w for w in re.split(r"\s+", q.lower()) if w][:8]
    rows: list[dict[str, Any]] = []
    if words:
        conds = " && ".join(f"CONTAINS(LCASE(STR(?hay)), {sparql_string(w)})" for w in words)
        rows = kg.select(
            "SELECT DISTINCT ?s ?type ?label WHERE {\n"
            "  VALUES ?type { pk:Commitment pk:PolicyArea pk:Topic pk:Place pk:Project pk:Actor"
            " pk:Instrument pk:Target }\n  ?s a ?type .\n"
            "  ?s skos:prefLabel|skos:altLabel|rdfs:label|pk:text ?hay .\n"
            f"  FILTER({conds})\n  " + _label("s", "label") + "\n} ORDER BY ?type ?label LIMIT 200")
    seen: set[str] = set()
    results = [r for r in rows if not (r["s"] in seen or seen.add(r["s"]))]
    return render_template("search.html", q=q, results=results)


@bp.get("/favicon.ico")
def favicon() -> Response:
    """No icon: browsers ask for one on every non-HTML view (Turtle, CSV); answer without a 404."""
    return Response(status=204)


@bp.get("/downloads/<name>")
def download(name: str) -> Response:
    """Serve a file the build wrote, read-only; only top-level files of ``dist/``.

    An HTML file (the offline ``network.html``, inline scripts by design) is sent as an attachment:
    it is meant to be saved and opened from disk, and run on our origin it would be blocked by the CSP.
    """
    if name not in {d["name"] for d in downloads()}:
        abort(404)
    return send_from_directory(current_app.config["DIST_DIR"], name, as_attachment=name.endswith(".html"))


# --- places ------------------------------------------------------------------------------------

def _places_index() -> list[dict[str, Any]]:
    """Every place with kind, parent, children and the commitments/projects touching it or inside it."""
    places: dict[str, dict[str, Any]] = {}
    for r in kg.select(
        "SELECT ?p ?label ?kind ?parent WHERE {\n  ?p a pk:Place .\n  " + _label("p", "label")
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


@bp.get("/places")
def places() -> str:
    """The place index: kind, what it is part of, what lies inside it, how much touches it."""
    return render_template("places.html", places=kg.cached("places", _places_index))


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
        "  " + _label("item", "label") + "\n  " + _label("via", "viaLabel") + "\n"
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


def place_points(place: str) -> list[dict[str, Any]]:
    """The place and every place inside it that has a WGS84 point (WKT ``POINT(lon lat)``)."""
    rows = kg.select(
        "SELECT DISTINCT ?p ?label ?wkt WHERE {\n"
        f"  ?p pk:partOf* {kg.iri(place)} .\n  ?p geo:hasGeometry/geo:asWKT ?wkt .\n  "
        + _label("p", "label") + "\n}")
    points = []
    for r in rows:
        m = re.search(r"POINT\s*\(\s*([-\d.eE+]+)\s+([-\d.eE+]+)\s*\)", r["wkt"] or "")
        if m:
            points.append({"iri": r["p"], "label": r["label"] or r["p"], "lon": float(m.group(1)),
                           "lat": float(m.group(2)), "self": r["p"] == place})
    return points


def svg_map(points: list[dict[str, Any]], width: int = 420, height: int = 300) -> dict[str, Any] | None:
    """Screen positions for a small local map: equirectangular, longitude scaled by cos(latitude)."""
    if not points:
        return None
    lat0 = sum(p["lat"] for p in points) / len(points)
    kx = math.cos(math.radians(lat0))
    xs = [p["lon"] * kx for p in points]
    ys = [p["lat"] for p in points]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 0.004)
    pad = 40
    scale = min((width - 2 * pad) / span, (height - 2 * pad) / span)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    out = []
    for p, x, y in zip(points, xs, ys):
        out.append({**p, "x": round(width / 2 + (x - cx) * scale, 1),
                    "y": round(height / 2 - (y - cy) * scale, 1)})
    km = span * 111.32  # degrees of latitude → km, for the scale note
    return {"width": width, "height": height, "points": sorted(out, key=lambda p: p["self"]),
            "span_km": round(km, 1)}


def _place_rows_for_download(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat row per commitment or project, as in the CSV and JSON downloads."""
    rows = []
    for it in data["commitments"] + data["projects"]:
        rows.append({
            "iri": it["iri"], "type": it["kind"], "label": it["label"], "text": it["text"],
            "area": it["area"], "area_label": it["area_label"], "strength": it["strength"],
            "first_line": it["first_line"], "last_line": it["last_line"],
            "via": [v["iri"] for v in it["via"]], "via_labels": [v["label"] for v in it["via"]],
            "matched_words": [m["text"] for m in it["matched"]],
        })
    return rows


@bp.get("/place/<slug>/touching.<fmt>")
def place_download(slug: str, fmt: str) -> Response:
    """The place page's list as CSV or JSON, for spreadsheets and scripts."""
    place = kg.base_iri() + "place/" + slug
    if fmt not in ("csv", "json") or not _exists(place):
        abort(404)
    rows = _place_rows_for_download(place_touching(place))
    if fmt == "json":
        return jsonify({"place": place, "items": rows})
    buf = io.StringIO()
    fields = list(rows[0]) if rows else ["iri", "type", "label", "text", "area", "area_label", "strength",
                                         "first_line", "last_line", "via", "via_labels", "matched_words"]
    w = csv.DictWriter(buf, fieldnames=fields)
    w.writeheader()
    for r in rows:
        w.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in r.items()})
    return Response(buf.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{slug}.csv"'})


# --- entity pages ------------------------------------------------------------------------------

def _exists(entity: str) -> bool:
    try:
        q = kg.iri(entity)
    except ValueError:
        return False
    return bool(kg.select(f"SELECT ?p WHERE {{ {q} ?p ?o }} LIMIT 1"))


def describe_graph(entity: str) -> rdflib.Graph:
    """The entity's description: its triples, its blank nodes (geometry, evidence) and its mentions."""
    q = kg.iri(entity)
    rows = kg.select_terms(
        "SELECT ?s ?p ?o WHERE {\n"
        f"  {{ BIND({q} AS ?s) {q} ?p ?o }}\n"
        f"  UNION {{ {q} ?p0 ?s . FILTER(isBlank(?s)) ?s ?p ?o }}\n"
        f"  UNION {{ {q} pk:hasMention ?s . ?s ?p ?o }}\n}}")
    graph = rdflib.Graph()
    graph.bind("pk", kg.PK)
    graph.bind("lk", kg.base_iri())
    for prefix, ns in (("skos", "http://www.w3.org/2004/02/skos/core#"), ("dcterms", "http://purl.org/dc/terms/"),
                       ("geo", "http://www.opengis.net/ont/geosparql#")):
        graph.bind(prefix, ns)
    for r in rows:
        if r["s"] is not None and r["p"] is not None and r["o"] is not None:
            graph.add((r["s"], r["p"], r["o"]))
    return graph


def _wanted_format(ext: str | None) -> str | None:
    """The RDF format asked for by extension or Accept header; None means the HTML page."""
    if ext:
        return ext
    best = request.accept_mimetypes.best_match(["text/html", *RDF_FORMATS.values()])
    for key, mime in RDF_FORMATS.items():
        if best == mime and request.accept_mimetypes[mime] > request.accept_mimetypes["text/html"]:
            return key
    return None


def _outgoing(entity: str) -> list[dict[str, Any]]:
    return kg.select(
        f"SELECT ?p ?o ?olabel WHERE {{\n  {kg.iri(entity)} ?p ?o .\n  " + _label("o", "olabel") + "\n}")


def _incoming(entity: str, skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    skip_filter = "".join(f" && ?p != {p}" for p in skip)
    return kg.select(
        f"SELECT ?s ?p ?slabel ?stype WHERE {{\n  ?s ?p {kg.iri(entity)} .\n"
        f"  FILTER(isIRI(?s){skip_filter})\n  " + _label("s", "slabel") + "\n  OPTIONAL { ?s a ?stype }\n}"
        " ORDER BY ?p ?slabel LIMIT 2000")


def _group(rows: list[dict[str, Any]], key: str, value: str, label: str) -> list[dict[str, Any]]:
    """Rows grouped by predicate, values unique, for the property tables."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        vals = groups.setdefault(r[key], [])
        item = {"value": r[value], "label": r.get(label)}
        if all(v["value"] != item["value"] for v in vals):
            vals.append(item)
        elif item["label"] and not any(v["label"] for v in vals if v["value"] == item["value"]):
            for v in vals:
                if v["value"] == item["value"]:
                    v["label"] = item["label"]
    return [{"predicate": p, "values": v} for p, v in groups.items()]


def _commitments_of(entity: str, via: str) -> list[dict[str, Any]]:
    """An area's or topic's commitments in document order, with their topic for the headings."""
    return kg.select(
        "SELECT ?c ?label ?text ?ordinal ?strength ?first ?last ?topic ?topicLabel ?topicOrdinal WHERE {\n"
        f"  ?c {via} {kg.iri(entity)} ; a pk:Commitment .\n  " + _label("c", "label") + "\n"
        "  OPTIONAL { ?c pk:text ?text } OPTIONAL { ?c pk:ordinal ?ordinal }\n"
        "  OPTIONAL { ?c pk:strength ?strength }\n"
        "  OPTIONAL { ?c pk:firstLine ?first } OPTIONAL { ?c pk:lastLine ?last }\n"
        "  OPTIONAL { ?c pk:topic ?topic . " + LABEL % ("topic", "topicLabel", "topicLabel")
        + " OPTIONAL { ?topic pk:ordinal ?topicOrdinal } }\n} ORDER BY ?ordinal ?c")


def _mentions(entity: str) -> list[dict[str, Any]]:
    return kg.select(
        "SELECT ?m ?ent ?entLabel ?matched ?line WHERE {\n"
        f"  {kg.iri(entity)} pk:hasMention ?m .\n  ?m pk:mentionOf ?ent .\n  " + _label("ent", "entLabel")
        + "\n  OPTIONAL { ?m pk:matchedText ?matched }\n  OPTIONAL { ?m pk:sourceLine ?line }\n}"
        " ORDER BY ?line ?matched")


def _neighbours_in_area(area: str, ordinal: int) -> dict[str, Any]:
    rows = kg.select(
        f"SELECT ?c ?ordinal WHERE {{\n  ?c pk:policyArea {kg.iri(area)} ; pk:ordinal ?ordinal .\n"
        f"  FILTER(?ordinal = {int(ordinal) - 1} || ?ordinal = {int(ordinal) + 1})\n}}")
    out: dict[str, Any] = {}
    for r in rows:
        out["previous" if r["ordinal"] < ordinal else "next"] = r["c"]
    return out


def entity_page(entity: str, ext: str | None) -> Response | str:
    """Render one entity: RDF when asked for, else a readable page by type."""
    fmt = _wanted_format(ext)
    if not _exists(entity):
        raise NotFound()
    if fmt:
        mime = RDF_FORMATS[fmt]
        body = serialise(describe_graph(entity), mime)
        return Response(body, mimetype=mime, headers={"Vary": "Accept"})
    out = _outgoing(entity)
    types = sorted({local(r["o"]) for r in out if r["p"].endswith("22-rdf-syntax-ns#type")})
    kind = next((t for t in ("Commitment", "PolicyArea", "Topic", "Place", "Project", "Actor", "Instrument",
                             "Target", "PolicyDocument", "Mention", "CommitmentLink") if t in types),
                types[0] if types else "")
    value = {local(r["p"]): r["o"] for r in out}
    labels = [r["o"] for r in out if local(r["p"]) in ("prefLabel", "label", "title")
              and isinstance(r["o"], str)]
    ctx: dict[str, Any] = {"entity": entity, "kind": kind, "types": types, "value": value,
                           "label": labels[0] if labels else entity.rsplit("/", 1)[-1],
                           "alternates": dict(RDF_FORMATS)}
    skip: tuple[str, ...] = ()
    if kind in ("PolicyArea", "Topic"):
        via = "pk:policyArea" if kind == "PolicyArea" else "pk:topic"
        ctx["commitments"] = _commitments_of(entity, via)
        skip = (via, "pk:policyArea")
    if kind == "PolicyArea":
        ctx["topics"] = kg.select(
            f"SELECT ?t ?label ?ordinal ?prose WHERE {{\n  ?t skos:broader {kg.iri(entity)} .\n  "
            + _label("t", "label") + "\n  OPTIONAL { ?t pk:ordinal ?ordinal }"
            " OPTIONAL { ?t pk:prose ?prose }\n} ORDER BY ?ordinal")
        skip = (*skip, "skos:broader", "pk:topic")
    if kind == "Commitment":
        ctx["mentions"] = _mentions(entity)
        if value.get("policyArea") and isinstance(value.get("ordinal"), int):
            ctx["around"] = _neighbours_in_area(value["policyArea"], value["ordinal"])
    if kind == "Place":
        ctx["touching"] = place_touching(entity)
        ctx["map"] = svg_map(place_points(entity))
        skip = (*skip, "pk:concernsPlace", "pk:mentionOf")
    if kind == "PolicyDocument":
        skip = (*skip, "dcterms:isPartOf")
    ctx["properties"] = _group(out, "p", "o", "olabel")
    ctx["incoming"] = _group(_incoming(entity, skip=(*skip, "pk:mentionOf")), "p", "s", "slabel")
    return render_template("entity.html", **ctx)


def entity(kind: str, rest: str) -> Response | str:
    """Any data IRI: ``…/commitment/<area>/<n>``, ``…/place/<slug>``, ``…/<x>.ttl`` and so on."""
    ext = None
    m = re.fullmatch(r"(.+)\.(" + "|".join(RDF_FORMATS) + ")", rest)
    if m:
        rest, ext = m.group(1), m.group(2)
    entity_iri = kg.base_iri() + kind + "/" + rest
    try:
        kg.iri(entity_iri)
    except ValueError:
        abort(404)
    return entity_page(entity_iri, ext)


def ontology(ext: str | None = None) -> Response | str:
    """The ontology (``pk:``, a hash namespace): one page with an anchor per term, or its triples."""
    fmt = _wanted_format(ext)
    if fmt:
        mime = RDF_FORMATS[fmt]
        return Response(serialise(ontology_page.cached_graph(), mime), mimetype=mime)
    return render_template("ontology.html", **ontology_page.context(),
                           alternates=dict(RDF_FORMATS))


def dataset(ext: str | None = None) -> Response:
    """The dataset and graph IRIs name things, not documents: 303 to their VoID description."""
    target = url_for("sparql.void", format=ext) if ext else url_for("sparql.void")  # /void negotiates Accept
    return redirect(target, code=303)


def linked_data(kind: str, rest: str = "", ext: str | None = None) -> Response | str:
    """One endpoint for every dereferenceable IRI (CORS on its data, see viewer.security)."""
    if kind == "ontology":
        answer = ontology(ext)
    elif kind == "dataset":
        answer = dataset(ext)
    else:
        answer = entity(kind, rest)
    response = current_app.make_response(answer)
    response.vary.add("Accept")  # HTML for browsers, RDF for clients: caches must keep them apart
    return response


def _routes(app: Any) -> list[tuple[str, dict[str, str]]]:
    """The URL rules of the IRIs this app serves, with the view's fixed arguments."""
    ext = "<any(" + ", ".join(RDF_FORMATS) + "):ext>"
    rules: list[tuple[str, dict[str, str]]] = []
    for prefix in kg.data_prefixes():
        rules.append((prefix + "<any(" + ", ".join(ENTITY_KINDS) + "):kind>/<path:rest>", {}))
    ontology_path = kg.local_path(kg.ONTOLOGY) or "/ontology"
    rules += [(ontology_path, {"kind": "ontology"}), (ontology_path + "." + ext, {"kind": "ontology"})]
    from viewer.sparql import _dataset_iri  # the dataset IRI VoID gives, derived from the graph IRI

    described = {app.config["SPARQL_GRAPH_IRI"], _dataset_iri()}
    paths = {kg.local_path(iri) for iri in described} | {urlsplit(iri).path for iri in described
                                                          if iri.startswith(kg.SITE)}
    for path in sorted(p for p in paths if p):  # ``rest`` tells the rules apart (else werkzeug redirects)
        rules += [(path, {"kind": "dataset", "rest": path}), (path + "." + ext, {"kind": "dataset", "rest": path})]
    return rules


def init_app(app: Any) -> None:
    """Register the pages blueprint and the routes of the IRIs, which follow the app's base IRI."""
    app.register_blueprint(bp)
    with app.app_context():
        rules = _routes(app)
        prefixes = kg.data_prefixes()
    for rule, defaults in rules:
        app.add_url_rule(rule, endpoint="pages.entity", view_func=linked_data, defaults=defaults or None)
    for prefix in prefixes:
        if prefix != "/":
            app.add_url_rule(prefix + "place/<slug>/touching.<fmt>", endpoint="pages.place_download",
                             view_func=place_download)
