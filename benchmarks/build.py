"""How fast the build's own stages run, against a floor measured in the same run.

    python benchmarks/build.py              the real graph
    python benchmarks/build.py --scale 100  the real graph's commitments, mentions and links copied 100×
                                            under renamed IRIs (≈1.5M triples)

Each stage (convert to pyoxigraph, the SHACL gate, writing the four serialisations) is printed with its
time and its ratio to the floor: pyoxigraph parsing and serialising the same triples as N-Triples, the
least any stage that touches every triple can cost on this machine right now. Ratios, not seconds,
are what compare across machines and loads.

Then the gate and the writers once more as the build runs them (graph/pipeline.py): the store loaded,
the gate in a forked process (graph/forked.py) while this one writes the four files; that wall time
is the figure the issue's 60 s bound is about. Peak memory (max RSS of this process and of the
forked gate) is printed at the end.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.curated import DEFAULT_BASE
from graph.export import write_graph
from graph.forked import Forked
from graph.oxi import Converter, TripleIndex, store_of
from graph.pipeline import Paths, build, make_graph
from graph.validate import load_shapes, validate

COPIED = ("/commitment/", "/link/")  # IRIs renamed in each copy: commitments with their mentions, links


def scaled(triples: list[ox.Triple], copies: int) -> list[ox.Triple]:
    """``triples`` plus ``copies - 1`` copies of every triple about a commitment or link, IRIs renamed.

    Built directly as pyoxigraph triples: going through an rdflib graph took minutes at 100×.
    """
    def copied(term: object) -> bool:
        return isinstance(term, ox.NamedNode) and term.value.startswith(DEFAULT_BASE) and any(
            c in term.value for c in COPIED)

    about = [t for t in triples if copied(t.subject)]
    out = list(triples)
    for k in range(1, copies):
        prefix = f"{DEFAULT_BASE}copy{k}/"
        renamed: dict[ox.NamedNode, ox.NamedNode] = {}

        def rename(term, prefix=prefix, renamed=renamed):
            if not copied(term):
                return term
            new = renamed.get(term)
            if new is None:
                new = renamed[term] = ox.NamedNode(prefix + term.value[len(DEFAULT_BASE):])
            return new
        out.extend(ox.Triple(rename(t.subject), t.predicate, rename(t.object)) for t in about)
    return out


def timed(label: str, fn, floor: float | None, timings: dict[str, float]):
    t0 = time.perf_counter()
    value = fn()
    timings[label] = elapsed = time.perf_counter() - t0
    ratio = f"{elapsed / floor:6.1f}× floor" if floor else ""
    print(f"  {label:<28} {elapsed:7.2f} s  {ratio}")
    return value


def gate_beside_writers(data, shapes, graph, triples: list[ox.Triple]) -> None:
    """Load the gate's store, fork the gate (graph/forked.py) and write the four files meanwhile, as
    graph/pipeline.write does; fails loudly if the gate does not pass."""
    store = store_of(triples)
    lane = Forked(lambda: validate(data, shapes, store=store).conforms)
    with tempfile.TemporaryDirectory() as out:
        write_graph(graph, Path(out), triples)
    if not lane.result():
        raise SystemExit("the scaled graph does not conform to the shapes")


def floor_of(triples: list[ox.Triple]) -> float:
    """pyoxigraph parsing and writing ``triples`` as N-Triples: the least a stage touching every triple costs."""
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    t0 = time.perf_counter()
    ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES)
    floor = time.perf_counter() - t0
    print(f"  {'floor: oxigraph parse+write':<28} {floor:7.2f} s")
    return floor


def whole_build(floor: float) -> None:
    """The real build's own stage timings (``python build.py``, into a temporary dist/), against the floor."""
    with tempfile.TemporaryDirectory() as out:
        paths = Paths()
        paths.dist = Path(out) / "dist"
        t0 = time.perf_counter()
        built = build(paths)
        total = time.perf_counter() - t0
    print("the whole build (graph/pipeline.py), in this process:")
    for stage, seconds in built.timings.items():
        if stage not in ("total", "write"):
            print(f"  {stage:<28} {seconds:7.2f} s  {seconds / floor:6.1f}× floor")
    print(f"  {'build, all stages':<28} {total:7.2f} s  {total / floor:6.1f}× floor")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="copies of the commitments (default 1)")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    timings: dict[str, float] = {}
    built = timed("read + link + assemble", lambda: make_graph(Paths()), None, timings)
    graph = built.graph
    triples = Converter().triples(graph)
    if args.scale > 1:
        triples = timed("scale (not a build stage)", lambda: scaled(triples, args.scale), None, timings)
    print(f"{len(triples)} triples")
    floor = floor_of(triples)
    if args.scale == 1:
        timed("convert to pyoxigraph", lambda: Converter().triples(graph), floor, timings)
    store = timed("load the gate's store", lambda: store_of(triples), floor, timings)
    shapes = load_shapes(Paths().shapes)
    data = graph if args.scale == 1 else TripleIndex(triples)
    outcome = timed("SHACL gate (compiled)", lambda: validate(data, shapes, store=store), floor, timings)
    print(f"  gate: conforms={outcome.conforms}, {len(outcome.errors)} violation(s)")
    with tempfile.TemporaryDirectory() as out:
        timed("write ttl/nt/jsonld/rdf", lambda: write_graph(graph, Path(out), triples), floor, timings)
    one_by_one = sum(timings[k] for k in timings if not k.startswith(("read", "scale")))
    print(f"  {'convert + gate + write':<28} {one_by_one:7.2f} s  {one_by_one / floor:6.1f}× floor  (one after another)")
    timed("load, gate beside writers", lambda: gate_beside_writers(data, shapes, graph, triples), floor, timings)
    if args.scale == 1:
        whole_build(floor)
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(f"peak memory {peak / 1024:.0f} MiB (the larger of this process and the forked gate)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
