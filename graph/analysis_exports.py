"""The analysis as files for other tools: GEXF and GraphML for Gephi, Kumu or Cytoscape, and CSV tables.

The build writes them into ``dist/`` (``graph/pipeline.py``), and ``python build.py analyse`` writes
them too. Kept apart from :mod:`graph.analyse`, which computes the measures and knows no file format.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph

from graph.analyse import LINK_KINDS, area_matrix, bridges, centrality, communities, impact_table, project
from graph.export import atomic_write
from graph.reproducible import source_date_epoch


def write_csv(path: Path, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    """A CSV table written atomically with "\\n" line ends, so a rebuild gives the same bytes."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    atomic_write(path, lambda p: p.write_text(buf.getvalue(), encoding="utf-8"))


def export_graph(G: nx.MultiDiGraph, scores: dict[str, dict[str, float]] | None = None) -> nx.MultiDiGraph:
    """A copy whose attributes are all strings or numbers (what GEXF and GraphML can hold),
    with centrality and community added to the nodes for use in Gephi, Kumu or Cytoscape.

    Nodes and edges go in sorted, so the files (their order, attribute ids, edge ids) depend on
    the graph alone and not on the RDF graph's set order.
    """
    H = nx.MultiDiGraph()
    scores = scores or centrality(G)
    comm = {n: i for i, c in enumerate(communities(G), start=1) for n in c}
    for n in sorted(G.nodes):
        d = G.nodes[n]
        H.add_node(n, **{k: ("" if v is None else v) for k, v in d.items()},
                   degree=round(scores["degree"].get(n, 0.0), 6),
                   betweenness=round(scores["betweenness"].get(n, 0.0), 6),
                   community=comm.get(n, 0))
    for u, v, k in sorted(G.edges(keys=True)):
        d = G.edges[u, v, k]
        H.add_edge(u, v, key=k, **{a: ("" if b is None else str(b)) for a, b in d.items()})
    return H


def write_gexf(H: nx.MultiDiGraph, path: Path) -> None:
    """GEXF without the writing day networkx stamps into it, so a rebuild gives the same bytes.

    The date is kept only when ``SOURCE_DATE_EPOCH`` says which one to write (reproducible-builds.org).
    """
    writer = nx.readwrite.gexf.GEXFWriter()
    meta = writer.xml.find("meta")
    epoch = source_date_epoch()
    if meta is not None:
        if epoch is not None:
            meta.set("lastmodifieddate", time.strftime("%Y-%m-%d", time.gmtime(epoch)))
        else:
            meta.attrib.pop("lastmodifieddate", None)
    writer.add_graph(H)
    with path.open("wb") as stream:
        writer.write(stream)


def write_exports(graph: Graph | nx.MultiDiGraph, out: Path,
                  scores: dict[str, dict[str, float]] | None = None) -> dict[str, Path]:
    """GEXF, GraphML and CSV tables into ``out`` (each written atomically). Returns the files.

    Called by the build (``graph.pipeline.write``, with the centrality it computed once for the
    network model too) and by ``python build.py analyse``.
    """
    out = Path(out)
    G = graph if isinstance(graph, nx.MultiDiGraph) else project(graph)
    H = export_graph(G, scores)
    files: dict[str, Path] = {}

    files["gexf"] = out / "network.gexf"
    atomic_write(files["gexf"], lambda p: write_gexf(H, p))
    files["graphml"] = out / "network.graphml"
    atomic_write(files["graphml"], lambda p: nx.write_graphml(H, p))

    files["nodes"] = out / "analysis-nodes.csv"
    write_csv(files["nodes"], ["id", "type", "label", "area", "line", "degree", "betweenness", "community"],
               ([n, d["type"], d["label"], d["area"], d["line"], d["degree"], d["betweenness"], d["community"]]
                for n, d in sorted(H.nodes(data=True))))
    files["links"] = out / "analysis-links.csv"
    write_csv(files["links"], ["from", "from_label", "kind", "to", "to_label", "origin", "link", "rationale"],
               ([u, G.nodes[u]["label"], d["kind"], v, G.nodes[v]["label"], d.get("origin", ""),
                 d.get("link", ""), d.get("rationale", "")]
                for u, v, d in sorted(G.edges(data=True), key=lambda e: (e[0], e[1], e[2]["kind"]))
                if d["kind"] in LINK_KINDS))
    files["impact"] = out / "analysis-impact.csv"
    write_csv(files["impact"], ["id", "label", "stalls", "gets_harder", "stalls_ids", "gets_harder_ids"],
               ([n, G.nodes[n]["label"], len(st.stalls), len(st.harder), " ".join(sorted(st.stalls)),
                 " ".join(sorted(st.harder))] for n, st in impact_table(G)))
    files["bridges"] = out / "analysis-bridges.csv"
    write_csv(files["bridges"], ["id", "label", "area", "other_areas", "cross_links", "reaches"],
               ([b["node"], b["label"], b["area"], b["areas"], b["cross_links"], " ".join(b["reaches"])]
                for b in bridges(G)))
    files["areas"] = out / "analysis-area-matrix.csv"
    order, matrix = area_matrix(G)
    write_csv(files["areas"], ["from_area", "to_area", *LINK_KINDS, "total"],
               ([a, b, *(matrix[(a, b)][k] for k in LINK_KINDS), sum(matrix[(a, b)].values())]
                for a in order for b in order if matrix.get((a, b))))
    return files
