"""Benchmark the build's interaction step against the network model step, measured in the same run.

    .venv/bin/python benchmarks/interactions.py [--repeat 5]

What the step costs the build: checking link-review.csv against the graph, theming the tensions and
writing ``interactions.json`` and the two CSVs (:func:`graph.interaction_products.write`), as a ratio of
the network model (:func:`graph.pipeline.write_network_model`), the step before it. Medians of
``--repeat`` runs each; the graph is read and assembled once, untimed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import interaction_products, interactions
from graph.export import write_graph
from graph.pipeline import Paths, make_graph, write_network_model


def median_seconds(step: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``repeat`` runs of ``step``."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        step()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def _interaction_step(built, out: Path) -> None:
    """The scored links, their ranking and the files written from them, as the build makes them."""
    links = interactions.scored_links(built.graph, built.base)
    interaction_products.write(built.graph, built.network, Paths().curated, out, built.base,
                               links=links, ranking=interactions.rankings(links), review=built.review)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    built = make_graph(Paths())
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        write_graph(built.graph, out, built.ox_triples())
        network = median_seconds(lambda: write_network_model(built, out), args.repeat)
        step = median_seconds(lambda: _interaction_step(built, out), args.repeat)
    print(f"network model      {network * 1000:8.0f} ms  1.00")
    print(f"interaction step   {step * 1000:8.0f} ms  {step / network:.2f} of the network model")


if __name__ == "__main__":
    main()
