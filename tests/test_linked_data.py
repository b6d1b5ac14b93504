"""Linked data that works: every IRI of a graph built under ``--base http://example.org/kg/id/``
dereferences on the server (HTML for people, RDF by Accept or suffix, ``Vary: Accept``), the ontology
is a page with an anchor per term, the dataset and graph IRIs lead to the VoID description, and the
offline network page links to the served pages."""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import urljoin

import pytest
import rdflib
from linked_data_support import BASE, PK, page_path
from markupsafe import escape
from rdflib import OWL, RDF, RDFS, SKOS, URIRef

ONTOLOGY_FILE = Path(__file__).resolve().parent.parent / "ontology" / "leangen.ttl"
RDF_TYPES = [("text/turtle", "ttl", "turtle"), ("application/n-triples", "nt", "nt"),
             ("application/ld+json", "jsonld", "json-ld"), ("application/rdf+xml", "rdf", "xml")]
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.fixture(scope="module")
def client(linked_app):
    return linked_app.test_client()


@pytest.fixture(scope="module")
def engine_client(linked_dist):
    """The same app over the embedded store's query engine run in this process (engine_support.py):
    the page for every IRI of the graph is thousands of requests, and the worker processes'
    pipe round trip and wake-up per query cost more than the query (the pages over the real
    ``EmbeddedStore`` are the other tests here and test_linked_data_browser.py)."""
    from engine_support import EngineStore

    from viewer.app import create_app

    return create_app({"STORE": EngineStore(linked_dist), "DIST_DIR": linked_dist, "BASE_IRI": BASE,
                       "TESTING": True}).test_client()


@pytest.fixture(scope="module")
def subjects(linked_graph) -> list[URIRef]:
    return sorted({s for s in linked_graph.subjects() if isinstance(s, URIRef)})


@pytest.fixture(scope="module")
def ontology_html(client) -> str:
    r = client.get("/ontology", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert "Accept" in r.headers.get("Vary", "")
    return r.get_data(as_text=True)


def _section(page: str, anchor: str) -> str:
    m = re.search(r'<(section|tr) class="term" id="' + re.escape(anchor) + r'">(.*?)</\1>', page, re.DOTALL)
    assert m, f"no anchor #{anchor} on /ontology"
    return m.group(2)


def test_every_subject_iri_answers_html_with_vary(engine_client, subjects, ontology_html):
    """A browser that follows any IRI of the graph gets its page here, also under a base with a path.
    (The app's queries run on the store's engine in this process: ``engine_client``.)"""
    data = [s for s in subjects if str(s).startswith(BASE)]
    terms = [s for s in subjects if not str(s).startswith(BASE)]
    assert len(data) > 2000 and terms  # the whole graph, not a sample
    for s in data:
        path = page_path(str(s))
        assert path.startswith("/kg/id/")
        r = engine_client.get(path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert r.status_code == 200, path
        assert r.mimetype == "text/html", path
        assert "Accept" in r.headers.get("Vary", ""), path
        assert f"<code>{html.escape(str(s))}</code>" in r.get_data(as_text=True), path
    for s in terms:  # the ontology and its terms: one page, an anchor per term
        assert page_path(str(s)) == "/ontology", s
        if "#" in s:
            _section(ontology_html, str(s).split("#", 1)[1])


def _sample(subjects: list[URIRef]) -> list[URIRef]:
    """One IRI of each kind (the first path segment under the base: place, commitment, link …)."""
    first: dict[str, URIRef] = {}
    for s in subjects:
        if str(s).startswith(BASE):
            first.setdefault(str(s)[len(BASE):].split("/", 1)[0], s)
    return sorted(first.values())


@pytest.mark.parametrize(("mime", "ext", "fmt"), RDF_TYPES)
def test_rdf_by_accept_and_by_suffix_holds_the_iris_triples(engine_client, linked_graph, subjects, mime, ext, fmt):
    """Each kind of IRI as RDF in every format, by ``Accept`` and by suffix: its triples exactly as
    published (the embedded store keeps every datatype and lexical form the build writes, test_exact_data.py)."""
    sample = _sample(subjects)
    assert len(sample) >= 10
    for s in sample:
        for r in (engine_client.get(page_path(str(s)), headers={"Accept": mime}),
                  engine_client.get(page_path(str(s)) + "." + ext)):
            assert r.status_code == 200 and r.mimetype == mime, s
            assert "Accept" in r.headers.get("Vary", "")
            got = rdflib.Graph().parse(data=r.get_data(as_text=True), format=fmt)
            own = set(linked_graph.triples((s, None, None)))
            assert own and own <= set(got), s


def test_pages_link_to_local_pages_not_to_the_base_host(client, subjects):
    commitment = next(s for s in subjects if re.fullmatch(re.escape(BASE) + r"commitment/[^/]+/\d+", str(s)))
    page = client.get(page_path(str(commitment))).get_data(as_text=True)
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert not [h for h in hrefs if h.startswith("http://example.org/")]
    assert [h for h in hrefs if h.startswith(("/kg/id/place/", "/kg/id/area/"))]
    assert [h for h in hrefs if h.startswith("/ontology#")]
    place = client.get("/kg/id/place/heimdal").get_data(as_text=True)
    assert 'href="/kg/id/place/heimdal/touching.csv"' in place
    assert client.get("/kg/id/place/heimdal/touching.csv").status_code == 200


def test_ontology_page_lists_every_class_and_property_with_its_nb_label(ontology_html):
    onto = rdflib.Graph().parse(ONTOLOGY_FILE)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, SKOS.ConceptScheme,
             SKOS.Concept)
    terms = {s for k in kinds for s in onto.subjects(RDF.type, k) if str(s).startswith(PK)}
    assert len(terms) > 100
    for term in terms:
        section = _section(ontology_html, str(term)[len(PK):])
        nb = [o for o in onto.objects(term, RDFS.label) if o.language == "nb"] or \
             [o for o in onto.objects(term, SKOS.prefLabel) if o.language == "nb"]
        assert nb and str(escape(str(nb[0]))) in section, term
        for comment in (o for o in onto.objects(term, RDFS.comment) if o.language in ("nb", "en")):
            assert str(escape(str(comment))) in section, term


def test_classes_list_their_properties_with_ranges(ontology_html):
    section = _section(ontology_html, "Commitment")
    assert 'href="#concernsPlace"' in section and 'href="#Place"' in section  # property and its range


def test_every_pk_term_the_graph_uses_has_an_anchor(linked_graph, ontology_html):
    used = {t for triple in linked_graph for t in triple if isinstance(t, URIRef) and str(t).startswith(PK)}
    assert len(used) > 50
    for t in used:
        _section(ontology_html, str(t)[len(PK):])
    anchors = set(re.findall(r'href="#([^"]+)"', ontology_html))
    assert anchors <= set(re.findall(r' id="([^"]+)"', ontology_html))


@pytest.mark.parametrize(("mime", "ext", "fmt"), RDF_TYPES)
def test_ontology_as_rdf(client, mime, ext, fmt):
    onto = rdflib.Graph().parse(ONTOLOGY_FILE)
    for r in (client.get("/ontology", headers={"Accept": mime}), client.get("/ontology." + ext)):
        assert r.status_code == 200 and r.mimetype == mime
        assert "Accept" in r.headers.get("Vary", "")
        got = set(rdflib.Graph().parse(data=r.get_data(as_text=True), format=fmt))
        # the build moves data IRIs (the ontology's rdfs:seeAlso of the document) to the base
        expected = {t for t in onto if not str(t[2]).startswith("https://leangen-kg.org/id/")}
        assert expected <= got


def _described_iris(client) -> tuple[str, list[str]]:
    """The dataset IRI VoID names, and the graph IRIs the service description names."""
    void = rdflib.Graph().parse(data=client.get("/void", headers={"Accept": "text/turtle"}).data, format="turtle")
    dataset = next(void.subjects(RDF.type, VOID.Dataset))
    sd = rdflib.Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).data, format="turtle")
    return str(dataset), [str(g) for g in sd.objects(None, SD.name)]


def test_dataset_and_graph_iris_lead_to_the_void_description(client):
    dataset, graphs = _described_iris(client)
    assert graphs
    for iri in [dataset, *graphs]:
        for r in (client.get(page_path(iri), headers={"Accept": "text/turtle"}, follow_redirects=True),
                  client.get(page_path(iri) + ".ttl", follow_redirects=True)):
            assert r.status_code == 200 and r.mimetype == "text/turtle", iri
            assert (URIRef(dataset), RDF.type, VOID.Dataset) in rdflib.Graph().parse(data=r.data, format="turtle")
        first = client.get(page_path(iri))
        assert first.status_code == 303 and "Accept" in first.headers.get("Vary", "")


def test_offline_network_page_opens_the_served_pages(linked_dist, client):
    text = (linked_dist / "network.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.DOTALL).group(1))
    nodes = data["model"]["nodes"]
    by_prefix = defaultdict(int)
    for n in nodes:
        assert n["href"] == urljoin("http://127.0.0.1:8000/", page_path(n["iri"])), n["iri"]
        by_prefix[n["iri"][len(BASE):].split("/")[0]] += 1
    assert by_prefix["place"] and by_prefix["commitment"]
    assert client.get(page_path(nodes[0]["iri"])).status_code == 200


def test_the_endpoint_names_the_served_base_in_its_prefixes_and_void(linked_app):
    """With --base, VoID's uriSpace and the editor's `place:` name the IRIs actually served."""
    client = linked_app.test_client()
    void = client.get("/void", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert f'"{BASE}"' in void
    terms = client.get("/sparql/terms.json").get_json()
    assert terms["prefixes"]["place"] == f"{BASE}place/"
    turtle = client.get("/sparql", query_string={"query": f"CONSTRUCT WHERE {{ <{BASE}place/heimdal> ?p ?o }}"},
                        headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert f"@prefix place: <{BASE}place/>" in turtle and "place:heimdal" in turtle
