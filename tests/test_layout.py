"""The network page's layout (graph/layout.py): what a presenter relies on when the page opens."""

from __future__ import annotations

import numpy as np

from graph.layout import fruchterman_reingold


def _ring_with_loners(ring: int = 30, loners: int = 3) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """A ring of nodes plus a few with no edge, all starting scattered by a seeded generator."""
    start = np.random.default_rng(1).uniform(-0.5, 0.5, size=(ring + loners, 2))
    return start, [(i, (i + 1) % ring) for i in range(ring)]


def _web_with_loners(size: int = 200, loners: int = 3) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """A few hundred tied nodes (the size of the platform's network) and a few with no edge."""
    start = np.random.default_rng(1).uniform(-0.5, 0.5, size=(size + loners, 2))
    return start, [(i, (i + 1) % size) for i in range(size)] + [(i, i * 7 % size) for i in range(size)]


def test_pinned_nodes_stay_where_they_were_put():
    start, edges = _ring_with_loners()
    placed = fruchterman_reingold(start, edges, pinned=[0, 5], k=0.2)
    assert placed[[0, 5]].tolist() == start[[0, 5]].tolist()
    assert not np.allclose(placed[1:5], start[1:5])


def test_nodes_without_edges_stay_in_the_drawing():
    """A loner is pushed by every other node; it must not end so far off that the drawing, scaled to
    fit the screen, shrinks the connected part to a dot."""
    start, edges = _web_with_loners()
    placed = fruchterman_reingold(start, edges, k=1.6 / np.sqrt(len(start)))
    spread = np.linalg.norm(placed[:200], axis=1).max()
    assert np.linalg.norm(placed[200:], axis=1).max() < 1.5 * spread


def test_linked_nodes_end_closer_than_unlinked_ones():
    start, edges = _ring_with_loners()
    placed = fruchterman_reingold(start, edges, k=0.2)
    linked = np.mean([np.linalg.norm(placed[a] - placed[b]) for a, b in edges])
    everyone = np.mean([np.linalg.norm(placed[a] - placed[b]) for a in range(30) for b in range(a + 1, 30)])
    assert linked < everyone / 2


def test_same_input_same_positions():
    start, edges = _ring_with_loners()
    assert fruchterman_reingold(start, edges, k=0.2).tolist() == fruchterman_reingold(start, edges, k=0.2).tolist()
