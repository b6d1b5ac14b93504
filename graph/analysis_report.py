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
    """Everything ``python build.py analyse`` prints, as one text."""
    lines: list[str] = []
    add = lines.append
    kinds: Counter[tuple[str, str]] = Counter()
    for _, _, d in G.edges(data=True):
        if d.get("kind") in LINK_KINDS:
            for origin in d.get("origin", "").split("+"):
                kinds[(origin, d["kind"])] += 1
    add("LINKS (edges of the projection; a link both curated and extracted counts in both columns)")
    for kind in LINK_KINDS:
        add(f"  {kind:<14} curated {kinds[('curated', kind)]:>4}   extracted {kinds[('extracted', kind)]:>4}")
    add(f"  nodes {G.number_of_nodes()}, edges {G.number_of_edges()}")

    scores = centrality(G)
    for measure in ("degree", "betweenness"):
        for node_type in ("commitment", "place", "project", "actor", "instrument", "target"):
            ranked = top(scores[measure], G, node_type, n)
            if not ranked:
                continue
            add("")
            add(f"TOP {n} {node_type.upper()}S BY {measure.upper()} CENTRALITY")
            for node, score in ranked:
                add(f"  {score:7.4f}  {node_name(G, node, 90)}")

    strict = chains(enablement(G, strict=True))
    loose = chains(enablement(G, strict=False))
    add("")
    add(f"LONGEST STRICT DEPENDENCY CHAIN (dependsOn only; {len(strict.longest)} steps, enabler first)")
    for node in strict.longest:
        add(f"  → {node_name(G, node, 100)}")
    add(f"LONGEST ENABLEMENT CHAIN (dependsOn + supports; {len(loose.longest)} steps, enabler first)")
    for node in loose.longest:
        add(f"  → {node_name(G, node, 100)}")
    add(f"CYCLES: strict {len(strict.cycles)}, enablement {len(loose.cycles)}")
    for c in loose.cycles[:10]:
        add("  ↻ " + " → ".join(node_name(G, x, 40) for x in c))
    st = staged(G)
    if st:
        add("COMMITMENTS THAT ORDER THEIR OWN STEPS: " + "; ".join(node_name(G, x, 60) for x in st))

    add("")
    add(f"IMPACT: IF THIS STALLS (top {n * 2}: what stalls with it, then what gets harder)")
    for node, st in impact_table(G)[: n * 2]:
        add(f"  stalls {len(st.stalls):>3}  harder {len(st.harder):>3}  {node_name(G, node, 90)}")

    add("")
    add(f"COMMITMENTS THAT BRIDGE POLICY AREAS (top {n * 2})")
    for b in bridges(G)[: n * 2]:
        add(f"  {b['areas']} areas, {b['cross_links']:>2} links  {node_name(G, b['node'], 90)}")

    add("")
    comms = communities(G)
    add(f"COMMUNITIES ({len(comms)}; the five largest, with their most central members)")
    for i, c in enumerate(comms[:5], start=1):
        members = sorted(c, key=lambda x: -scores["degree"].get(x, 0))[:4]
        add(f"  {i}. {len(c):>3} nodes: " + "; ".join(node_name(G, m, 45) for m in members))

    add("")
    order, matrix = area_matrix(G)
    add("AREA × AREA LINKS (rows: from, columns: to; all kinds)")
    abbrev = {a: a[:8] for a in order}
    add(" " * 26 + "".join(f"{abbrev[a]:>10}" for a in order))
    for a in order:
        add(f"  {_short(a, 24):<24}" + "".join(f"{sum(matrix[(a, b)].values()) if (a, b) in matrix else 0:>10}" for b in order))

    add("")
    add("CONFLICTS (from ⟷ to)")
    for u, v, _ in conflicts(G):
        add(f"  {node_name(G, u, 55)}  ⟷  {node_name(G, v, 55)}")
    return "\n".join(lines)
