"""The interactive network (``/network``) and the self-contained ``dist/network.html``.

Why it is built this way:

* pyvis builds the vis-network model (nodes, edges, options) from the graph; its own HTML template
  is not used, because every pyvis mode except ``in_line`` loads vis-network and Bootstrap from CDNs
  (pyvis issues #228/#229) and the page needs filters, search, focus and a side panel that the
  template has no room for. Our template takes pyvis' nodes/edges/options and the vendored
  vis-network 10 standalone build (``static/vendor/vis-network``): no request leaves the machine.
* positions come from networkx's spring layout with a fixed seed, areas pinned on a circle, so the
  page opens still and looks the same on every load; physics is off until the presenter turns it on.
* the same template renders the served page (scripts by URL) and the offline file (scripts inlined,
  links to the published IRIs), so the two cannot drift apart.
"""

from __future__ import annotations

import math
import os
import random
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jinja2
import networkx as nx
import rdflib
from flask import Blueprint, Response, current_app, jsonify
from pyvis.network import Network

from graph.export import atomic_write
from viewer import i18n, kg
from viewer.security import DEFAULT_PUBLIC_URL

bp = Blueprint("network", __name__)

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
VIS_JS = STATIC / "vendor" / "vis-network" / "vis-network.min.js"

#: Okabe–Ito inspired palette: distinguishable on a projector and for most colour-blind viewers.
AREA_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#8C6D1F", "#999999"]

#: Shape and colour by type; commitments are coloured by area instead.
TYPE_STYLE: dict[str, dict[str, Any]] = {
    "Commitment": {"shape": "dot", "color": "#777777", "size": 9},
    "PolicyArea": {"shape": "ellipse", "color": "#333333", "size": 30},
    "Topic": {"shape": "box", "color": "#eeeeee", "size": 14},
    "Place": {"shape": "triangle", "color": "#1B5E20", "size": 13},
    "Project": {"shape": "square", "color": "#4A148C", "size": 12},
    "Actor": {"shape": "diamond", "color": "#B71C1C", "size": 12},
    "Instrument": {"shape": "hexagon", "color": "#5D4037", "size": 12},
    "Target": {"shape": "star", "color": "#006064", "size": 14},
}
TYPES = list(TYPE_STYLE)

#: Links drawn as edges (predicate local name → short edge label key in i18n.TERMS).
EDGE_PREDICATES = [
    "pk:topic", "pk:policyArea", "skos:broader", "pk:concernsPlace", "pk:concernsProject",
    "pk:involvesActor", "pk:usesInstrument", "pk:hasTarget", "pk:partOf", "pk:locatedAt",
    "pk:dependsOn", "pk:supports", "pk:conflictsWith",
]

NODES_QUERY = """SELECT ?s ?type ?label WHERE {
  VALUES ?type { pk:Commitment pk:PolicyArea pk:Topic pk:Place pk:Project pk:Actor pk:Instrument pk:Target }
  ?s a ?type .
  OPTIONAL { ?s skos:prefLabel ?pl FILTER(LANG(?pl) IN ("nb", "")) }
  OPTIONAL { ?s rdfs:label ?rl FILTER(LANG(?rl) IN ("nb", "")) }
  BIND(COALESCE(?pl, ?rl) AS ?label)
}"""

DETAILS_QUERY = """SELECT ?s ?text ?area ?topic ?strength ?ordinal ?first ?last ?kind ?comment WHERE {
  VALUES ?type { pk:Commitment pk:PolicyArea pk:Topic pk:Place pk:Project pk:Actor pk:Instrument pk:Target }
  ?s a ?type .
  OPTIONAL { ?s pk:text ?text }
  OPTIONAL { ?s pk:policyArea ?area }
  OPTIONAL { ?s pk:topic ?topic }
  OPTIONAL { ?s pk:strength ?strength }
  OPTIONAL { ?s pk:ordinal ?ordinal }
  OPTIONAL { ?s pk:firstLine ?first }
  OPTIONAL { ?s pk:lastLine ?last }
  OPTIONAL { ?s pk:placeKind|pk:projectKind|pk:actorType|pk:instrumentKind ?kind }
  OPTIONAL { ?s rdfs:comment|pk:measures ?comment FILTER(LANG(?comment) IN ("nb", "")) }
}"""

# Labels of the ontology's terms (kinds, strengths, link properties), so the page and the offline
# file name them as the ontology does, in both languages.
TERM_LABELS_QUERY = """SELECT ?term ?label ?lang WHERE {
  { ?term skos:prefLabel ?label } UNION { ?term rdfs:label ?label }
  FILTER(STRSTARTS(STR(?term), STR(pk:)) && LANG(?label) IN ("nb", "en"))
  BIND(LANG(?label) AS ?lang)
}"""

ALT_LABELS_QUERY = """SELECT ?s (GROUP_CONCAT(?alt; separator=" | ") AS ?alts) WHERE {
  ?s skos:altLabel ?alt .
} GROUP BY ?s"""

EDGES_QUERY = (
    "SELECT ?s ?p ?o WHERE {\n  VALUES ?p { " + " ".join(EDGE_PREDICATES) + " }\n"
    "  ?s ?p ?o .\n  FILTER(isIRI(?o))\n}"
)


def _short(label: str, limit: int = 42) -> str:
    """A label short enough to draw on the canvas (the panel shows it whole)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _node_id(value: str) -> str:
    """Readable node ids (``place/heimdal``) so they can stand in a URL (``?focus=place/heimdal``)."""
    path = kg.local_path(value)
    return path[1:] if path else value


def _select_sorted(query: str, source: Any) -> list[dict[str, Any]]:
    """The rows of ``query`` in a fixed order: the store returns them in its own (set) order, and
    the first row wins below, so without sorting ``dist/network.html`` changes from build to build."""
    return sorted(kg.select(query, source), key=lambda row: sorted((k, str(v or "")) for k, v in row.items()))


def collect(source: Any = None) -> dict[str, Any]:
    """Ask the store for everything the network shows; returns plain rows (no layout yet)."""
    nodes: dict[str, dict[str, Any]] = {}
    for row in _select_sorted(NODES_QUERY, source):
        s = row["s"]
        typ = row["type"].rsplit("#", 1)[-1]
        node = nodes.setdefault(s, {"iri": s, "type": typ, "label": row["label"] or _node_id(s)})
        if typ == "Commitment":  # a commitment typed twice stays a commitment
            node["type"] = typ
    for row in _select_sorted(DETAILS_QUERY, source):
        node = nodes.get(row["s"])
        if node is None:
            continue
        for key in ("text", "area", "topic", "strength", "ordinal", "first", "last", "kind", "comment"):
            if row.get(key) is not None and node.get(key) is None:
                node[key] = row[key]
    for row in _select_sorted(ALT_LABELS_QUERY, source):
        if row["s"] in nodes:  # name variants ("Miljøpakka", "NAVs") so search finds them too
            nodes[row["s"]]["alt"] = " | ".join(sorted(row["alts"].split(" | ")))  # GROUP_CONCAT has no order
    edges = [(r["s"], r["p"], r["o"]) for r in _select_sorted(EDGES_QUERY, source)
             if r["s"] in nodes and r["o"] in nodes]
    term_labels: dict[str, dict[str, str]] = {}
    for row in _select_sorted(TERM_LABELS_QUERY, source):
        local = row["term"].rsplit("#", 1)[-1]
        term_labels.setdefault(local, {}).setdefault(row["lang"], row["label"])
    return {"nodes": nodes, "edges": edges, "term_labels": term_labels}


def _layout(nodes: dict[str, dict[str, Any]], edges: list[tuple[str, str, str]]) -> dict[str, tuple[float, float]]:
    """Fixed-seed positions: areas pinned on a circle, everything else settled by springs.

    Pinning the areas makes each area's commitments gather in their own sector, which is what a
    room reads first on a projector; the seed makes every load (and the offline file) identical.
    """
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    graph.add_edges_from((s, o) for s, _, o in edges)
    areas = sorted((n for n, d in nodes.items() if d["type"] == "PolicyArea"),
                   key=lambda n: (nodes[n].get("ordinal") or 0, n))
    rng = random.Random(42)
    pos: dict[str, tuple[float, float]] = {}
    for i, a in enumerate(areas):
        angle = 2 * math.pi * i / max(len(areas), 1) - math.pi / 2
        pos[a] = (math.cos(angle), math.sin(angle))
    for n in sorted(nodes):
        if n in pos:
            continue
        anchor = pos.get(nodes[n].get("area") or "")
        if anchor is None and nodes[n]["type"] == "Topic":
            anchor = next((pos[o] for s, _, o in edges if s == n and o in pos), None)
        if anchor:
            pos[n] = (anchor[0] * 0.8 + rng.uniform(-0.15, 0.15), anchor[1] * 0.8 + rng.uniform(-0.15, 0.15))
        else:
            pos[n] = (rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5))
    if len(graph) == 0:
        return {}
    k = 1.6 / math.sqrt(max(len(graph), 1))
    layout = nx.spring_layout(graph, pos=pos, fixed=areas or None, k=k, iterations=50, seed=42)
    # pinned areas stop networkx from rescaling: bring the drawing back to [-1, 1], then give it
    # room in proportion to the number of nodes so labels do not pile up
    extent = max((max(abs(x), abs(y)) for x, y in layout.values()), default=1.0) or 1.0
    room = max(1.0, math.sqrt(len(graph)) / 6)
    return {n: (float(x) / extent * room, float(y) / extent * room) for n, (x, y) in layout.items()}


def _ancestors(edges: list[tuple[str, str, str]]) -> dict[str, set[str]]:
    """Each place with every place that contains it (pk:partOf*), for the place filter."""
    part_of = nx.DiGraph()
    part_of.add_edges_from((s, o) for s, p, o in edges if p.endswith("#partOf"))
    return {n: nx.descendants(part_of, n) for n in part_of}


def build_model(source: Any = None, *, scale: float = 500.0) -> dict[str, Any]:
    """The network as data for the page: pyvis nodes/edges with positions, styles and filter keys."""
    data = collect(source)
    nodes, edges = data["nodes"], data["edges"]
    pos = _layout(nodes, edges)
    up = _ancestors(edges)

    areas = sorted((n for n, d in nodes.items() if d["type"] == "PolicyArea"),
                   key=lambda n: (nodes[n].get("ordinal") or 0, n))
    area_colour = {a: AREA_COLOURS[i % len(AREA_COLOURS)] for i, a in enumerate(areas)}
    topic_area = {s: o for s, p, o in edges if p.endswith("core#broader") and o in area_colour}
    for n, d in nodes.items():
        if d["type"] == "Topic" and not d.get("area"):
            d["area"] = topic_area.get(n)

    # facets of each commitment: the places it touches (with every containing place, and through
    # the projects it concerns), actors, instruments
    located = {}
    for s, p, o in edges:
        if p.endswith("#locatedAt"):
            located.setdefault(s, set()).add(o)
    facets: dict[str, dict[str, set[str]]] = {}
    has_topic = {s for s, p, _ in edges if p.endswith("#topic")}
    for s, p, o in edges:
        if nodes[s]["type"] != "Commitment":
            continue
        f = facets.setdefault(s, {"place": set(), "actor": set(), "instrument": set()})
        if p.endswith("#concernsPlace"):
            f["place"] |= {o} | up.get(o, set())
        elif p.endswith("#concernsProject"):
            for pl in located.get(o, ()):
                f["place"] |= {pl} | up.get(pl, set())
        elif p.endswith("#involvesActor"):
            f["actor"].add(o)
        elif p.endswith("#usesInstrument"):
            f["instrument"].add(o)

    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    for n in sorted(nodes, key=lambda n: (TYPES.index(nodes[n]["type"]), n)):
        d = nodes[n]
        style = dict(TYPE_STYLE[d["type"]])
        colour = style.pop("color")
        if d["type"] == "Commitment":
            colour = area_colour.get(d.get("area") or "", colour)
        elif d["type"] == "PolicyArea":
            colour = area_colour.get(n, colour)
        x, y = pos.get(n, (0.0, 0.0))
        f = facets.get(n, {})
        extra = {
            "iri": n, "type": d["type"], "full": d["label"], "text": d.get("text"),
            "area": _node_id(d["area"]) if d.get("area") else None,
            "topic": _node_id(d["topic"]) if d.get("topic") else None,
            "strength": (d.get("strength") or "").rsplit("#", 1)[-1] or None,
            "lines": [d.get("first"), d.get("last")] if d.get("first") else None,
            "kind": (d.get("kind") or "").rsplit("#", 1)[-1] or None,
            "comment": d.get("comment"),
            "alt": d.get("alt"),
            "places": sorted(_node_id(p) for p in f.get("place", ())),
            "actors": sorted(_node_id(p) for p in f.get("actor", ())),
            "instruments": sorted(_node_id(p) for p in f.get("instrument", ())),
            "href": kg.local_path(n),
        }
        # big labels for the structure (areas, topics) so a room can read it at full view
        font = {"PolicyArea": {"color": "#ffffff", "size": 44}, "Topic": {"size": 24},
                "Place": {"size": 18}}.get(d["type"], {})
        if d["type"] == "Topic":
            style["color_border"] = area_colour.get(d.get("area") or "", "#999999")
        border = style.pop("color_border", None)
        color = {"background": colour, "border": border or colour,
                 "highlight": {"background": colour, "border": "#000000"}}
        net.add_node(_node_id(n), label=_short(d["label"]), color=color,
                     x=round(x * scale, 1), y=round(y * scale, 1), font=font or None,
                     **style, **{k: v for k, v in extra.items() if v not in (None, [], "")})
    for s, p, o in edges:
        if p.endswith("#policyArea") and s in has_topic:
            continue  # the commitment reaches its area through its topic; one line is enough
        local = p.rsplit("#", 1)[-1]
        net.add_edge(_node_id(s), _node_id(o), label=local, predicate=local,
                     dashes=local in ("partOf", "locatedAt", "broader", "topic", "policyArea"))
    net.toggle_physics(False)
    for node in net.nodes:  # pyvis adds font=None for our non-area nodes; keep the JSON lean
        if node.get("font") is None:
            node.pop("font", None)
    return {"nodes": net.nodes, "edges": net.edges, "term_labels": data["term_labels"], "areas": [
        {"id": _node_id(a), "label": nodes[a]["label"], "color": area_colour[a]} for a in areas]}


def page_context(model: dict[str, Any], language: str, *, offline: bool) -> dict[str, Any]:
    """Everything the template needs besides the model: labels, filter options, style legend."""
    by_type: dict[str, list[dict[str, Any]]] = {}
    for n in model["nodes"]:
        by_type.setdefault(n["type"], []).append(n)

    def options(typ: str) -> list[dict[str, str]]:
        return sorted(({"id": n["id"], "label": n["full"], "area": n.get("area") or ""}
                       for n in by_type.get(typ, [])),
                      key=lambda o: o["label"].lower())

    used = {k for n in by_type.get("Commitment", []) for k in [n.get("strength")] if k}
    kinds = [n["kind"] for n in model["nodes"] if n.get("kind")]
    labels = model.get("term_labels", {})
    terms = {k: labels.get(k, {}).get(language) or i18n.term_label(kg.PK + k, language) for k in
             [*TYPES, "decisive", "advocacy", "exploratory", *kinds, *(e["predicate"] for e in model["edges"])]}
    return {
        "lang": language,
        "ui": i18n.ui_table(language),
        "terms": terms,
        "offline": offline,
        "filters": {
            "area": model["areas"],
            "topic": options("Topic"),
            "strength": [{"id": s, "label": terms[s]} for s in ("decisive", "advocacy", "exploratory")
                         if s in used],
            "place": options("Place"),
            "actor": options("Actor"),
            "instrument": options("Instrument"),
        },
        "legend": [{"type": t, "label": terms[t], **{k: v for k, v in TYPE_STYLE[t].items()
                                                     if k in ("shape", "color")}} for t in TYPES
                   if t in by_type],
        "vis_options": {
            "physics": {"enabled": False, "stabilization": False,
                        "barnesHut": {"gravitationalConstant": -4000, "springLength": 120}},
            "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False,
                            "keyboard": False},
            "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
                      "color": {"color": "#b0b0b0", "highlight": "#333333", "inherit": False},
                      "font": {"size": 9, "color": "#555555", "strokeWidth": 2, "align": "middle"},
                      "smooth": False, "width": 0.8},
            "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif"}, "borderWidth": 1.5,
                      "scaling": {"label": {"drawThreshold": 7}}},
        },
    }


def _template_env() -> jinja2.Environment:
    """Autoescaping Jinja for the offline file (no Flask app there); same templates directory."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                              autoescape=True)


def render_network(model: dict[str, Any], language: str, *, offline: bool, network_url: str = "") -> str:
    """The network page as HTML: served (assets by URL) or offline (assets inlined)."""
    ctx = page_context(model, language, offline=offline)
    ctx["model"] = {"nodes": model["nodes"], "edges": model["edges"]}
    if offline:
        ctx["inline_js"] = jinja2.utils.markupsafe.Markup(  # vendored file, trusted
            VIS_JS.read_text(encoding="utf-8").replace("</script", "<\\/script"))
        ctx["inline_app_js"] = jinja2.utils.markupsafe.Markup(
            (STATIC / "network.js").read_text(encoding="utf-8").replace("</script", "<\\/script"))
        ctx["inline_css"] = jinja2.utils.markupsafe.Markup(
            (STATIC / "network.css").read_text(encoding="utf-8").replace("</style", "<\\/style"))
    ctx["network_url"] = network_url
    return _template_env().get_template("network.html").render(**ctx)


def write_network_html(graph: rdflib.Graph, path: Path, *, language: str = "nb") -> Path:
    """Write the self-contained network page (``dist/network.html``) for use with no server.

    Its "open the page" links go to the viewer at ``LEANGEN_PUBLIC_URL`` (what ``serve --public-url``
    reads; default ``http://127.0.0.1:8000/``, where ``make run`` serves), since a file opened from
    disk has no server of its own to be relative to.

    Called by the build with the assembled graph. Written to a temporary file in the same
    directory and renamed, so a reader never sees half a file.
    """
    path = Path(path)
    with kg.using_base(kg.base_of(graph)):  # no app here: the graph's own base maps IRIs to pages
        model = build_model(graph)
    root = os.environ.get("LEANGEN_PUBLIC_URL") or DEFAULT_PUBLIC_URL  # "Åpne siden": the served viewer
    for node in model["nodes"]:
        if node.get("href"):
            node["href"] = urljoin(root, node["href"])
    html = render_network(model, language, offline=True)
    atomic_write(path, lambda tmp: tmp.write_text(html, encoding="utf-8"))
    return path


def _model() -> dict[str, Any]:
    """The app's network model, computed once (the layout takes seconds on the full graph)."""
    lock = current_app.config.setdefault("NETWORK_LOCK", threading.Lock())
    with lock:  # two first visitors must not both lay out the graph
        return kg.cached("network-model", build_model)


def warm_up(app: Any) -> threading.Thread:
    """Compute the network model in the background so the first /network opens at once.

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
    """The served network page; filters, focus and presentation mode live in the URL query."""
    html = render_network(_model(), i18n.lang(), offline=False)
    return Response(html, mimetype="text/html")


@bp.get("/network.json")
def network_json() -> Response:
    """The same model as data, for scripts and for checking the page without a browser."""
    return jsonify(_model())


def init_app(app: Any) -> None:
    """Register the network blueprint (kept here so app.py needs one line)."""
    app.register_blueprint(bp)

