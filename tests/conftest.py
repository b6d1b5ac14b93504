"""Shared fixtures, made once per test session, and the markers the suite runs by.

Test modules never import fixtures: they ask for them by name. The helpers and constants behind them
(``LiveServer``, ``BASE``, ``page_path`` …) stay in the ``*_support`` modules.

The real graph is assembled once (``built``) and written once as ``build.py`` writes it (``built_dist``);
every test that only reads the build's result uses those. Tests that build something else (bad input,
another ``--base``, two builds for reproducibility) build their own. Under pytest-xdist each worker holds
its own in-memory fixtures (``built``, the stores), but a written dist/ is made once for all workers.
"""

from __future__ import annotations

import datetime
import fcntl
import gc
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import flask
import jinja2
import pyoxigraph as ox
import pytest
import rdflib
from browser_support import checked, shared_page
from linked_data_support import BASE
from network_room_support import SIZES
from rdflib import RDF, RDFS, XSD, Literal
from rdflib.namespace import DCTERMS
from sparql_support import FIXTURE_GRAPH, TEST_TIMEOUT, LiveServer, serving

from graph import status
from graph.curated import PK
from graph.features import StrengthLexicon
from graph.oxi import add_to
from graph.pipeline import Built, Paths, make_graph, write
from graph.segment import Document, parse
from graph.vocab import registry

ROOT = Path(__file__).resolve().parent.parent

# ---- markers: `pytest -m "not slow and not browser"` is the fast loop --------------------------------

#: Fixtures that make a test slow: a second full build, or a database server started for it.
SLOW_FIXTURES = {"linked_dist", "virtuoso"}
#: Tests that are slow on their own (whole modules by file name, or single tests by name).
SLOW_MODULES = {"test_sparql_fuzz.py"}
SLOW_TESTS = {
    "test_rebuilding_unchanged_sources_gives_byte_identical_dist",  # a full build.py in a fresh interpreter
    "test_build_py_in_a_fresh_interpreter_exits_2_with_the_paragraph",  # build.py in a fresh interpreter
    "test_compiled_gate_gives_pyshacls_results",  # pyshacl, the reference, on every broken fixture
    "test_serve_on_a_port_in_use_says_so",
    "test_works_with_the_embedded_store",
    "test_pool_recovers_after_failed_restarts_and_logs_them",
}


#: The cyclic collector's thresholds in the test processes (Python's are 700, 10, 10). A worker holds
#: the session's graphs and makes hundreds of thousands of objects a second, and the collector ran
#: some 35 full collections a worker (40–90 ms each): 5.8–6.3 s of the two workers' CPU in a run, and
#: 3.6–4.7 s with these (measured with ``gc.callbacks``). Only when garbage is found changes.
GC_THRESHOLDS = (10_000, 50, 100)


class CompiledOnce(jinja2.BytecodeCache):
    """The viewer's templates compiled once per test process, however many apps the tests make: about
    50 apps a run compiled templates 176 times (1.2 s of CPU). ``build.py serve`` makes one app, so it
    compiles each template once anyway. Jinja checks each entry against its template's source."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


def pytest_configure(config: pytest.Config) -> None:
    gc.set_threshold(*GC_THRESHOLDS)
    flask.Flask.jinja_options = {**flask.Flask.jinja_options, "bytecode_cache": CompiledOnce()}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``browser`` (the module drives Chromium) and ``slow``."""
    for item in items:
        if "require_chromium" in vars(item.module):
            item.add_marker(pytest.mark.browser)
        if (SLOW_FIXTURES & set(item.fixturenames) or item.path.name in SLOW_MODULES
                or item.originalname in SLOW_TESTS):
            item.add_marker(pytest.mark.slow)


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """``tmp/<name>/dist``, made by ``make`` once per run: under xdist every worker asks, the first
    makes it while the others wait on a lock, and all read the same files."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, shared by its workers
    dist, done = root / name / "dist", root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            dist.parent.mkdir(exist_ok=True)
            make(dist)
            done.touch()
    return dist


def long_lived(value):
    """``value``, kept for the rest of the session: collect the garbage there is, then move every
    object alive now out of the cyclic collector's sight (``gc.freeze``). The session's graphs are
    millions of objects, and every full collection walked them all again while the tests after them
    made graphs of their own (parsing four serialisations took 2.4 s instead of 3.3 s of CPU)."""
    gc.collect()
    gc.freeze()
    return value


# ---- the document and the real graph -----------------------------------------------------------------


@pytest.fixture(scope="session")
def lexicon() -> StrengthLexicon:
    return StrengthLexicon.of(registry())


@pytest.fixture(scope="session")
def lead_words(lexicon: StrengthLexicon) -> set[str]:
    return lexicon.first_words


@pytest.fixture(scope="session")
def doc(lead_words: set[str]) -> Document:
    return parse(Paths().source, lead_words)


@pytest.fixture(scope="session")
def built() -> Built:
    """The real graph, assembled from sources/ (validated and written only by ``built_dist``)."""
    return long_lived(make_graph(Paths()))


@pytest.fixture(scope="session")
def built_dist(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/ as ``build.py`` writes it, from the session's graph: the SHACL gate, the serialisations,
    network model, analysis tables, the offline network page and the catalogue. The rest of
    ``pipeline.build``, with the products of ``build.py``'s ``cmd_build`` and the options' defaults,
    so the graph is assembled once per session, not once per module that reads a dist/ (and
    test_build.py checks a fresh ``build.py`` writes the same bytes)."""
    import build
    from graph.catalogue import write_catalogue
    from viewer.network_page import write_offline_page

    def make(dist: Path) -> None:
        built: Built = request.getfixturevalue("built")
        viewer_url = build.make_parser().parse_args([]).viewer_url
        pages = [lambda b, out: write_offline_page(b, out, viewer_url=viewer_url),
                 lambda b, out: write_catalogue(out, viewer_url)]
        write(built, Paths(dist=dist), products=pages)  # the SHACL gate included

    return made_once(tmp_path_factory, "build", make)


@pytest.fixture(scope="session")
def built_store(built_dist: Path):
    """The embedded store over the session's dist/graph.nt, as ``build.py serve`` opens it, with one
    query worker (and its spare): for the tests that query the store the build feeds
    (test_example_queries.py, test_exact_data.py) and the viewer over it (``real_app``); the pool's
    size is not what they test."""
    from store.embedded import EmbeddedStore

    store = EmbeddedStore(built_dist / "graph.nt", workers=1)
    yield store
    store.close()


@pytest.fixture(scope="session")
def built_engine(built_dist: Path):
    """The session's dist/graph.nt on the embedded store's query engine, run in this process
    (engine_support.py): for tests of what a viewer computes from its store, which ran on rdflib's
    SPARQL engine (``GraphStore``) at a second or more per page; the viewer's own stores are
    pyoxigraph (embedded) or a remote endpoint, never rdflib."""
    from engine_support import EngineStore

    return EngineStore(built_dist)


@pytest.fixture()
def listener():
    """A TCP listener on loopback that counts the connections made to it: a query must make none."""
    from benchmarks.fuzz import Listener

    lst = Listener()
    yield lst
    lst.close()


# ---- the SPARQL endpoint on the small fixture graph ----------------------------------------------------


@pytest.fixture(scope="session")
def sparql_store():
    from store.embedded import EmbeddedStore

    store = EmbeddedStore(FIXTURE_GRAPH, workers=3)
    yield store
    store.close()


@pytest.fixture(scope="session")
def sparql_app(sparql_store):
    from viewer.app import create_app

    return create_app({"STORE": sparql_store, "SPARQL_TIMEOUT": TEST_TIMEOUT, "SPARQL_MAX_ROWS": 50,
                       "SPARQL_MAX_QUERY_BYTES": 16 * 1024, "TESTING": True})


@pytest.fixture()
def client(sparql_app):
    return sparql_app.test_client()


@pytest.fixture(scope="session")
def live_server(sparql_app) -> Iterator[LiveServer]:
    server = LiveServer(sparql_app)
    yield server
    server.close()


@pytest.fixture(scope="session")
def ontology_store(tmp_path_factory):
    """The small test graph with the ontology loaded into it, as the build publishes them together."""
    from store.embedded import EmbeddedStore

    path = tmp_path_factory.mktemp("terms") / "graph.ttl"
    # two Turtle documents one after the other are one Turtle document (same prefixes, no @base)
    path.write_text(FIXTURE_GRAPH.read_text(encoding="utf-8") + "\n"
                    + (ROOT / "ontology" / "leangen.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    store = EmbeddedStore(path, workers=1)
    yield store
    store.close()


@pytest.fixture(scope="session")
def ontology_app(ontology_store):
    from viewer.app import create_app

    return create_app({"STORE": ontology_store, "SPARQL_TIMEOUT": TEST_TIMEOUT, "TESTING": True})


# ---- a graph built under a base IRI with a path (linked data) ----------------------------------------


@pytest.fixture(scope="session")
def linked_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``build.py --base http://example.org/kg/id/``: its own full build, the point of these tests."""
    import build

    def make(dist: Path) -> None:
        saved = os.environ.pop("LEANGEN_PUBLIC_URL", None)  # the offline page's default link target
        try:
            assert build.main(["--base", BASE, "--dist", str(dist)]) == 0
        finally:
            if saved is not None:
                os.environ["LEANGEN_PUBLIC_URL"] = saved

    return made_once(tmp_path_factory, "linked", make)


@pytest.fixture(scope="session")
def linked_graph(linked_dist: Path) -> rdflib.Graph:
    """The graph under another base, parsed by pyoxigraph (a third of rdflib's time for N-Triples)."""
    return long_lived(add_to(rdflib.Graph(), ox.parse(path=str(linked_dist / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)))


@pytest.fixture(scope="session")
def linked_app(linked_dist: Path):
    from store import open_store
    from viewer.app import create_app

    store = open_store(linked_dist, workers=2)
    yield create_app({"STORE": store, "DIST_DIR": linked_dist, "BASE_IRI": BASE, "TESTING": True})
    store.close()


# ---- the real graph served by the app (browse, export, search, catalogue tests) -----------------------

@pytest.fixture(scope="session", name="real_app")
def real_app_fixture(built_store, built_dist):
    """The viewer over the session's build and its embedded store (``built_store``), as ``build.py serve``
    runs it: one store per pytest worker for every test that browses, exports or searches the real graph."""
    from viewer.app import create_app

    return create_app({"STORE": built_store, "DIST_DIR": built_dist, "TESTING": True})


@pytest.fixture(name="real_client")
def real_client_fixture(real_app):
    return real_app.test_client()


# ---- headless Chromium and the viewer over the session's dist/ (the browser tests) -------------------


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for every browser test of the worker (browser_support.py); each test or
    module opens its own context on it. Launched only when a browser test first asks for it."""
    from browser_support import launch

    with launch() as browser:
        yield browser


@pytest.fixture(scope="session")
def viewer_server(built_dist: Path, built_store) -> Iterator[str]:
    """The viewer as ``build.py serve`` runs it over the session's dist/ (graph, network model and page,
    map, matrix) and its embedded store (``built_store``: a query worker and its spare), on a free port
    of 127.0.0.1; yields its URL."""
    from viewer import network
    from viewer.app import create_app

    app = create_app({"STORE": built_store, "DIST_DIR": built_dist})
    network.warm_up(app).join()  # as `build.py serve` does at start-up
    with serving(app) as url:
        yield url


# ---- the network at projector sizes (test_network_room.py, test_network_decorate.py) -------------------


@pytest.fixture(scope="module", params=list(SIZES))
def room_page(chromium, request):
    """One page per projector size for the whole module: each test loads its URL in it (``network_room_support.goto``)."""
    width, height = SIZES[request.param]
    with shared_page(chromium, viewport={"width": width, "height": height}, accept_downloads=True) as page:
        page.size_name = request.param
        yield page


@pytest.fixture()
def room(room_page):
    """The page at a projector size; its requests and console errors during the test are checked after it."""
    with checked(room_page) as page:
        yield page


# ---- the tracker (test_status_views.py, test_status_browser.py) ------------------------------------------


@pytest.fixture(scope="module")
def stalled_prerequisite(built: Built) -> tuple[rdflib.Graph, str, str]:
    """The real graph with one prerequisite (the 'to' of a pk:dependsOn link) assessed as stalled."""
    graph = rdflib.Graph()
    graph += built.graph
    dependent, prerequisite = next(iter(graph.query(
        "PREFIX pk: <https://leangen-kg.org/ontology#> SELECT ?a ?b WHERE { ?a pk:dependsOn ?b . "
        "?b a pk:Commitment } ORDER BY ?a ?b LIMIT 1")))
    node = status.assessment_iri(str(prerequisite), datetime.date(2025, 10, 1))
    for triple in ((node, RDF.type, PK.Assessment), (node, PK.assesses, prerequisite), (node, PK.status, PK.stalled),
                   (node, DCTERMS.date, Literal("2025-10-01", datatype=XSD.date)),
                   (node, RDFS.label, Literal("stanset (2025-10-01)", lang="nb"))):
        graph.add(triple)
    return graph, str(dependent), str(prerequisite)
