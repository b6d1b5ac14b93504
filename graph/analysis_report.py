"""The analysis as text on the terminal: what ``python build.py analyse`` prints."""

from __future__ import annotations

from collections import Counter

import networkx as nx

from graph.analyse import (
    LINK_KINDS,
    area_matrix,
    bridges,
    centrality,
    chains,
    communities,
    conflicts,
    enablement,
    impact_table,
    staged,
    top,
)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def node_name(G: nx.MultiDiGraph, n: str, width: int = 60) -> str:
    d = G.nodes[n]
    prefix = ""
    if d.get("type") == "commitment":
        prefix = f"[{d['area']} l.{d['line']}] "
    elif d.get("type"):
        prefix = f"[{d['type']}] "
    return _short(prefix + d.get("label", n), width)


def report(G: nx.MultiDiGraph, n: int = 5) -> str:
    """Everything ``python build.py analyse`` prints, as one text: its sections in order."""
    scores = centrality(G)
    sections = (_links(G), _central(G, scores, n), _chains(G), _impact(G, n), _bridges(G, n),
                _communities(G, scores), _areas(G), _conflicts(G))
    return "\n".join(line for section in sections for line in section)


def _links(G: nx.MultiDiGraph) -> list[str]:
    kinds: Counter[tuple[str, str]] = Counter()
    for _, _, d in G.edges(data=True):
        if d.get("kind") in LINK_KINDS:
            for origin in d.get("origin", "").split("+"):
                kinds[(origin, d["kind"])] += 1
    lines = ["LINKS (edges of the projection; a link both curated and extracted counts in both columns)"]
    lines += [f"  {kind:<14} curated {kinds[('curated', kind)]:>4}   extracted {kinds[('extracted', kind)]:>4}"
              for kind in LINK_KINDS]
    return [*lines, f"  nodes {G.number_of_nodes()}, edges {G.number_of_edges()}"]


def _central(G: nx.MultiDiGraph, scores: dict[str, dict[str, float]], n: int) -> list[str]:
    lines: list[str] = []
    for measure in ("degree", "betweenness"):
        for node_type in ("commitment", "place", "project", "actor", "instrument", "target"):
            ranked = top(scores[measure], G, node_type, n)
            if ranked:
                lines += ["", f"TOP {n} {node_type.upper()}S BY {measure.upper()} CENTRALITY"]
                lines += [f"  {score:7.4f}  {node_name(G, node, 90)}" for node, score in ranked]
    return lines


def _chains(G: nx.MultiDiGraph) -> list[str]:
    strict = chains(enablement(G, strict=True))
    loose = chains(enablement(G, strict=False))
    lines = ["", f"LONGEST STRICT DEPENDENCY CHAIN (dependsOn only; {len(strict.longest)} steps, enabler first)"]
    lines += [f"  → {node_name(G, node, 100)}" for node in strict.longest]
    lines.append(f"LONGEST ENABLEMENT CHAIN (dependsOn + supports; {len(loose.longest)} steps, enabler first)")
    lines += [f"  → {node_name(G, node, 100)}" for node in loose.longest]
    lines.append(f"CYCLES: strict {len(strict.cycles)}, enablement {len(loose.cycles)}")
    lines += ["  ↻ " + " → ".join(node_name(G, x, 40) for x in c) for c in loose.cycles[:10]]
    own = staged(G)
    if own:
        lines.append("COMMITMENTS THAT ORDER THEIR OWN STEPS: " + "; ".join(node_name(G, x, 60) for x in own))
    return lines


def _impact(G: nx.MultiDiGraph, n: int) -> list[str]:
    lines = ["", f"IMPACT: IF THIS STALLS (top {n * 2}: what stalls with it, then what gets harder)"]
    return lines + [f"  stalls {len(st.stalls):>3}  harder {len(st.harder):>3}  {node_name(G, node, 90)}"
                    for node, st in impact_table(G)[: n * 2]]


def _bridges(G: nx.MultiDiGraph, n: int) -> list[str]:
    lines = ["", f"COMMITMENTS THAT BRIDGE POLICY AREAS (top {n * 2})"]
    return lines + [f"  {b['areas']} areas, {b['cross_links']:>2} links  {node_name(G, b['node'], 90)}"
                    for b in bridges(G)[: n * 2]]


def _communities(G: nx.MultiDiGraph, scores: dict[str, dict[str, float]]) -> list[str]:
    comms = communities(G)
    lines = ["", f"COMMUNITIES ({len(comms)}; the five largest, with their most central members)"]
    for i, c in enumerate(comms[:5], start=1):
        members = sorted(c, key=lambda x: (-scores["degree"].get(x, 0), x))[:4]  # ties by id, not set order
        lines.append(f"  {i}. {len(c):>3} nodes: " + "; ".join(node_name(G, m, 45) for m in members))
    return lines


def _areas(G: nx.MultiDiGraph) -> list[str]:
    order, matrix = area_matrix(G)
    abbrev = {a: a[:8] for a in order}
    lines = ["", "AREA × AREA LINKS (rows: from, columns: to; all kinds)",
             " " * 26 + "".join(f"{abbrev[a]:>10}" for a in order)]
    return lines + [f"  {_short(a, 24):<24}" + "".join(
        f"{sum(matrix[(a, b)].values()) if (a, b) in matrix else 0:>10}" for b in order) for a in order]


def _conflicts(G: nx.MultiDiGraph) -> list[str]:
    return ["", "CONFLICTS (from ⟷ to)"] + [f"  {node_name(G, u, 55)}  ⟷  {node_name(G, v, 55)}"
                                         for u, v, _ in conflicts(G)]
