"""The interaction scores as tables: the cross-impact matrix and the SDG Synergies rankings.

Why: a score (−3…+3, Nilsson, Griggs & Visbeck 2016) on every curated link lets the platform be read
as SEI's SDG Synergies method reads a set of goals: a cross-impact matrix (who influences whom, how
much) and rankings by net influence, enabling, constraining and being influenced. Everything here is
a pure function of the RDF graph, computed once by the build (:mod:`graph.interaction_products`) into
``dist/interactions.json``; the viewer only renders it.

Direction (docs/links-and-analysis.md): the score is the influence of the *influencer* on the
*influenced* end: ``pk:from`` on ``pk:to`` for supports and conflicts, ``pk:to`` (the prerequisite) on
``pk:from`` for ``pk:dependsOn``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from graph.curated import PK
from graph.impact import DEPENDS_ON, if_stalled_scored
from graph.palettes import SCORE_COLOURS

#: The concepts of pk:InteractionScale by score (their labels come from the ontology).
SCALE_NAMES = {3: "indivisible", 2: "reinforcing", 1: "enabling", 0: "consistent", -1: "constraining",
               -2: "counteracting", -3: "cancelling"}


def local_id(term: Any, base: str) -> str:
    """Readable ids relative to the base IRI (``commitment/finans-organisasjon/7``), as the network's."""
    value = str(term)
    return value.removeprefix(base)


def _texts(graph: Graph, node: Any, prop: URIRef) -> dict[str, str]:
    return {o.language or "": str(o) for o in sorted(graph.objects(node, prop)) if isinstance(o, Literal)}


def _quotes(graph: Graph, link: Any, prop: URIRef) -> list[dict[str, Any]]:
    """(quote, line) nodes of ``prop``, by line then quote."""
    out = [{"quote": str(graph.value(q, PK.quote)), "line": int(graph.value(q, PK.line))}
           for q in graph.objects(link, prop)]
    return sorted(out, key=lambda d: (d["line"], d["quote"]))


def scored_links(graph: Graph, base: str) -> list[dict[str, Any]]:
    """Every link node that carries a score, with its ends, direction of influence and reasons."""
    out = []
    for link, score in graph.subject_objects(PK.interactionScore):
        kind = str(graph.value(link, PK.linkKind)).rsplit("#", 1)[-1]
        frm, to = local_id(graph.value(link, PK["from"]), base), local_id(graph.value(link, PK.to), base)
        influencer, influenced = ends(kind, frm, to)
        out.append({
            "id": local_id(link, base), "kind": kind, "from": frm, "to": to, "score": int(score),
            "influencer": influencer, "influenced": influenced,
            "rationale": _texts(graph, link, PK.rationale),
            "evidence": _quotes(graph, link, PK.evidence), "condition": _quotes(graph, link, PK.condition),
        })
    return sorted(out, key=lambda d: d["id"])


def ends(kind: str, frm: str, to: str) -> tuple[str, str]:
    """(influencer, influenced) of a link: the prerequisite influences for pk:dependsOn, else pk:from."""
    return (to, frm) if kind == DEPENDS_ON else (frm, to)


def scored_ends(links: Iterable[tuple[str, str, str, int]]) -> list[dict[str, Any]]:
    """(pk:from, kind, pk:to, score) rows as the links :func:`rankings` reads (a store's rows, where the
    graph itself is not at hand: the network model of a viewer on a remote store)."""
    return [{"from": frm, "kind": kind, "to": to, "score": int(score),
             **dict(zip(("influencer", "influenced"), ends(kind, frm, to)))} for frm, kind, to, score in links]


def end_areas(graph: Graph, base: str) -> dict[str, str]:
    """The policy area of every node a link can join.

    A commitment has its own; a target or project takes the area of the first commitment (by source
    line) that states it (``pk:hasTarget``) or concerns it (``pk:concernsProject``), so the matrix shows
    which areas lean on which areas' goals and projects.
    """
    areas: dict[str, str] = {}
    lines: dict[str, int] = {}
    for c, area in graph.subject_objects(PK.policyArea):
        if (c, PK.firstLine, None) in graph:
            areas[local_id(c, base)] = local_id(area, base)
            lines[local_id(c, base)] = int(graph.value(c, PK.firstLine))
    claims: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for prop in (PK.hasTarget, PK.concernsProject):
        for c, o in graph.subject_objects(prop):
            cid = local_id(c, base)
            if cid in areas:
                claims[local_id(o, base)].append((lines[cid], areas[cid]))
    for node, found in claims.items():
        areas.setdefault(node, min(found)[1])
    return areas


def area_matrix(links: Iterable[dict[str, Any]], areas: dict[str, str]) -> list[dict[str, Any]]:
    """Influencer area × influenced area: the sum and count of scores (links with an area at both ends)."""
    cells: dict[tuple[str, str], list[int]] = defaultdict(list)
    for link in links:
        a, b = areas.get(link["influencer"]), areas.get(link["influenced"])
        if a and b:
            cells[(a, b)].append(link["score"])
    return [{"from": a, "to": b, "sum": sum(s), "count": len(s)} for (a, b), s in sorted(cells.items())]


def rankings(links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The SDG Synergies measures per node, and what stalls or gets much harder (≥ +2) if it stalls.

    net: sum of out-scores; enabling / constraining: the positive / negative part of it; influenced:
    sum of in-scores. Out is the node as influencer, in as influenced.
    """
    rows: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(
        ("net", "enabling", "constraining", "influenced", "out", "in"), 0))
    for link in links:
        s, out, inn = link["score"], rows[link["influencer"]], rows[link["influenced"]]
        out["net"] += s
        out["enabling" if s > 0 else "constraining"] += s
        out["out"] += 1
        inn["influenced"] += s
        inn["in"] += 1
    impact = if_stalled_scored((d["from"], d["kind"], d["to"], d["score"]) for d in links)
    result = []
    for node in sorted(rows):
        st = impact.get(node)
        result.append({"id": node, **rows[node], "stalls": len(st.stalls) if st else 0,
                       "harder": len(st.harder) if st else 0})
    return result


def scale(graph: Graph) -> list[dict[str, Any]]:
    """The seven points as the ontology names them (nb, en), from +3 down, with their colours."""
    points = []
    for concept in graph.subjects(SKOS.inScheme, PK.InteractionScale):
        notation = graph.value(concept, SKOS.notation)
        if notation is not None:
            n = int(notation)
            points.append({"score": n, "label": _texts(graph, concept, SKOS.prefLabel),
                           "color": SCORE_COLOURS[n]})
    return sorted(points, key=lambda p: -p["score"])
