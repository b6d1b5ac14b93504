"""In headless Chromium: a result IRI in the SPARQL editor opens its page on this server."""

from __future__ import annotations

from urllib.parse import quote, urlparse

import pytest
from browser_support import outside_requests, require_chromium
from linked_data_support import BASE, page_path
from rdflib import RDF, URIRef
from sparql_support import LiveServer

require_chromium()


@pytest.fixture(scope="module")
def server(linked_app):
    live = LiveServer(linked_app)
    yield live
    live.close()


def test_clicking_a_result_iri_opens_the_local_page(server, linked_graph, chromium):
    places = sorted(str(s) for s in linked_graph.subjects(RDF.type, URIRef("https://leangen-kg.org/ontology#Place")))
    query = "PREFIX pk: <https://leangen-kg.org/ontology#>\nSELECT ?place WHERE { ?place a pk:Place } ORDER BY ?place LIMIT 3"
    context = chromium.new_context()
    try:
        with outside_requests(context) as outside:
            page = context.new_page()
            page.goto(server.url + "/sparql#query=" + quote(query, safe=""), wait_until="load")
            link = page.locator(".tabPanel.active .yasr table tbody a.iri").first
            link.wait_for(timeout=15_000)
            with context.expect_page() as opened:
                link.click()
            target = opened.value
            target.wait_for_load_state("load")
            assert target.url == server.url + page_path(places[0])
            assert places[0] in target.locator("p.iri code").inner_text()
    finally:
        context.close()
    assert page_path(places[0]).startswith(urlparse(BASE).path)
    assert outside == []
