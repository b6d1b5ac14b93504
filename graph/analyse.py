"""Network analysis of the platform: which commitments, places, actors and instruments hold it
together, what depends on what, and where the goals pull against each other.

Why a projection: the RDF graph is the record (with evidence, labels, provenance); questions
like "what is most central" or "what stalls if this stalls" are graph-algorithm questions, so
the graph is projected onto networkx once — commitments, places, projects, actors,
instruments and targets as nodes, links as edges — and every measure works on that. The
measures are plain functions on networkx graphs so that tests can check them on small
hand-made fixtures with known answers.

Two readings of the links are used for chains (and, in :mod:`graph.impact`, for impact):

* **strict**: only ``pk:dependsOn`` (A waits for B). A stalled B stalls A.
* **enablement**: ``pk:dependsOn`` plus ``pk:supports`` (A helps B). A stalled A makes B harder.

Edges of the enablement graph run from the enabler to what it enables (B → A for "A dependsOn
B", A → B for "A supports B"), so a topological order is an order in which to do things.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import rustworkx as rx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from graph.impact import NOTHING, Stall, enabler_graphs, if_stalled
from graph.vocab import CURATED_CLASSES, PK

NODE_CLASSES: dict[URIRef, str] = {PK[c]: c.lower() for c in ("Commitment", *CURATED_CLASSES)}
ENTITY_PROPERTIES: dict[URIRef, str] = {
    PK.concernsPlace: "concernsPlace",
    PK.concernsProject: "concernsProject",
    PK.involvesActor: "involvesActor",
    PK.usesInstrument: "usesInstrument",
    PK.hasTarget: "hasTarget",
}
LINK_PROPERTIES: dict[URIRef, str] = {
    PK.dependsOn: "dependsOn",
    PK.supports: "supports",
    PK.conflictsWith: "conflictsWith",
}
LINK_KINDS = tuple(LINK_PROPERTIES.values())
#: Node types that can stall something else (the ends of pk:dependsOn and pk:supports).
IMPACT_TYPES = ("commitment", "target", "project")


# --------------------------------------------------------------------------------------------
# Projection
# --------------------------------------------------------------------------------------------


def _label(graph: Graph, node: URIRef) -> str:
    best = None
    for p in (SKOS.prefLabel, RDFS.label):
        for o in graph.objects(node, p):
            if isinstance(o, Literal):
                if o.language == "nb":
                    return str(o)
                best = best or str(o)
    return best or str(node).rsplit("/", 1)[-1]


def project(graph: Graph) -> nx.MultiDiGraph:
    """The analysis graph: one node per commitment and entity, one edge per link.

    Node attributes: ``type`` (commitment, place, project, actor, instrument, target),
    ``label``, ``area`` (a commitment's policy area slug; "" for entities), ``area_label``,
    ``line`` (a commitment's first source line; 0 for entities). Edge key and ``kind``:
    the link kind (dependsOn, supports, conflictsWith) or the entity property
    (concernsPlace …); ``origin``: curated, extracted or linker; ``link``: the qualified
    node's IRI where there is one.
    """
    G = nx.MultiDiGraph()
    for cls, kind in NODE_CLASSES.items():
        for node in graph.subjects(RDF.type, cls):
            if not isinstance(node, URIRef):
                continue
            attrs: dict[str, Any] = {"type": kind, "label": _label(graph, node), "area": "", "area_label": "", "line": 0}
            if kind == "commitment":
                area = graph.value(node, PK.policyArea)
                attrs["area"] = str(area).rsplit("/", 1)[-1] if area else ""
                attrs["area_label"] = _label(graph, area) if area else ""
                line = graph.value(node, PK.firstLine)
                attrs["line"] = int(line) if line is not None else 0
            G.add_node(str(node), **attrs)

    for prop, kind in ENTITY_PROPERTIES.items():
        for s, o in graph.subject_objects(prop):
            if str(s) in G and str(o) in G:
                G.add_edge(str(s), str(o), key=kind, kind=kind, origin="linker", link="")

    qualified: set[tuple[str, str, str]] = set()
    for link in set(graph.subjects(RDF.type, PK.CommitmentLink)) | set(graph.subjects(RDF.type, PK.EntityLink)):
        kind_iri = graph.value(link, PK.linkKind)
        frm, to = graph.value(link, PK["from"]), graph.value(link, PK.to)
        if kind_iri not in LINK_PROPERTIES or frm is None or to is None:
            continue
        if str(frm) not in G or str(to) not in G:
            continue
        kind = LINK_PROPERTIES[kind_iri]
        origin = str(graph.value(link, PK.origin) or "").rsplit("#", 1)[-1]
        rationale = next((str(r) for r in graph.objects(link, PK.rationale)
                          if isinstance(r, Literal) and r.language == "en"), "")
        if G.has_edge(str(frm), str(to), key=kind):
            # The same link both curated and extracted: one edge, both origins, the curated reason.
            d = G.edges[str(frm), str(to), kind]
            origins = sorted(set(d["origin"].split("+")) | {origin})
            if origin == "curated":
                d.update(link=str(link), rationale=rationale)
            d["origin"] = "+".join(origins)
        else:
            G.add_edge(str(frm), str(to), key=kind, kind=kind, origin=origin, link=str(link), rationale=rationale)
        qualified.add((str(frm), str(to), kind))
    # Direct triples without a qualified node (should not happen in a valid graph) still count.
    for prop, kind in LINK_PROPERTIES.items():
        for s, o in graph.subject_objects(prop):
            if (str(s), str(o), kind) not in qualified and str(s) in G and str(o) in G:
                G.add_edge(str(s), str(o), key=kind, kind=kind, origin="direct", link="")
    return G


# --------------------------------------------------------------------------------------------
# Centrality, communities, bridges, area matrix
# --------------------------------------------------------------------------------------------


def _simple(G: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph (no self-loops), nodes and edges added in sorted order so that
    the algorithms' tie-breaks (and so the exported scores and communities) do not follow the RDF
    graph's set order, which changes with PYTHONHASHSEED."""
    U = nx.Graph()
    U.add_nodes_from(sorted(G.nodes))
    U.add_edges_from(sorted((u, v) for u, v in G.edges() if u != v))
    return U


def centrality(G: nx.MultiDiGraph) -> dict[str, dict[str, float]]:
    """Degree (number of distinct neighbours, normalised) and betweenness centrality on the
    undirected simple graph: "how many things is it tied to" and "how often does it stand on the
    shortest path between two others"."""
    U = _simple(G)
    return {
        "degree": nx.degree_centrality(U) if len(U) > 1 else dict.fromkeys(U, 0.0),
        "betweenness": betweenness(U),
    }


def betweenness(U: nx.Graph) -> dict[str, float]:
    """networkx's normalised betweenness centrality of ``U``, computed by rustworkx.

    Why: Brandes' algorithm in pure Python was the build's largest serial step (~0.22 s of a 2 s
    build); rustworkx runs the same algorithm in Rust, ~5× faster, and gives networkx's figures
    (``tests/test_analyse.py`` compares them on the real graph). It runs on one thread: its parallel
    mode adds the per-source sums in a varying order, and the last bits of a score, so the bytes of
    ``dist/``, would change from build to build.
    """
    nodes = list(U)
    index = {n: i for i, n in enumerate(nodes)}
    R = rx.PyGraph(multigraph=False)
    R.add_nodes_from(nodes)
    R.add_edges_from_no_data([(index[u], index[v]) for u, v in U.edges()])
    scores = rx.betweenness_centrality(R, normalized=True, parallel_threshold=len(nodes) + 1)
    return {nodes[i]: score for i, score in scores.items()}


def top(scores: dict[str, float], G: nx.MultiDiGraph, node_type: str | None = None, n: int = 5) -> list[tuple[str, float]]:
    """The ``n`` highest scores (ties broken by label), optionally of one node type."""
    items = [(k, v) for k, v in scores.items() if node_type is None or G.nodes[k].get("type") == node_type]
    items.sort(key=lambda kv: (-kv[1], G.nodes[kv[0]].get("label", kv[0])))
    return items[:n]


def communities(G: nx.MultiDiGraph) -> list[set[str]]:
    """Groups of densely tied nodes (greedy modularity, on the undirected simple graph), largest first.

    Isolated nodes are left out: they form no community worth naming.
    """
    U = _simple(G)
    U.remove_nodes_from(list(nx.isolates(U)))
    if U.number_of_edges() == 0:
        return []
    found = nx.algorithms.community.greedy_modularity_communities(U)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), min(c)))


def bridges(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Commitments whose links reach commitments in other policy areas, most areas first.

    ``areas`` counts the distinct *other* areas reached through links (either direction),
    ``cross_links`` the links that cross; a commitment that ties three areas together is
    where a stall or a change ripples furthest across the administration.
    """
    out = []
    for n, d in G.nodes(data=True):
        if d.get("type") != "commitment":
            continue
        other_areas: Counter[str] = Counter()
        for u, v, e in list(G.out_edges(n, data=True)) + list(G.in_edges(n, data=True)):
            if e.get("kind") not in LINK_KINDS:
                continue
            m = v if u == n else u
            area = G.nodes[m].get("area", "")
            if G.nodes[m].get("type") == "commitment" and area and area != d.get("area"):
                other_areas[area] += 1
        if other_areas:
            out.append({"node": n, "label": d.get("label", ""), "area": d.get("area", ""),
                        "areas": len(other_areas), "cross_links": sum(other_areas.values()),
                        "reaches": sorted(other_areas)})
    out.sort(key=lambda r: (-r["areas"], -r["cross_links"], r["label"]))
    return out


def area_matrix(G: nx.MultiDiGraph, kinds: Iterable[str] = LINK_KINDS) -> tuple[list[str], dict[tuple[str, str], Counter[str]]]:
    """Links between commitments counted by (from area, to area) and kind.

    A link to a target counts in the area of the commitment that states the target
    (``hasTarget``), so the matrix shows which areas lean on which areas' goals.
    """
    kinds = set(kinds)
    target_area: dict[str, str] = {}
    for u, v, d in G.edges(data=True):
        if d.get("kind") == "hasTarget" and G.nodes[u].get("area"):
            target_area.setdefault(v, G.nodes[u]["area"])

    def area(n: str) -> str:
        return G.nodes[n].get("area") or target_area.get(n, "")

    matrix: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    areas: set[str] = {d["area"] for _, d in G.nodes(data=True) if d.get("area")}
    for u, v, d in G.edges(data=True):
        if d.get("kind") in kinds and area(u) and area(v):
            matrix[(area(u), area(v))][d["kind"]] += 1
    order = sorted(areas, key=lambda a: min((d.get("line", 0) for _, d in G.nodes(data=True) if d.get("area") == a),
                                            default=0))
    return order, matrix


# --------------------------------------------------------------------------------------------
# Dependency chains and impact
# --------------------------------------------------------------------------------------------


def enablement(G: nx.MultiDiGraph, strict: bool = False) -> nx.DiGraph:
    """Enabler → enabled: B → A for "A dependsOn B"; with ``strict=False`` also A → B for
    "A supports B" (the graphs of :func:`graph.impact.enabler_graphs`). Self-loops (a commitment
    ordering its own steps) are kept out; see :func:`staged`."""
    D = enabler_graphs(link_triples(G))[0 if strict else 1]
    for n in D:
        D.nodes[n].update(G.nodes[n])
    return D


def staged(G: nx.MultiDiGraph) -> list[str]:
    """Commitments that order their own steps (a dependsOn link from a commitment to itself)."""
    return sorted({u for u, v, d in G.edges(data=True) if u == v and d.get("kind") == "dependsOn"})


@dataclass
class Chains:
    """What the dependency structure says: the longest chain, an order, and any cycles."""

    longest: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # topological (enablers first); empty if cyclic
    cycles: list[list[str]] = field(default_factory=list)


def chains(D: nx.DiGraph, max_cycles: int = 50) -> Chains:
    """Longest chain, topological order and cycles of an enablement graph.

    With cycles there is no topological order; the longest chain is then taken on the
    condensation (each cycle collapsed to one step) and expanded back to one member per step.
    """
    result = Chains()
    cycles = []
    for c in nx.simple_cycles(D):
        cycles.append(c)
        if len(cycles) >= max_cycles:
            break
    result.cycles = sorted(cycles, key=lambda c: (len(c), c))
    if not cycles:
        result.order = list(nx.lexicographical_topological_sort(D))
        result.longest = nx.dag_longest_path(D) if len(D) else []
    else:
        C = nx.condensation(D)
        path = nx.dag_longest_path(C)
        result.longest = [min(C.nodes[s]["members"]) for s in path]
    return result


def link_triples(G: nx.MultiDiGraph) -> list[tuple[str, str, str]]:
    """The projection's links as (from, kind, to), what :mod:`graph.impact` reads."""
    return sorted((u, d["kind"], v) for u, v, d in G.edges(data=True) if d.get("kind") in LINK_KINDS)


def impacts(G: nx.MultiDiGraph) -> dict[str, Stall]:
    """What stalls or gets harder if each node stalls (:func:`graph.impact.if_stalled`)."""
    return if_stalled(link_triples(G))


def impact(G: nx.MultiDiGraph, node: str) -> Stall:
    """What stalls or gets harder if ``node`` stalls (one node; see :mod:`graph.impact`)."""
    return impacts(G).get(node, NOTHING)


def impact_table(G: nx.MultiDiGraph) -> list[tuple[str, Stall]]:
    """Commitments, targets and projects with an impact, the largest first (ties by label).

    The one table behind ``dist/analysis-impact.csv``, the CLI and the /analysis page.
    """
    rows = [(n, s) for n, s in impacts(G).items() if G.nodes[n].get("type") in IMPACT_TYPES]
    rows.sort(key=lambda r: (-len(r[1].stalls), -len(r[1].harder), G.nodes[r[0]]["label"], r[0]))
    return rows


def conflicts(G: nx.MultiDiGraph) -> list[tuple[str, str, str]]:
    """Every conflictsWith link as (from, to, rationale)."""
    return sorted((u, v, d.get("rationale", "")) for u, v, d in G.edges(data=True) if d.get("kind") == "conflictsWith")
