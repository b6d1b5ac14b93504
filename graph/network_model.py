"""The network model behind ``/network`` and ``dist/network.html``: nodes, edges, layout, facets, impact.

Why one pure module: the build computes the model once into ``dist/network.json``, and a viewer
serving a remote store with no ``dist/`` computes it from that store; both run the same queries
(``graph/queries/network-*.rq``) through a ``select`` function they supply and hand the rows to
:func:`build_model`, so the two cannot drift apart. Nothing here knows Flask or the store.

* pyvis builds the vis-network nodes and edges (its own HTML template is not used; see
  ``viewer/network_page.py``).
* positions come from a Fruchterman–Reingold layout (:mod:`graph.layout`) from seeded starting
  points, areas pinned on a circle, so the page opens still and looks the same on every build.
* node ids are IRIs minus the base IRI (``place/heimdal``), so they can stand in a URL
  (``#focus=place/heimdal``) whatever base the graph was published under.
* each node carries what stalls or gets harder if it stalls (:mod:`graph.impact`), as node ids.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import networkx as nx
import numpy as np
from pyvis.network import Network

from graph import tracker
from graph.impact import if_stalled
from graph.interactions import rankings, scored_ends
from graph.layout import fruchterman_reingold
from graph.palettes import AREA_COLOURS, SCORE_COLOURS, STATUS_COLOURS, STRENGTH_COLOURS, text_on
from graph.vocab import DEFAULT_BASE, NODE_CLASSES

QUERIES = Path(__file__).resolve().parent / "queries"
QUERY_NAMES = ("nodes", "details", "alt-labels", "edges", "term-labels", "scores")

#: A function that runs a SPARQL SELECT and returns rows of plain values (IRIs and text as str,
#: integers as int, unbound as None).
Select = Callable[[str], list[dict[str, Any]]]

#: What the page can size nodes by (the model carries each as a number on the node).
MEASURES = ("degree", "betweenness", "influence")
#: What the page can colour commitments by: area (the default), strength of wording, current status.
COLOUR_BY = ("area", "strength", "status")
#: Unassessed commitments: the tracker's word for them.
NOT_ASSESSED = tracker.NOT_ASSESSED

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
TYPES = list(NODE_CLASSES)  # TYPE_STYLE styles each of them
DETAIL_KEYS = ("text", "area", "topic", "strength", "ordinal", "first", "last", "kind", "comment")
#: Big labels for the structure (areas, topics) so a room can read it at full view.
FONTS = {"PolicyArea": {"color": "#ffffff", "size": 44}, "Topic": {"size": 24}, "Place": {"size": 18}}
DASHED = ("partOf", "locatedAt", "broader", "topic", "policyArea")



def page_prefix(base: str) -> str:
    """The path under which the viewer serves data IRIs: the base's own path, so that an IRI
    dereferences on a server published at the base's host; ``/`` for the placeholder default base
    (the short paths, ``/place/heimdal``)."""
    return "/" if base == DEFAULT_BASE else urlsplit(base).path

def query(name: str) -> str:
    """The text of ``graph/queries/network-NAME.rq``."""
    return (QUERIES / f"network-{name}.rq").read_text(encoding="utf-8")


def collect(select: Select) -> dict[str, list[dict[str, Any]]]:
    """Run the network's queries, and the tracker's assessments (each commitment's status); rows
    sorted, because stores answer in their own (set) order and the first row wins in
    :func:`build_model`, so unsorted rows would change the model between runs."""
    texts = {name: query(name) for name in QUERY_NAMES} | {"assessments": tracker.query("assessments")}
    return {name: sorted(select(text), key=lambda row: sorted((k, str(v or "")) for k, v in row.items()))
            for name, text in texts.items()}


def local(value: str) -> str:
    """The local name of a term (``…#Commitment`` → ``Commitment``)."""
    return value.rsplit("#", 1)[-1]


def node_id(value: str, base: str) -> str:
    """Readable node ids (``place/heimdal``) so they can stand in a URL (``#focus=place/heimdal``)."""
    return value[len(base):] if value.startswith(base) and len(value) > len(base) else value


def _nodes(rows: dict[str, list[dict[str, Any]]], base: str) -> dict[str, dict[str, Any]]:
    """One record per node IRI: type, label, details and name variants."""
    nodes: dict[str, dict[str, Any]] = {}
    for row in rows["nodes"]:
        s, typ = row["s"], local(row["type"])
        node = nodes.setdefault(s, {"iri": s, "type": typ, "label": row["label"] or node_id(s, base)})
        if typ == "Commitment":  # a commitment typed twice stays a commitment
            node["type"] = typ
    for row in rows["details"]:
        node = nodes.get(row["s"])
        for key in DETAIL_KEYS if node is not None else ():
            if row.get(key) is not None and node.get(key) is None:
                node[key] = row[key]
    for row in rows["alt-labels"]:
        if row["s"] in nodes:  # GROUP_CONCAT has no order
            nodes[row["s"]]["alt"] = " | ".join(sorted(row["alts"].split(" | ")))
    return nodes


def layout(nodes: dict[str, dict[str, Any]], edges: list[tuple[str, str, str]]) -> dict[str, tuple[float, float]]:
    """Fixed-seed positions: areas pinned on a circle, everything else settled by springs.

    Pinning the areas makes each area's commitments gather in their own sector, which is what a
    room reads first on a projector; the seed makes every build identical.
    """
    if not nodes:
        return {}
    order = sorted(nodes)
    start, areas = _start(nodes, edges, order), _areas(nodes)
    index = {n: i for i, n in enumerate(order)}
    placed = fruchterman_reingold(np.array([start[n] for n in order]), ((index[s], index[o]) for s, _, o in edges),
                                  pinned=[index[a] for a in areas], k=1.6 / math.sqrt(len(order)))
    # pinned areas keep the drawing from being rescaled: bring it back to [-1, 1], then give it
    # room in proportion to the number of nodes so labels do not pile up
    extent = float(np.abs(placed).max()) or 1.0
    room = max(1.0, math.sqrt(len(order)) / 6)
    return {n: (float(x) / extent * room, float(y) / extent * room) for n, (x, y) in zip(order, placed.tolist())}


def _start(nodes: dict[str, dict[str, Any]], edges: list[tuple[str, str, str]],
           order: list[str]) -> dict[str, tuple[float, float]]:
    """Where the springs start: areas on a circle, a commitment or topic near its area, the rest
    scattered in the middle (a seeded generator, so every build starts alike)."""
    areas = _areas(nodes)
    rng = random.Random(42)
    pos: dict[str, tuple[float, float]] = {}
    for i, a in enumerate(areas):
        angle = 2 * math.pi * i / max(len(areas), 1) - math.pi / 2
        pos[a] = (math.cos(angle), math.sin(angle))
    broader = {s: pos[o] for s, _, o in reversed(edges) if o in pos}  # a topic's first edge to an area
    for n in order:
        if n in pos:
            continue
        anchor = pos.get(nodes[n].get("area") or "")
        if anchor is None and nodes[n]["type"] == "Topic":
            anchor = broader.get(n)
        if anchor:
            pos[n] = (anchor[0] * 0.8 + rng.uniform(-0.15, 0.15), anchor[1] * 0.8 + rng.uniform(-0.15, 0.15))
        else:
            pos[n] = (rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5))
    return pos


def _areas(nodes: dict[str, dict[str, Any]]) -> list[str]:
    """The policy areas in document order."""
    return sorted((n for n, d in nodes.items() if d["type"] == "PolicyArea"),
                  key=lambda n: (nodes[n].get("ordinal") or 0, n))


def facets(nodes: dict[str, dict[str, Any]], edges: list[tuple[str, str, str]]) -> dict[str, dict[str, set[str]]]:
    """Per commitment: the places it touches (with every containing place, and through the
    projects it concerns), its actors and instruments — what the filters match on."""
    part_of = nx.DiGraph()
    part_of.add_edges_from((s, o) for s, p, o in edges if p.endswith("#partOf"))
    up = {n: nx.descendants(part_of, n) for n in part_of}
    located: dict[str, set[str]] = {}
    for s, p, o in edges:
        if p.endswith("#locatedAt"):
            located.setdefault(s, set()).add(o)
    out: dict[str, dict[str, set[str]]] = {}
    for s, p, o in edges:
        if nodes[s]["type"] != "Commitment":
            continue
        f = out.setdefault(s, {"place": set(), "actor": set(), "instrument": set()})
        if p.endswith("#concernsPlace"):
            f["place"] |= {o} | up.get(o, set())
        elif p.endswith("#concernsProject"):
            for pl in located.get(o, ()):
                f["place"] |= {pl} | up.get(pl, set())
        elif p.endswith("#involvesActor"):
            f["actor"].add(o)
        elif p.endswith("#usesInstrument"):
            f["instrument"].add(o)
    return out


def _short(label: str, limit: int = 42) -> str:
    """A label short enough to draw on the canvas (the panel shows it whole)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _extra(n: str, d: dict[str, Any], f: dict[str, set[str]], base: str) -> dict[str, Any]:
    """What the side panel, the filters and the focus read of one node (empty values left out)."""
    def ids(values: Any) -> list[str]:
        return sorted(node_id(v, base) for v in values)

    extra = {
        "iri": n, "type": d["type"], "full": d["label"], "text": d.get("text"),
        "area": node_id(d["area"], base) if d.get("area") else None,
        "topic": node_id(d["topic"], base) if d.get("topic") else None,
        "strength": local(d.get("strength") or "") or None,
        "lines": [d.get("first"), d.get("last")] if d.get("first") else None,
        "kind": local(d.get("kind") or "") or None,
        "comment": d.get("comment"), "alt": d.get("alt"),
        "places": ids(f.get("place", ())), "actors": ids(f.get("actor", ())),
        "instruments": ids(f.get("instrument", ())),
        "href": page_prefix(base) + node_id(n, base) if n.startswith(base) else None,
        "stalls": ids(d["impact"].stalls) if d.get("impact") else None,
        "harder": ids(d["impact"].harder) if d.get("impact") else None,
    }
    return {k: v for k, v in extra.items() if v not in (None, [], "")}


def measures(centrality: dict[str, dict[str, float]], ranking: list[dict[str, Any]], base: str
             ) -> dict[str, dict[str, float]]:
    """What the page may size a node by, per node id: degree and betweenness as the analysis tables
    have them (:func:`graph.analyse.centrality`, rounded as in ``analysis-nodes.csv``) and net
    influence (:func:`graph.interactions.rankings`: the sum of the node's out-scores). Computed by
    whoever computed those tables; this only renames and rounds."""
    out: dict[str, dict[str, float]] = {}
    for measure in ("degree", "betweenness"):
        for n, value in centrality.get(measure, {}).items():
            out.setdefault(node_id(n, base), {})[measure] = round(value, 6)
    for row in ranking:
        out.setdefault(node_id(row["id"], base), {})["influence"] = row["net"]
    return out


def ranking_from_rows(rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The influence ranking from the model's own score rows, for a viewer on a remote store (which
    has no ``interactions.json``): the same function as the build's, over the same links."""
    return rankings(scored_ends((r["s"], local(r["kind"]), r["o"], r["score"]) for r in rows.get("scores", [])))


def current_status(rows: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """Each assessed commitment's status now: its latest assessment (:func:`graph.tracker.status_on`;
    the build refuses assessments dated in the future, so the latest is the current one)."""
    assessments = [tracker.Assessment(r["assessment"], r["commitment"], r["date"], r["status"])
                   for r in rows.get("assessments", [])]
    return {c: a.status for c, a in tracker.status_on(assessments, "9999-12-31").items()}


def _decoration(n: str, d: dict[str, Any], found: dict[str, float] | None, status: dict[str, str]) -> dict[str, Any]:
    """A node's numbers to size by (commitments and entities: the analysed nodes) and a commitment's status."""
    out: dict[str, Any] = {}
    if found is not None and d["type"] not in ("PolicyArea", "Topic"):
        out = {m: found.get(m, 0) for m in MEASURES}
    if d["type"] == "Commitment":
        out["status"] = status.get(n, NOT_ASSESSED)
    return out


def palettes(nodes: dict[str, dict[str, Any]], status: dict[str, str]) -> dict[str, list[dict[str, str]]]:
    """The colours the page may colour commitments by, for the values the commitments carry, in the
    palette's order (strength strongest first; statuses as the tracker orders them)."""
    strengths = {local(d["strength"]) for d in nodes.values() if d["type"] == "Commitment" and d.get("strength")}
    statuses = {status.get(n, NOT_ASSESSED) for n, d in nodes.items() if d["type"] == "Commitment"}
    return {"strength": [{"id": k, "color": c} for k, c in STRENGTH_COLOURS.items() if k in strengths],
            "status": [{"id": k, "color": c} for k, c in STATUS_COLOURS.items() if k in statuses]}


def build_model(rows: dict[str, list[dict[str, Any]]], base: str, *, scale: float = 500.0,
                sizes: dict[str, dict[str, float]] | None = None) -> dict[str, Any]:
    """The network as data for the page: vis-network nodes/edges with positions, styles, filter
    keys, impact, the numbers to size by (``sizes``, from :func:`measures`) and each commitment's
    status, plus the areas (with their colours), the decoration palettes and the ontology's term labels."""
    nodes = _nodes(rows, base)
    status = current_status(rows)
    edges = [(r["s"], r["p"], r["o"]) for r in rows["edges"] if r["s"] in nodes and r["o"] in nodes]
    for n, st in if_stalled((s, local(p), o) for s, p, o in edges).items():
        nodes[n]["impact"] = st
    pos, areas, f = layout(nodes, edges), _areas(nodes), facets(nodes, edges)
    area_colour = {a: AREA_COLOURS[i % len(AREA_COLOURS)] for i, a in enumerate(areas)}
    topic_area = {s: o for s, p, o in edges if p.endswith("core#broader") and o in area_colour}
    for n, d in nodes.items():
        if d["type"] == "Topic" and not d.get("area"):
            d["area"] = topic_area.get(n)

    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    for n in sorted(nodes, key=lambda n: (TYPES.index(nodes[n]["type"]), n)):
        d = nodes[n]
        style = dict(TYPE_STYLE[d["type"]])
        colour = style.pop("color")
        if d["type"] == "Commitment":
            colour = area_colour.get(d.get("area") or "", colour)
        elif d["type"] == "PolicyArea":
            colour = area_colour.get(n, colour)
        border = area_colour.get(d.get("area") or "", "#999999") if d["type"] == "Topic" else colour
        x, y = pos.get(n, (0.0, 0.0))
        color = {"background": colour, "border": border, "highlight": {"background": colour, "border": "#000000"}}
        font = {"font": FONTS[d["type"]]} if d["type"] in FONTS else {}
        if d["type"] == "PolicyArea":
            font = {"font": {**FONTS["PolicyArea"], "color": text_on(colour)}}
        net.add_node(node_id(n, base), label=_short(d["label"]), color=color, x=round(x * scale, 1),
                     y=round(y * scale, 1), **font, **style, **_extra(n, d, f.get(n, {}), base),
                     **_decoration(n, d, None if sizes is None else sizes.get(node_id(n, base), {}), status))
    has_topic = {s for s, p, _ in edges if p.endswith("#topic")}
    scores = {(r["s"], local(r["kind"]), r["o"]): r["score"] for r in rows.get("scores", [])}
    for s, p, o in edges:
        if p.endswith("#policyArea") and s in has_topic:
            continue  # the commitment reaches its area through its topic; one line is enough
        kind = local(p)
        net.add_edge(node_id(s, base), node_id(o, base), label=kind, predicate=kind, dashes=kind in DASHED,
                     **score_style(scores.get((s, kind, o))))
    return {"nodes": net.nodes, "edges": net.edges, "term_labels": _term_labels(rows), "areas": [
        {"id": node_id(a, base), "label": nodes[a]["label"], "color": area_colour[a]} for a in areas],
        "palettes": palettes(nodes, status), "measures": list(MEASURES) if sizes is not None else []}


def score_style(score: int | None) -> dict[str, Any]:
    """An edge's score, colour and width: blue for positive, orange for negative, wider when stronger
    (the palette of :data:`graph.interactions.SCORE_COLOURS`); nothing for an edge without a score."""
    if score is None:
        return {}
    return {"score": score, "scoreColor": SCORE_COLOURS[score], "width": 1 + 1.5 * abs(score)}


def _term_labels(rows: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, str]]:
    """Ontology term labels by local name and language."""
    out: dict[str, dict[str, str]] = {}
    for row in rows["term-labels"]:
        out.setdefault(local(row["term"]), {}).setdefault(row["lang"], row["label"])
    return out
