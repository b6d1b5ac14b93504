"""Benchmark the network model's stages: where the build's and the server's time goes.

    .venv/bin/python benchmarks/network_model.py [--dist dist] [--repeat 5]

Needs a built ``dist/`` (``python build.py``). Medians in milliseconds, each stage timed in this run:
the model's queries on rdflib's own engine (how the build ran them before) and on an in-memory
Oxigraph store loaded from ``graph.nt`` (how it runs them now, load included); the layout and the
rest of :func:`graph.network_model.build_model`; and what a server does at start — read
``dist/network.json`` — against computing the model. Ratios are against the rdflib queries and
against computing the model, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import network_model
from graph.curated import DEFAULT_BASE
from graph.oxiselect import NTriplesSelect


def median_ms(work: Callable[[], Any], repeat: int) -> float:
    """Median wall time of ``work`` in milliseconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        work()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    nt, products = args.dist / "graph.nt", args.dist / "network.json"
    if not nt.is_file() or not products.is_file():
        print(f"error: {args.dist} has no graph.nt or network.json; run `python build.py` first", file=sys.stderr)
        return 2
    import rdflib

    from viewer import kg

    graph = rdflib.Graph().parse(nt, format="nt")
    rows = network_model.collect(NTriplesSelect(nt))
    rdflib_q = median_ms(lambda: network_model.collect(lambda q: kg.select(q, graph)), max(1, args.repeat // 2))
    oxi_q = median_ms(lambda: network_model.collect(NTriplesSelect(nt)), args.repeat)
    model = median_ms(lambda: network_model.build_model(rows, DEFAULT_BASE), max(1, args.repeat // 2))
    read = median_ms(lambda: json.loads(products.read_text(encoding="utf-8")), args.repeat)
    print(f"{'stage':<46}{'median ms':>10}{'ratio':>10}")
    print(f"{'model queries, rdflib engine (reference)':<46}{rdflib_q:>10.0f}{1:>10.2f}")
    print(f"{'model queries, Oxigraph (load graph.nt + run)':<46}{oxi_q:>10.0f}{oxi_q / rdflib_q:>10.2f}")
    print(f"{'build_model: layout, facets, impact (reference)':<46}{model:>10.0f}{1:>10.2f}")
    print(f"{'server start: read dist/network.json':<46}{read:>10.0f}{read / model:>10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
