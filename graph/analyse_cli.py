"""``python build.py analyse``: the analysis tables on the terminal, and the exports into dist/.

Kept apart from :mod:`graph.analyse` because it runs the build's first stages
(:mod:`graph.pipeline`), which itself writes the analysis exports: with both in one module the two
would import each other.
"""

from __future__ import annotations

import argparse

import networkx as nx

from graph.analyse import impact, project
from graph.analysis_exports import write_exports
from graph.analysis_report import node_name, report
from graph.errors import BuildError
from graph.pipeline import Paths, make_graph


def _resolve(G: nx.MultiDiGraph, ref: str) -> str | None:
    """A node from an IRI, an IRI tail ("miljo-naering-samferdsel/44") or a source line number."""
    if ref in G:
        return ref
    if ref.isdigit():
        line = int(ref)
        best = [n for n, d in G.nodes(data=True) if d.get("type") == "commitment" and d.get("line", 0) <= line]
        return max(best, key=lambda n: G.nodes[n]["line"]) if best else None
    matches = [n for n in G if n.endswith("/" + ref)]
    return matches[0] if len(matches) == 1 else None


def analyse(args: argparse.Namespace) -> int:
    """``python build.py analyse``: build the graph in memory, print the tables, write the exports."""
    paths = Paths(args.source, args.curated, args.ontology, args.shapes, args.dist, args.status)
    built = make_graph(paths, args.base)
    G = project(built.graph)
    if getattr(args, "impact", None):
        node = _resolve(G, args.impact)
        if node is None:
            raise BuildError(f"--impact {args.impact}: no commitment, target or project by that IRI, tail or line.")
        st = impact(G, node)
        print(f"If {node_name(G, node, 100)} stalls:")
        for what, nodes in (("stalls too (depends on it)", st.stalls), ("gets harder (it helps)", st.harder)):
            print(f"  {what} ({len(nodes)}):")
            for m in sorted(nodes, key=lambda x: (G.nodes[x].get("line", 0), x)):
                print(f"    {node_name(G, m, 100)}")
        return 0
    print(report(G, args.top))
    if not args.no_export:
        files = write_exports(G, paths.dist)
        print("\nwrote " + ", ".join(str(p) for p in files.values()))
    return 0

