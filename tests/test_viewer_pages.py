"""Fast tests of the viewer pages with Flask's test client (no browser).

The fixture graph (tests/fixtures/viewer_graph.ttl) mirrors the real Heimdal/Tiller entities and
carries script and markup in labels and text, so escaping is tested on every page. The module's app
queries it on the embedded store's engine run in this process (engine_support.py), the engine a
served viewer runs; the worker processes around it are test_works_with_the_embedded_store's.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
import rdflib

from graph import network_model
from graph.curated import rebase
from graph.oxiselect import NTriplesSelect
from viewer import kg
from viewer.app import create_app
from viewer.kg import GraphStore
from viewer.network_page import write_offline_page

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "viewer_graph.ttl"
LK = "https://leangen-kg.org/id/"


@pytest.fixture(scope="module")
def fixture_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(FIXTURE)
    return g


@pytest.fixture(scope="module")
def app(fixture_graph, tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    (dist / "graph.ttl").write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    from engine_support import EngineStore

    return create_app({"STORE": EngineStore(FIXTURE), "DIST_DIR": dist, "TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


ENTITY_PAGES = [
    "/commitment/miljo-naering-samferdsel/42", "/place/heimdal", "/project/ishall-tiller", "/actor/nav",
    "/instrument/reguleringsplan", "/target/boliger-per-ar", "/area/miljo-naering-samferdsel",
    "/topic/miljo-naering-samferdsel/samferdsel", "/document/leangen-erklaeringen-2024-2027",
]


@pytest.mark.parametrize("path", ["/", "/places", "/network", "/search?q=tiller", *ENTITY_PAGES])
def test_pages_render(client, path):
    r = client.get(path)
    assert r.status_code == 200, path
    assert r.mimetype == "text/html"


def test_home_has_counts_areas_links_and_downloads(client):
    html = client.get("/").get_data(as_text=True)
    assert "Miljø, næring og samferdsel" in html
    for link in ('href="/network"', 'href="/places"', 'href="/sparql"', 'href="/downloads/graph.ttl"'):
        assert link in html
    assert "Heimdal" in html  # among the most connected places
    assert "NAV" in html  # among the most connected actors
    assert client.get("/downloads/graph.ttl").status_code == 200
    assert client.get("/downloads/..%2Fsecret").status_code == 404
    assert client.get("/downloads/nope.txt").status_code == 404


def test_place_page_includes_places_inside(client):
    """Heimdal lists the ishall on Tiller (via the project) and Johan Tillers veg (in Heimdal sentrum)."""
    html = client.get("/place/heimdal").get_data(as_text=True)
    assert "realisere ny ishall på Tiller" in html
    assert "regulere Johan Tillers veg del 2" in html
    assert "«Johan Tillers veg»" in html  # the words that made the link
    assert "Midtbyen" not in html.split('id="touching"')[1]  # not inside Heimdal
    assert 'data-map-src="/map.json" data-focus="https://leangen-kg.org/id/place/heimdal"' in html  # map.js draws it
    assert 'href="/place/tiller"' in html


def test_place_downloads(client):
    data = client.get("/place/heimdal/touching.json").get_json()
    labels = {i["label"] for i in data["rows"]}
    assert {"realisere ny ishall på Tiller", "regulere Johan Tillers veg del 2", "ishall på Tiller"} <= labels
    row = next(i for i in data["rows"] if i["label"] == "regulere Johan Tillers veg del 2")
    assert row["strength"] == "forpliktende" and row["lines"] == "696"
    assert "Johan Tillers veg" in row["matched_words"]
    csv_text = client.get("/place/heimdal/touching.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0] == "\ufeffType;Navn;Ordlyd;Område;Styrke;Via;Ord som ga koblingen;Linjer i dokumentet;IRI"
    assert "ishall" in csv_text
    assert client.get("/place/nowhere/touching.csv").status_code == 404


def test_area_lists_commitments_in_document_order(client):
    html = client.get("/area/miljo-naering-samferdsel").get_data(as_text=True)
    assert html.index("regulere Johan Tillers veg") < html.index("utrede bedre kollektivtilbud")


def test_entity_page_shows_its_sparql_with_editor_link(client):
    html = client.get("/commitment/miljo-naering-samferdsel/42").get_data(as_text=True)
    assert "SELECT" in html and 'href="/sparql#query=' in html
    assert "«Johan Tillers veg»" in html  # mention evidence
    assert 'href="/place/johan-tillers-veg"' in html


@pytest.mark.parametrize(("how", "mime", "fmt"), [
    ("accept", "text/turtle", "turtle"), ("accept", "application/n-triples", "nt"),
    ("accept", "application/ld+json", "json-ld"), ("accept", "application/rdf+xml", "xml"),
    ("ext", "ttl", "turtle"), ("ext", "nt", "nt"), ("ext", "jsonld", "json-ld"), ("ext", "rdf", "xml"),
])
def test_content_negotiation(client, how, mime, fmt):
    path = "/commitment/miljo-naering-samferdsel/42"
    r = client.get(path, headers={"Accept": mime}) if how == "accept" else client.get(f"{path}.{mime}")
    assert r.status_code == 200
    g = rdflib.Graph()
    g.parse(data=r.get_data(as_text=True), format=fmt)
    subject = rdflib.URIRef(LK + "commitment/miljo-naering-samferdsel/42")
    assert (subject, rdflib.RDF.type, rdflib.URIRef("https://leangen-kg.org/ontology#Commitment")) in g
    assert any(p == rdflib.URIRef("https://leangen-kg.org/ontology#matchedText") for _, p, _ in g)


def test_browser_accept_gets_html(client):
    r = client.get("/place/heimdal", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.mimetype == "text/html"


@pytest.mark.parametrize("path", [
    "/place/nowhere", "/commitment/x/999", "/nothing-here", "/place/a%3Eb", "/place/a%22b",
    "/area/nope.ttl", "/topic/%3Cscript%3E",
])
def test_friendly_404(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "Fant ikke siden" in r.get_data(as_text=True)
    assert "<script>" not in r.get_data(as_text=True)


@pytest.mark.parametrize("path", [
    "/", "/places", "/place/xss", "/place/trondheim", "/commitment/xss/1", "/area/xss", "/topic/xss/x",
    "/search?q=script", "/search?q=%3Cscript%3Ewindow.__xss%3D9%3C/script%3E", "/network",
])
def test_markup_from_graph_and_request_is_escaped(client, path):
    html = client.get(path).get_data(as_text=True)
    assert "<script>window.__xss" not in html
    assert "<b>Markup" not in html and "<img src=x" not in html and "<b onmouseover" not in html
    if path != "/network":
        assert "&lt;script&gt;" in html or path in ("/",)


def test_network_page_has_no_external_assets(client):
    html = client.get("/network").get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "cdn" not in html.lower()
    assert re.search(r'<script src="/static/vendor/vis-network/vis-network.min.js\?v=\w+">', html)


def test_static_files_are_named_by_their_content_and_kept_by_the_browser(client):
    """Every static file a page names carries a hash of its content and may be kept for a year (the
    next page reuses it and the scripts compiled from it); the same file asked for without that hash,
    or with another, is revalidated each time, so a changed file is never taken from a stale copy."""
    static = Path(__file__).resolve().parent.parent / "viewer" / "static"
    named = set()
    for page in ("/", "/network", "/sparql", "/map", "/commitments", "/place/heimdal"):
        named |= set(re.findall(r'(?:src|href)="(/static/[^"]+)"', client.get(page, headers={"Accept": "text/html"})
                                .get_data(as_text=True)))
    assert len(named) >= 10 and all("?v=" in url for url in named), named
    for url in named:
        path, digest = url.split("?v=")
        content = (static / path.removeprefix("/static/")).read_bytes()
        assert hashlib.sha256(content).hexdigest().startswith(digest), url
        r = client.get(url)
        assert r.status_code == 200 and r.headers["Cache-Control"] == "public, max-age=31536000", url
        for other in (path, path + "?v=stale"):
            assert client.get(other).headers["Cache-Control"] == "no-cache", other
    assert client.get("/static/no-such-file.js?v=123").status_code == 404


def test_language_switch_keeps_english_in_links(client):
    r = client.get("/place/heimdal?lang=en")
    html = r.get_data(as_text=True)
    assert "Commitments and projects" in html and 'href="/place/tiller?lang=en"' in html
    assert "lang=en" in r.headers.get("Set-Cookie", "")
    assert "Løfter og prosjekter" in client.get("/place/heimdal?lang=nb").get_data(as_text=True)


def test_read_only(client):
    assert client.post("/").status_code == 405
    assert client.post("/place/heimdal").status_code == 405
    assert client.delete("/place/heimdal").status_code == 405


def model_of(graph: rdflib.Graph, base: str = LK) -> dict:
    """The network model as the build makes it: the queries on the published N-Triples."""
    return network_model.build_model(network_model.collect(NTriplesSelect(_nt(graph))), base)


def _nt(graph: rdflib.Graph) -> Path:
    path = Path(tempfile.mkdtemp()) / "graph.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    return path


def test_network_model_is_deterministic_and_typed(fixture_graph):
    a, b = model_of(fixture_graph), model_of(fixture_graph)
    assert [(n["id"], n["x"], n["y"]) for n in a["nodes"]] == [(n["id"], n["x"], n["y"]) for n in b["nodes"]]
    types = {n["type"] for n in a["nodes"]}
    assert {"Commitment", "Place", "Project", "Actor", "Instrument", "Target", "PolicyArea", "Topic"} <= types
    ishall = next(n for n in a["nodes"] if n["id"] == "commitment/kultur-idrett-friluftsliv/20")
    assert "place/heimdal" in ishall["places"]  # through the project's place and pk:partOf
    assert all(e["label"] for e in a["edges"])


def test_the_build_and_a_store_give_the_same_model(fixture_graph):
    """A viewer on a remote store computes the model itself: it must be the build's, exactly."""
    from_store = network_model.build_model(network_model.collect(lambda q: kg.select(q, fixture_graph)), LK)
    assert json.dumps(from_store, sort_keys=True) == json.dumps(model_of(fixture_graph), sort_keys=True)


def test_write_offline_page_is_self_contained(fixture_graph, tmp_path):
    out = write_offline_page(SimpleNamespace(network=model_of(fixture_graph)), tmp_path)
    html = out.read_text(encoding="utf-8")
    assert not re.search(r'<script[^>]+src=|<link[^>]+href="(https?:)?//', html)
    assert "vis.Network" in html
    model = _page_model(html)
    assert any(n["full"] == "Heimdal" for n in model["nodes"])
    assert list(tmp_path.iterdir()) == [out]  # no temp file left behind


def _page_model(html: str) -> dict:
    data = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.DOTALL).group(1)
    return json.loads(data)["model"]


def test_offline_page_ids_follow_the_build_base(fixture_graph, tmp_path, monkeypatch):
    """`build.py --base B`: node ids stay `place/heimdal`, so `#place=place/heimdal` links work."""
    base = "https://data.example.org/leangen/"
    monkeypatch.delenv("LEANGEN_BASE_IRI", raising=False)  # the page must not need it
    built = SimpleNamespace(network=model_of(rebase(fixture_graph, base), base))
    model = _page_model(write_offline_page(built, tmp_path).read_text(encoding="utf-8"))
    heimdal = next(n for n in model["nodes"] if n["full"] == "Heimdal")
    assert (heimdal["id"], heimdal["iri"]) == ("place/heimdal", base + "place/heimdal")
    assert any("place/heimdal" in n.get("places", []) for n in model["nodes"])


def test_served_network_reads_the_build_product(fixture_graph, tmp_path):
    """/network renders dist/network.json; it does not lay the graph out again."""
    model = model_of(fixture_graph)
    model["nodes"][0]["full"] = "as the build wrote it"
    (tmp_path / "network.json").write_text(json.dumps(model), encoding="utf-8")
    app = create_app({"STORE": GraphStore(fixture_graph), "DIST_DIR": tmp_path, "TESTING": True})
    served = app.test_client().get("/network.json").get_json()
    assert served["nodes"][0]["full"] == "as the build wrote it"
    assert "as the build wrote it" in app.test_client().get("/network").get_data(as_text=True)


def test_works_with_the_embedded_store(tmp_path):
    """The production store (pyoxigraph in worker processes) gives the same pages."""
    from store import open_store

    store = open_store(FIXTURE, workers=1)  # the pool size is not the point (6 processes by default)
    try:
        app = create_app({"STORE": store, "DIST_DIR": tmp_path, "TESTING": True})
        c = app.test_client()
        html = c.get("/place/heimdal").get_data(as_text=True)
        assert "realisere ny ishall på Tiller" in html and "regulere Johan Tillers veg del 2" in html
        assert c.get("/network.json").get_json()["nodes"]
        assert c.get("/commitment/miljo-naering-samferdsel/42.ttl").status_code == 200
    finally:
        store.close()


@pytest.mark.parametrize("path", ["/", "/places", "/place/heimdal", "/network"])
def test_a_store_that_cannot_answer_gives_a_page_that_says_so(path, tmp_path):
    """A remote endpoint that is down: a 503 page naming the endpoint, not a 500 or a traceback."""
    from store.remote import RemoteStore

    app = create_app({"STORE": RemoteStore("http://127.0.0.1:9/sparql"), "DIST_DIR": tmp_path})
    r = app.test_client().get(path)
    assert r.status_code == 503
    html = r.get_data(as_text=True)
    assert "Grafen svarte ikke" in html and "cannot reach the SPARQL endpoint http://127.0.0.1:9/sparql" in html
    assert "Traceback" not in html


def test_a_viewer_started_before_the_build_says_how_to_build(tmp_path):
    app = create_app({"DIST_DIR": tmp_path / "dist"})
    r = app.test_client().get("/")
    assert r.status_code == 503
    html = r.get_data(as_text=True)
    assert "Grafen er ikke lastet" in html
    assert f"{tmp_path / 'dist'} does not exist: run `python build.py` first" in html  # the store's own words


class FailingStore:
    """A store whose every query raises ``error``: a bug (KeyError) or a store failure."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def query(self, sparql: str, **_: object) -> None:
        raise self.error


@pytest.mark.parametrize("path", ["/", "/place/heimdal", "/network"])
def test_store_unavailable_gives_503_with_the_stores_message(path, tmp_path):
    from store import StoreUnavailable

    app = create_app({"STORE": FailingStore(StoreUnavailable("the triple store is down for upgrade")),
                      "DIST_DIR": tmp_path})
    r = app.test_client().get(path)
    assert r.status_code == 503
    html = r.get_data(as_text=True)
    assert "Grafen svarte ikke" in html and "the triple store is down for upgrade" in html


@pytest.mark.parametrize("path", ["/", "/place/heimdal", "/network"])
def test_a_bug_in_a_route_is_a_logged_500_not_a_missing_graph(path, tmp_path, caplog):
    """A KeyError is a bug, not "graph not loaded": a plain 500 page, the traceback in the log."""
    app = create_app({"STORE": FailingStore(KeyError("secret-detail")), "DIST_DIR": tmp_path})
    with caplog.at_level("ERROR"):
        r = app.test_client().get(path)
    assert r.status_code == 500
    html = r.get_data(as_text=True)
    assert "Noe gikk galt" in html
    assert "Grafen er ikke lastet" not in html
    assert "secret-detail" not in html and "KeyError" not in html and "Traceback" not in html
    logged = [rec for rec in caplog.records if rec.name == app.logger.name and rec.exc_info]
    assert logged and isinstance(logged[0].exc_info[1], KeyError)
    assert path in logged[0].getMessage()


def test_a_bug_fails_the_test_that_meets_it(tmp_path):
    """Under TESTING the bug propagates (it used to become a 503 page that tests took for a state)."""
    app = create_app({"STORE": FailingStore(KeyError("x")), "DIST_DIR": tmp_path, "TESTING": True})
    with pytest.raises(KeyError):
        app.test_client().get("/")


def test_page_values_read_from_store_terms_are_what_rdflib_terms_give(built_engine):
    """``kg.select`` reads the embedded store's terms straight into display values; for a term of each
    kind the graph holds (IRIs, every datatype, every language) they equal ``py`` of the rdflib term."""
    from viewer import kg

    query = ("SELECT (SAMPLE(?s) AS ?iri) (SAMPLE(?o) AS ?value) (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
             " GROUP BY (DATATYPE(?o)) (LANG(?o)) (isIRI(?o))")
    fast = kg.select(query, built_engine)
    slow = [{k: kg.py(v) for k, v in row.items()} for row in kg.select_terms(query, built_engine)]
    assert fast == slow
    kinds = {type(row["value"]) for row in fast}
    assert len(fast) >= 8 and kinds >= {str, int} and sum(row["n"] for row in fast) > 15_000
