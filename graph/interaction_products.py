"""The build step for the interaction scores: check the review, theme the tensions, write the products.

Why a step of its own: the matrix, the tensions and the rankings are what a workshop acts on, so the
build computes them once (``dist/interactions.json``, ``analysis-influence.csv``,
``analysis-interaction-matrix.csv``) and the viewer only renders them. The review
(``link-review.csv``) and the tension themes (``tension-themes.csv``) are curated data, so they are
checked here against the graph they describe; a bad row stops the build.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

from rdflib import Graph

from graph import interactions
from graph.analysis_exports import write_csv
from graph.curated import PK
from graph.errors import BuildError
from graph.export import write_json
from graph.link_review import REVIEW_FILE, GraphFacts, ReviewRow, coverage, read_review, theme
from graph.network_model import page_prefix

THEMES_FILE = "tension-themes.csv"
#: What the viewer needs of a node, as the network model has it.
NODE_KEYS = ("type", "full", "text", "area", "topic", "places", "lines", "href")


def graph_facts(graph: Graph, base: str) -> GraphFacts:
    """Commitment line spans, target/project ids and curated link scores, for checking the review."""
    spans = sorted((int(graph.value(c, PK.firstLine)), int(last), interactions.local_id(c, base))
                   for c, last in graph.subject_objects(PK.lastLine) if (c, PK.firstLine, None) in graph)

    def owner(line: int) -> str | None:
        return next((c for first, last, c in spans if first <= line <= last), None)

    entities = frozenset(interactions.local_id(e, base).replace("/", ":", 1)
                         for cls in (PK.Target, PK.Project) for e in graph.subjects(None, cls))
    scores = {interactions.local_id(link, base).removeprefix("link/"):
              (int(s) if (s := graph.value(link, PK.interactionScore)) is not None else None)
              for link in graph.subjects(PK.origin, PK.curated)}
    return GraphFacts(owner, entities, scores)


def read_themes(path: Path, tensions: dict[str, int]) -> dict[str, str]:
    """``tension-themes.csv`` (link_id, theme): a theme for tensions the review did not read under one."""
    if not path.exists():
        return {}
    out: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        for raw in reader:
            link_id, name = (raw.get("link_id") or "").strip(), (raw.get("theme") or "").strip()
            if link_id not in tensions:
                raise BuildError(f"row {reader.line_num - 1}, column link_id: '{link_id}' is not a link with a "
                                 "negative interaction score; give the local name of a pk:conflictsWith link.",
                                 path=path, line=reader.line_num)
            if not name:
                raise BuildError(f"row {reader.line_num - 1}, column theme: empty; name the theme.",
                                 path=path, line=reader.line_num)
            out[link_id] = name
    return out


def tension_themes(links: list[dict[str, Any]], rows: list[ReviewRow], curated: Path) -> dict[str, str]:
    """The theme of every negative link: the review's (``theme: …``), else ``tension-themes.csv``'s."""
    tensions = {d["id"].removeprefix("link/"): d["score"] for d in links if d["score"] < 0}
    themes = read_themes(curated / THEMES_FILE, tensions)
    themes.update({r.link_id: t for r in rows if r.link_id in tensions and (t := theme(r.source))})
    missing = sorted(set(tensions) - set(themes))
    if missing:
        raise BuildError(f"{len(missing)} tension(s) have no theme: {', '.join(missing)}. Add a row "
                         "'link_id,theme' for each.", path=curated / THEMES_FILE)
    return themes


def _nodes(network: dict[str, Any], links: list[dict[str, Any]], areas: dict[str, str]) -> dict[str, Any]:
    """Every commitment and every link end, with what the pages show and filter on."""
    ends = {d[k] for d in links for k in ("from", "to")}
    out = {}
    for n in network.get("nodes", []):
        if n.get("type") == "Commitment" or n["id"] in ends:
            node = {k: n[k] for k in NODE_KEYS if k in n}
            node["area"] = areas.get(n["id"], node.get("area"))
            out[n["id"]] = node
    return dict(sorted(out.items()))


class Review(NamedTuple):
    """``link-review.csv``'s rows, each checked against the graph, and what they cover of its links."""

    rows: list[ReviewRow]
    coverage: dict[str, Any]


def review(graph: Graph, curated: Path, base: str) -> Review:
    """The review (no rows without the file) and its coverage: the build reads it as soon as the graph
    is assembled, so a bad row stops it before anything is written."""
    facts = graph_facts(graph, base)
    path = curated / REVIEW_FILE
    rows = read_review(path, facts) if path.exists() else []
    return Review(rows, coverage(rows, facts.link_scores))


def products(graph: Graph, network: dict[str, Any], curated: Path, base: str,
             links: list[dict[str, Any]], ranking: list[dict[str, Any]], review: Review) -> dict[str, Any]:
    """``interactions.json``: scale, areas, area matrix, nodes, scored links (tensions themed),
    rankings and the review's coverage. ``links``, ``ranking`` and the ``review`` are the build's,
    computed once (graph.pipeline.analyse_once, :func:`review`)."""
    themes = tension_themes(links, review.rows, curated)
    for d in links:
        d["href"] = page_prefix(base) + d["id"]
        if d["score"] < 0:
            d["theme"] = themes[d["id"].removeprefix("link/")]
    areas = interactions.end_areas(graph, base)
    return {
        "scale": interactions.scale(graph),
        "areas": [{"id": a["id"], "label": a["label"]} for a in network.get("areas", [])],
        "area_matrix": interactions.area_matrix(links, areas),
        "facets": {key: sorted(({"id": n["id"], "label": n["full"]} for n in network.get("nodes", [])
                                if n.get("type") == typ), key=lambda o: o["label"].lower())
                   for key, typ in (("topic", "Topic"), ("place", "Place"))},
        "nodes": _nodes(network, links, areas),
        "links": links,
        "ranking": ranking,
        "review": review.coverage,
    }


def write(graph: Graph, network: dict[str, Any], curated: Path, out: Path, base: str,
          links: list[dict[str, Any]], ranking: list[dict[str, Any]], review: Review) -> dict[str, Any]:
    """Write the products into ``out``; return what ``build-report.json`` says of them."""
    data = products(graph, network, curated, base, links, ranking, review)
    write_json(data, out / "interactions.json")
    write_csv(out / "analysis-interaction-matrix.csv", ["from_area", "to_area", "sum", "count"],
              ([c["from"], c["to"], c["sum"], c["count"]] for c in data["area_matrix"]))
    write_csv(out / "analysis-influence.csv",
              ["id", "label", "net", "enabling", "constraining", "influenced", "out", "in", "stalls",
               "harder_strong"],
              ([r["id"], data["nodes"].get(r["id"], {}).get("full", ""), r["net"], r["enabling"],
                r["constraining"], r["influenced"], r["out"], r["in"], r["stalls"], r["harder"]]
               for r in data["ranking"]))
    per_score = Counter(d["score"] for d in data["links"])
    return {"interaction_scores": {str(s): per_score[s] for s in sorted(per_score)},
            "link_review": {k: v for k, v in data["review"].items() if k != "links_not_reviewed"}
            | {"links_not_reviewed": len(data["review"]["links_not_reviewed"])}}
