"""The build, stage by stage: sources → document model + curated entities → graph → SHACL gate → dist/.

Each stage is a function of the one before, so tests can run any prefix of the flow
on their own fixtures. :func:`build` is what ``python build.py`` runs.

Everything derived from the graph is computed here, once, into ``dist/``: the serialisations, the
network model (``network.json``), the analysis tables and exports. Products that belong to another
layer — the offline network page, rendered with the viewer's templates — are handed in by the
caller as :data:`Product` functions (``build.py`` passes the viewer's), because ``graph/`` never
imports ``viewer/``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from graph import (
    analyse,
    analysis_exports,
    interaction_products,
    interactions,
    map_data,
    network_model,
    relations,
    status,
    status_template,
    stories,
)
from graph.assemble import BuildResult, assemble, name_blank_nodes
from graph.curated import DEFAULT_BASE, load_curated, rebase
from graph.errors import BuildError
from graph.export import staging, write_graph, write_json
from graph.features import StrengthLexicon
from graph.forked import Forked
from graph.oxi import Converter, store_of
from graph.oxiselect import NTriplesSelect
from graph.report import build_report
from graph.segment import Document, parse
from graph.vocab import Registry, ontology_in_use

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Paths:
    """Where the build reads and writes; every path can be overridden from the command line."""

    source: Path = ROOT / "sources" / "leangen-erklaeringen-2024-2027.txt"
    curated: Path = ROOT / "sources" / "curated"
    ontology: Path = ROOT / "ontology" / "leangen.ttl"
    shapes: Path = ROOT / "shapes"
    dist: Path = ROOT / "dist"
    status: Path = ROOT / "sources" / "status"


@dataclass
class Built:
    document: Document
    result: BuildResult
    report: dict
    timings: dict[str, float] = field(default_factory=dict)
    triples: list | None = None  # the graph as pyoxigraph triples, converted once for the gate and writers
    base: str = DEFAULT_BASE
    network: dict = field(default_factory=dict)  # the network model, once written
    analysis: Analysis | None = None  # the measures, computed once (analyse_once)
    review: interaction_products.Review | None = None  # link-review.csv, checked against the graph; its coverage

    @property
    def graph(self) -> Graph:
        return self.result.graph

    def ox_triples(self) -> list:
        if self.triples is None:
            self.triples = Converter().triples(self.graph)
        return self.triples


def make_graph(paths: Paths, base: str = DEFAULT_BASE) -> Built:
    """Read, link and assemble the graph (no validation, nothing written), every lexicon read from
    ``paths.ontology``."""
    with ontology_in_use(paths.ontology) as found:
        return _make_graph(paths, base, found)


def _make_graph(paths: Paths, base: str, ontology: Registry) -> Built:
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    lexicon = StrengthLexicon.of(ontology)
    document = parse(paths.source, lexicon.first_words)
    lines = document.lines
    curated = load_curated(paths.curated, lines)
    timings["read"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    result = assemble(document, curated, ontology.graph, lexicon)
    _add_commitment_links(result, paths, lines)
    result.graph += status.status_graph(result.graph, paths.status)
    name_blank_nodes(result.graph)
    if result.no_lead:
        raise BuildError(
            f"{len(result.no_lead)} commitments start with no lead verb of the strength lexicon "
            f"(first: <{result.no_lead[0]}>). Add the verb as a pk:cue in the ontology.",
            path=paths.ontology,
        )
    if base != DEFAULT_BASE:
        result.graph = rebase(result.graph, base)
    review = interaction_products.review(result.graph, paths.curated, base)  # a bad row stops the build here
    timings["assemble"] = time.perf_counter() - t1
    return Built(document, result, {}, timings, base=base, review=review)


def _add_commitment_links(result: BuildResult, paths: Paths, lines: list[str]) -> None:
    """Curated and extracted links between commitments (graph/relations.py)."""
    result.graph += relations.links_graph(result.graph, result.commitment_iris, paths.curated, lines)


def validate(built: Built, paths: Paths) -> None:
    """The SHACL gate: a graph that does not conform never leaves the build."""
    from graph.validate import format_report, load_shapes
    from graph.validate import validate as shacl

    t0 = time.perf_counter()
    store = store_of(built.ox_triples())
    outcome = shacl(built.graph, load_shapes(paths.shapes), store=store)
    built.timings["validate"] = time.perf_counter() - t0
    if not outcome.conforms:
        raise BuildError("the graph does not conform to the shapes; nothing was written.\n\n" + format_report(outcome))


#: A product written from the finished build into the staging folder: ``product(built, folder)``.
Product = Callable[[Built, Path], None]


@dataclass
class Analysis:
    """The measures computed once per build and shared by every product that shows them: the
    projection, its centrality (``analysis-nodes.csv``, the network's size-by), the scored links
    and their influence ranking (``interactions.json``, ``analysis-influence.csv``, the network)."""

    projection: object
    centrality: dict[str, dict[str, float]]
    links: list[dict]
    ranking: list[dict]


def analyse_once(built: Built) -> Analysis:
    """The build's :class:`Analysis`, computed once and kept on ``built``."""
    if built.analysis is None:
        G = analyse.project(built.graph)
        links = interactions.scored_links(built.graph, built.base)
        built.analysis = Analysis(G, analyse.centrality(G), links, interactions.rankings(links))
    return built.analysis


def write_network_model(built: Built, out: Path, stories_folder: Path = stories.FOLDER) -> None:
    """``network.json``: the network model, from the N-Triples just written (what is published),
    with the analysis' measures on its nodes and the presenters' stories checked against it; and
    ``stories.json``."""
    rows = network_model.collect(NTriplesSelect(out / "graph.nt"))
    a = analyse_once(built)
    built.network = network_model.build_model(
        rows, built.base, sizes=network_model.measures(a.centrality, a.ranking, built.base))
    write_json(stories.attach(built.network, stories_folder), out / "stories.json")
    write_json(built.network, out / "network.json")


def write(built: Built, paths: Paths, products: Sequence[Product] = ()) -> None:
    """The SHACL gate and everything into ``dist/``, atomically.

    The measures are computed first (:func:`analyse_once`); then the gate and the analysis tables
    run in a forked process (:mod:`graph.forked`) while this one writes the serialisations, the
    network model and the other products; ``dist/`` is swapped in
    only when the gate has passed and every file is written. ``products`` run last, with the
    network model built and the analysis tables in place.
    """
    with ontology_in_use(paths.ontology):
        t0 = time.perf_counter()
        built.ox_triples()  # converted once, before the fork, for the gate and the writers alike
        t1 = time.perf_counter()
        analyse_once(built)  # and the measures both lanes show
        built.timings["measures"] = time.perf_counter() - t1
        with staging(paths.dist) as out:
            lane = Forked(lambda: _gate_and_tables(built, paths, out))
            try:
                _write_products(built, paths, out)
            except BaseException:
                lane.cancel()
                raise
            t1 = time.perf_counter()
            built.timings.update(lane.result())
            built.timings["waited for the gate"] = time.perf_counter() - t1
            t1 = time.perf_counter()
            for product in products:
                product(built, out)
            built.timings["pages"] = time.perf_counter() - t1
            write_json(built.report, out / "build-report.json")
        built.timings["write"] = time.perf_counter() - t0


def _gate_and_tables(built: Built, paths: Paths, out: Path) -> dict[str, float]:
    """The forked lane: the SHACL gate, then the analysis tables (GEXF, GraphML, CSV); its timings."""
    validate(built, paths)
    t0 = time.perf_counter()
    a = analyse_once(built)
    analysis_exports.write_exports(a.projection, out, scores=a.centrality)
    built.timings["analysis exports"] = time.perf_counter() - t0
    return {k: built.timings[k] for k in ("validate", "analysis exports")}


def _write_products(built: Built, paths: Paths, out: Path) -> None:
    """This process's lane: serialisations, network model, stories, template, interactions, map."""
    t0 = time.perf_counter()
    sizes = write_graph(built.graph, out, built.ox_triples())
    built.timings["write graph"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    write_network_model(built, out, paths.source.parent / "stories")
    built.timings["network model"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    status_template.write(built.graph, out)
    built.report = build_report(built.result)
    a = analyse_once(built)
    built.report.update(interaction_products.write(built.graph, built.network, paths.curated, out, built.base,
                                                   links=a.links, ranking=a.ranking, review=built.review))
    built.report["borough_check"] = map_data.write(out / "graph.nt", out)  # map.json, places.geojson
    built.report["files"] = sizes
    built.timings["tables and map"] = time.perf_counter() - t0


def build(paths: Paths | None = None, base: str = DEFAULT_BASE, products: Sequence[Product] = ()) -> Built:
    """Read, assemble, validate and write ``dist/`` (with the extra ``products``)."""
    paths = paths or Paths()
    t0 = time.perf_counter()
    built = make_graph(paths, base)
    write(built, paths, products)
    built.timings["total"] = time.perf_counter() - t0
    return built
