"""Betweenness comes from rustworkx (graph/analyse.betweenness): the figures must be networkx's, the
reference implementation the analysis was written against, and the same on every run (dist/ is
byte-identical between builds of the same sources)."""

from __future__ import annotations

import networkx as nx
import pytest

from graph import analyse


def _reference(U: nx.Graph) -> dict:
    return nx.betweenness_centrality(U, normalized=True)


@pytest.mark.parametrize("U", [nx.Graph(), nx.path_graph(1), nx.path_graph(2), nx.path_graph(5), nx.star_graph(4),
                               nx.disjoint_union(nx.cycle_graph(4), nx.path_graph(3)),
                               nx.relabel_nodes(nx.barbell_graph(4, 2), str)],
                         ids=["empty", "one", "two", "path", "star", "two-parts", "barbell"])
def test_small_graphs_give_networkxs_figures(U):
    assert analyse.betweenness(U) == pytest.approx(_reference(U), abs=1e-12)


def test_the_real_projection_gives_networkxs_figures_every_time(built):
    U = analyse._simple(analyse.project(built.graph))
    ours = analyse.betweenness(U)
    assert ours == pytest.approx(_reference(U), abs=1e-12)
    assert max(ours.values()) > 0.05  # a connected graph with hubs, not a trivial case
    assert all(analyse.betweenness(U) == ours for _ in range(3))  # one thread: the same bits each run
