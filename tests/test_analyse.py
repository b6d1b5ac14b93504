"""Network analysis: measures on small hand-made graphs with known answers, exports that
networkx reads back, and key facts of the real platform (issue 5)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import networkx as nx
import pytest

from graph.analyse import (
    area_matrix,
    bridges,
    centrality,
    chains,
    communities,
    enablement,
    impact,
    project,
)
from graph.analysis_exports import write_exports
from graph.impact import NOTHING, Stall

LK = "https://leangen-kg.org/id/"


def fixture(edges: list[tuple[str, str, str]], areas: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """A projected graph by hand: nodes are commitments in the given areas (default "a")."""
    areas = areas or {}
    G = nx.MultiDiGraph()
    for u, v, _ in edges:
        for n in (u, v):
            G.add_node(n, type="commitment", label=n, area=areas.get(n, "a"), area_label="", line=0)
    for u, v, kind in edges:
        G.add_edge(u, v, key=kind, kind=kind, origin="curated", link="", rationale="")
    return G


def test_chain_longest_path_order_and_impact():
    # c waits for b, b waits for a: do a, then b, then c.
    G = fixture([("c", "b", "dependsOn"), ("b", "a", "dependsOn")])
    ch = chains(enablement(G, strict=True))
    assert ch.longest == ["a", "b", "c"]
    assert ch.order == ["a", "b", "c"]
    assert ch.cycles == []
    assert impact(G, "a") == Stall(stalls=frozenset({"b", "c"}), harder=frozenset())
    assert impact(G, "c") == NOTHING


def test_supports_makes_harder_but_does_not_stall():
    G = fixture([("b", "a", "dependsOn"), ("b", "x", "supports")])
    assert impact(G, "a") == Stall(stalls=frozenset({"b"}), harder=frozenset({"x"}))  # x loses b's help
    assert impact(G, "b") == Stall(stalls=frozenset(), harder=frozenset({"x"}))
    assert impact(G, "x") == NOTHING  # what x is helped by does not get harder when x stalls
    assert chains(enablement(G)).longest == ["a", "b", "x"]


def test_cycle_reported_and_chain_still_found():
    G = fixture([("a", "b", "dependsOn"), ("b", "c", "dependsOn"), ("c", "a", "dependsOn"), ("d", "a", "dependsOn")])
    ch = chains(enablement(G, strict=True))
    assert len(ch.cycles) == 1 and sorted(ch.cycles[0]) == ["a", "b", "c"]
    assert ch.order == []
    assert len(ch.longest) == 2  # the cycle collapsed to one step, then d


def test_conflicts_are_not_dependencies():
    G = fixture([("a", "b", "conflictsWith")])
    assert enablement(G).number_of_edges() == 0
    assert impact(G, "b") == NOTHING


def test_bridge_commitment_and_betweenness():
    # two triangles in areas x and y, joined only through m (area z)
    edges = [("x1", "x2", "supports"), ("x2", "x3", "supports"), ("x3", "x1", "supports"),
             ("y1", "y2", "supports"), ("y2", "y3", "supports"), ("y3", "y1", "supports"),
             ("x1", "m", "supports"), ("m", "y1", "supports")]
    areas = {n: n[0] for n in ("x1", "x2", "x3", "y1", "y2", "y3")} | {"m": "z"}
    G = fixture(edges, areas)
    b = bridges(G)
    assert b[0]["node"] == "m" and b[0]["areas"] == 2
    bc = centrality(G)["betweenness"]
    assert max(bc, key=bc.get) == "m"
    comms = communities(G)
    assert {"x2", "x3"} <= next(c for c in comms if "x2" in c)
    assert not any({"x2", "y2"} <= c for c in comms)
    _order, matrix = area_matrix(G)
    assert matrix[("x", "z")]["supports"] == 1 and matrix[("z", "y")]["supports"] == 1
    assert matrix[("x", "x")]["supports"] == 3


def test_exports_read_back_with_the_same_counts(tmp_path: Path):
    G = fixture([("c", "b", "dependsOn"), ("b", "a", "dependsOn"), ("a", "c", "conflictsWith"),
                 ("a", "b", "supports"), ("b", "a", "supports")])
    files = write_exports(G, tmp_path)
    for key, reader in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        back = reader(files[key])
        assert back.number_of_nodes() == G.number_of_nodes(), key
        assert back.number_of_edges() == G.number_of_edges(), key
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind
    header = files["links"].read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("from,from_label,kind,to")


# ---- the real graph ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(built) -> nx.MultiDiGraph:
    return project(built.graph)


def test_brattora_redevelopment_depends_on_heggstadmoen_terminal(real):
    brattora, terminal = f"{LK}project/brattora-byutvikling", f"{LK}project/godsterminal-heggstadmoen"
    assert real.has_edge(brattora, terminal, key="dependsOn")
    assert brattora in impact(real, terminal).stalls


def test_car_traffic_target_supported_by_tolls_and_parking_fees(built, real):
    target = f"{LK}target/personbiltrafikk-20"
    c700 = str(built.result.commitment_iris[700])
    assert real.has_edge(c700, target, key="supports")
    assert real.has_edge(c700, f"{LK}instrument/bompenger", key="usesInstrument")
    assert real.has_edge(c700, f"{LK}instrument/parkeringsavgift", key="usesInstrument")


def test_new_roads_pull_against_the_car_targets(built, real):
    for line in (694, 695):
        c = str(built.result.commitment_iris[line])
        assert real.has_edge(c, f"{LK}target/personbiltrafikk-20", key="conflictsWith")
        assert real.has_edge(c, f"{LK}target/nullvekstmalet", key="conflictsWith")


def test_real_graph_has_no_dependency_cycles_and_exports_round_trip(real, tmp_path: Path):
    assert chains(enablement(real, strict=True)).cycles == []
    files = write_exports(real, tmp_path)
    back = nx.read_graphml(files["graphml"])
    assert (back.number_of_nodes(), back.number_of_edges()) == (real.number_of_nodes(), real.number_of_edges())
    back = nx.read_gexf(files["gexf"])
    assert (back.number_of_nodes(), back.number_of_edges()) == (real.number_of_nodes(), real.number_of_edges())


# ---- one definition of impact, everywhere ------------------------------------------------


def test_supporters_of_the_car_traffic_target_are_not_at_risk_from_it(built, real):
    """Direction: if A supports T, A stalling makes T harder; T stalling does not put A at risk."""
    target = f"{LK}target/personbiltrafikk-20"
    supporters = {u for u, _, k in real.in_edges(target, keys=True) if k == "supports"}
    assert str(built.result.commitment_iris[700]) in supporters
    for s in supporters:
        assert target in impact(real, s).harder | impact(real, s).stalls
    assert not supporters & (impact(real, target).stalls | impact(real, target).harder)


def test_network_model_analysis_table_and_analysis_page_agree_on_every_node(built, built_dist, built_engine):
    """/network and dist/network.html (the model), the CSV and /analysis show one figure per node."""
    from viewer.app import create_app

    model = json.loads((built_dist / "network.json").read_text(encoding="utf-8"))
    with (built_dist / "analysis-impact.csv").open(encoding="utf-8") as f:
        table = {r["id"]: r for r in csv.DictReader(f)}
    client = create_app({"STORE": built_engine, "DIST_DIR": built_dist, "TESTING": True}).test_client()
    checked = 0
    for node in model["nodes"]:
        if node["type"] not in ("Commitment", "Target", "Project"):
            continue
        stalls = {LK + n for n in node.get("stalls", [])}
        harder = {LK + n for n in node.get("harder", [])}
        row = table.get(node["iri"], {"stalls_ids": "", "gets_harder_ids": ""})
        assert (stalls, harder) == (set(row["stalls_ids"].split()), set(row["gets_harder_ids"].split())), node["id"]
        html = client.get("/analysis/impact", query_string={"iri": node["iri"]}).get_data(as_text=True)
        shown = re.findall(r'<span class="(stalls|harder)">(\d+)</span>', html)
        assert shown == [("stalls", str(len(stalls))), ("harder", str(len(harder)))], node["id"]
        checked += 1
    assert checked >= len(built.result.commitment_iris)  # every commitment, target and project
    assert sum(1 for n in model["nodes"] if n.get("stalls") or n.get("harder")) == len(table)


@pytest.fixture(scope="module")
def viewer_without_dist(built_engine):
    """A viewer on the real graph's store with no dist/ of its own (as on a remote store): it computes
    the analysis and the network model from the store, once for the tests that read them."""
    from viewer.app import create_app

    return create_app({"STORE": built_engine, "TESTING": True})


def test_analysis_shows_the_builds_centrality_and_a_remote_store_gets_the_same(built_dist, built_engine,
                                                                               viewer_without_dist, tmp_path):
    """With a dist/, /analysis renders the build's analysis-nodes.csv (an edit there shows on the page);
    with none (a remote store), the same figures are computed from the store."""
    import shutil

    from viewer.app import create_app

    def table(dist: Path | None) -> dict[str, str]:
        app = create_app({"STORE": built_engine, "DIST_DIR": dist, "TESTING": True}) if dist else viewer_without_dist
        text = app.test_client().get("/analysis/centrality.csv?lang=en").get_data(as_text=True)
        rows = csv.DictReader(text.lstrip("\ufeff").splitlines(), delimiter=text.lstrip("\ufeff")[len("Name")])
        return {r["IRI"]: r["Betweenness centrality"] for r in rows}

    computed, from_build = table(None), table(built_dist)
    assert computed == from_build and len(computed) > 400
    edited = tmp_path / "dist"
    shutil.copytree(built_dist, edited)
    path = edited / "analysis-nodes.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    top = max(rows, key=lambda r: float(r["betweenness"]))
    top["betweenness"] = "0.999"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert table(edited)[top["id"]] == "0.999"


def test_the_network_sizes_nodes_by_the_figures_of_the_analysis_tables(built_dist, viewer_without_dist):
    """Size by degree, betweenness or influence: each node of the model carries the figure of
    analysis-nodes.csv and analysis-influence.csv (net), each commitment the tracker's current status,
    and a viewer on a store with no dist/ of its own computes the same model (viewer/network.py)."""
    from viewer.network import compute_model

    model = json.loads((built_dist / "network.json").read_text(encoding="utf-8"))
    with (built_dist / "analysis-nodes.csv").open(encoding="utf-8") as f:
        centrality = {r["id"]: r for r in csv.DictReader(f)}
    with (built_dist / "analysis-influence.csv").open(encoding="utf-8") as f:
        net = {r["id"]: int(r["net"]) for r in csv.DictReader(f)}
    with (built_dist / "status-template.csv").open(encoding="utf-8-sig") as f:
        status = {r["commitment"]: r["current_status"] for r in csv.DictReader(f)}
    sized = [n for n in model["nodes"] if "degree" in n]
    assert len(sized) == len(centrality) and model["measures"] == ["degree", "betweenness", "influence"]
    for node in sized:
        row = centrality[node["iri"]]
        assert (node["degree"], node["betweenness"]) == (float(row["degree"]), float(row["betweenness"])), node["id"]
        assert node["influence"] == net.get(node["id"], 0), node["id"]
    assert max(n["betweenness"] for n in sized) > 0 and any(n["influence"] < 0 for n in sized)
    commitments = [n for n in model["nodes"] if n["type"] == "Commitment"]
    assert {n["iri"]: n["status"] for n in commitments} == status
    assert {p["id"] for p in model["palettes"]["status"]} == set(status.values())

    with viewer_without_dist.test_request_context("/network"):
        remote = compute_model()
    keys = ("degree", "betweenness", "influence", "status")
    assert ({n["id"]: [n.get(k) for k in keys] for n in remote["nodes"]}
            == {n["id"]: [n.get(k) for k in keys] for n in model["nodes"]})
    assert remote["palettes"] == model["palettes"]


def test_a_viewer_on_a_remote_store_decorates_the_network_as_the_build_did(built_dist, built_store):
    """No dist/ of its own: the viewer computes the model from the store over SPARQL (here the
    project's own endpoint, as a remote store) and its sizes and statuses are the build's."""
    from sparql_support import serving

    from store.remote import RemoteStore
    from viewer.app import create_app

    built_model = json.loads((built_dist / "network.json").read_text(encoding="utf-8"))
    with serving(create_app({"STORE": built_store, "DIST_DIR": built_dist})) as url:
        viewer = create_app({"STORE": RemoteStore(f"{url}/sparql"), "TESTING": True})
        remote_model = viewer.test_client().get("/network.json").get_json()
    keys = ("degree", "betweenness", "influence", "status")
    assert ({n["id"]: [n.get(k) for k in keys] for n in remote_model["nodes"]}
            == {n["id"]: [n.get(k) for k in keys] for n in built_model["nodes"]})
    assert remote_model["palettes"] == built_model["palettes"] and remote_model["measures"] == built_model["measures"]
    assert remote_model["stories"] == built_model["stories"] and len(remote_model["stories"]) >= 3  # a presenter's stories too
