"""The /analysis page: the network analysis of the links between commitments, in the viewer.

The page reads the graph through the app's store like every other page (so it shows what the
store holds, under any base IRI) and rebuilds the small projection that :mod:`graph.analyse`
works on; the centrality scores, the one costly part, are the build's ``analysis-nodes.csv`` when
the app serves the graph that build wrote, and are computed from the store by the same function
only when it serves a remote store with no ``dist/``. Everything is cached for the app's lifetime
(the graph is read-only). ``/analysis/impact?iri=…`` answers "what depends on this?": what stalls
or gets harder if it stalls, by the one definition in :mod:`graph.impact` that the build's
``analysis-impact.csv`` and network model use too.

Register with ``from viewer import analysis; analysis.init_app(app)`` in ``create_app``.
"""

from __future__ import annotations

import csv
from typing import Any

import rdflib
from flask import Blueprint, abort, current_app, render_template, request
from rdflib import RDF, RDFS, Literal

from graph import analyse
from graph.impact import NOTHING
from graph.vocab import CURATED_CLASSES, PK
from viewer import kg
from viewer.kg import products_dir

bp = Blueprint("analysis", __name__)

_NODES = """
SELECT ?n ?type ?label ?area ?line WHERE {
  VALUES ?type { """ + " ".join(f"pk:{c}" for c in ("Commitment", *CURATED_CLASSES)) + """ }
  ?n a ?type .
  OPTIONAL { ?n rdfs:label ?l1 FILTER (lang(?l1) = "nb") }
  OPTIONAL { ?n skos:prefLabel ?l2 FILTER (lang(?l2) = "nb") }
  BIND (COALESCE(?l2, ?l1) AS ?label)
  OPTIONAL { ?n pk:policyArea ?area }
  OPTIONAL { ?n pk:firstLine ?line }
}"""

_ENTITY_EDGES = """
SELECT ?s ?p ?o WHERE {
  VALUES ?p { pk:concernsPlace pk:concernsProject pk:involvesActor pk:usesInstrument pk:hasTarget }
  ?s ?p ?o .
}"""

_LINKS = """
SELECT ?link ?cls ?kind ?from ?to ?origin ?rationale WHERE {
  VALUES ?cls { pk:CommitmentLink pk:EntityLink }
  ?link a ?cls ; pk:linkKind ?kind ; pk:from ?from ; pk:to ?to .
  OPTIONAL { ?link pk:origin ?origin }
  OPTIONAL { ?link pk:rationale ?rationale FILTER (lang(?rationale) = "en") }
}"""


def graph_from_store(source: Any = None) -> rdflib.Graph:
    """The slice of the graph the analysis needs, read with three SELECTs (any store)."""
    g = rdflib.Graph()
    for row in kg.select_terms(_NODES, source):
        n = row["n"]
        g.add((n, RDF.type, row["type"]))
        if row.get("label") is not None:
            g.add((n, RDFS.label, Literal(str(row["label"]), lang="nb")))
        if row.get("area") is not None:
            g.add((n, PK.policyArea, row["area"]))
        if row.get("line") is not None:
            g.add((n, PK.firstLine, row["line"]))
    for row in kg.select_terms(_ENTITY_EDGES, source):
        g.add((row["s"], row["p"], row["o"]))
    for row in kg.select_terms(_LINKS, source):
        link = row["link"]
        g.add((link, RDF.type, row["cls"]))
        g.add((link, PK.linkKind, row["kind"]))
        g.add((link, PK["from"], row["from"]))
        g.add((link, PK.to, row["to"]))
        if row.get("origin") is not None:
            g.add((link, PK.origin, row["origin"]))
        if row.get("rationale") is not None:
            g.add((link, PK.rationale, row["rationale"]))
    return g


def _area_labels(G: Any) -> None:
    """Areas come as IRIs; the projection keeps their slug, which is what the tables show."""
    for _, d in G.nodes(data=True):
        d["area_label"] = d.get("area", "")


def centrality(G: Any) -> dict[str, dict[str, float]]:
    """Degree and betweenness of every node of the projection ``G``: the build's, or computed."""
    return kg.cached("analysis-centrality", lambda: _built_centrality(G) or analyse.centrality(G))


def _built_centrality(G: Any) -> dict[str, dict[str, float]] | None:
    """The scores in ``dist/analysis-nodes.csv``, if the build wrote them for the graph served."""
    dist = products_dir()
    path = dist / "analysis-nodes.csv" if dist else None
    if path is None or not path.exists():
        return None
    scores: dict[str, dict[str, float]] = {"degree": {}, "betweenness": {}}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["id"] in G:
                for measure, values in scores.items():
                    values[row["id"]] = float(row[measure])
    return scores if len(scores["degree"]) == len(G) else None


def _analysis(source: Any = None) -> dict[str, Any]:
    G = analyse.project(graph_from_store(source))
    _area_labels(G)
    scores = centrality(G)
    strict = analyse.chains(analyse.enablement(G, strict=True))
    loose = analyse.chains(analyse.enablement(G))
    impacts = [(len(st.stalls), len(st.harder), n) for n, st in analyse.impact_table(G)]
    links_of: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for u, v, d in G.edges(data=True):
        if d["kind"] in analyse.LINK_KINDS:
            for end in dict.fromkeys((u, v)):
                links_of.setdefault(end, []).append((u, v, d))
    order, matrix = analyse.area_matrix(G)
    kinds = {k: sum(1 for _, _, e in G.edges(data=True) if e["kind"] == k) for k in analyse.LINK_KINDS}
    return {
        "G": G,
        "kinds": kinds,
        "ranked": {
            (measure, t): analyse.top(scores[measure], G, t, 10)
            for measure in ("degree", "betweenness")
            for t in ("commitment", "place", "project", "actor", "instrument", "target")
        },
        "strict": strict.longest,
        "loose": loose.longest,
        "cycles": loose.cycles,
        "impacts": impacts[:20],
        # per node, for /analysis/impact: its impact (the whole walk, once) and its links
        "impact_of": analyse.impacts(G),
        "links_of": links_of,
        "bridges": analyse.bridges(G)[:15],
        "communities": analyse.communities(G)[:8],
        "degree": scores["degree"],
        "scores": scores,  # degree and betweenness of every node (the network's size-by on a remote store)
        "order": order,
        "matrix": {f"{a}|{b}": sum(c.values()) for (a, b), c in matrix.items()},
        "conflicts": analyse.conflicts(G),
    }


def get_analysis() -> dict[str, Any]:
    """The analysis of the app's store, computed once (the graph is read-only)."""
    if current_app.config.get("STORE") is None and isinstance(current_app.config.get("GRAPH"), rdflib.Graph):
        return kg.cached("analysis", lambda: _analysis(current_app.config["GRAPH"]))
    return kg.cached("analysis", _analysis)


@bp.get("/analysis")
def analysis_page() -> str:
    a = get_analysis()
    return render_template("analysis.html", a=a, G=a["G"], impact=None)


@bp.get("/analysis/impact")
def impact_page() -> str:
    a = get_analysis()
    G = a["G"]
    node = request.args.get("iri", "")
    if node not in G:
        abort(404)
    st = a["impact_of"].get(node, NOTHING)  # analyse.impact(G, node), without walking every node again
    return render_template(
        "analysis.html", a=a, G=G,
        impact={"node": node,
                "stalls": sorted(st.stalls, key=lambda x: (G.nodes[x].get("line", 0), x)),
                "harder": sorted(st.harder, key=lambda x: (G.nodes[x].get("line", 0), x)),
                "links": a["links_of"].get(node, [])},
    )


def init_app(app: Any) -> None:
    """Register /analysis and /analysis/impact."""
    app.register_blueprint(bp)

