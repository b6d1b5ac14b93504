"""Publishing: the licences, and the DCAT description a catalogue can harvest (DCAT-AP-NO's required
properties), written by the build and served at /void."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import rdflib
from rdflib import namespace as ns

from graph.catalogue import DATASET, SPDX, describe

DCAT, DCTERMS, RDF = ns.DCAT, ns.DCTERMS, ns.RDF

ROOT = Path(__file__).resolve().parent.parent
#: DCAT-AP-NO's mandatory properties of a dataset, and of each distribution.
DATASET_REQUIRED = (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCTERMS.license, DCTERMS.issued,
                    DCTERMS.modified, DCAT.distribution, DCAT.landingPage)
DISTRIBUTION_REQUIRED = (DCAT.accessURL, DCAT.downloadURL, DCAT.mediaType, DCAT.byteSize, SPDX.checksum,
                         DCTERMS.license)


@pytest.fixture()
def files(tmp_path) -> Path:
    (tmp_path / "graph.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    (tmp_path / "analysis-nodes.csv").write_bytes(b"id,label\nx,\xc3\xb8\n")
    return tmp_path


def test_the_description_has_every_required_property(files):
    g = describe(files, "https://kg.example.org/")
    for p in DATASET_REQUIRED:
        assert g.value(DATASET, p) is not None, f"the dataset has no {p}"
    assert {t.language for t in g.objects(DATASET, DCTERMS.title)} >= {"nb", "en"}
    assert g.value(DATASET, DCTERMS.license) == rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert g.value(g.value(DATASET, DCTERMS.publisher), rdflib.URIRef("http://xmlns.com/foaf/0.1/name"))
    dists = list(g.objects(DATASET, DCAT.distribution))
    assert len(dists) == 2
    for d in dists:
        assert (d, RDF.type, DCAT.Distribution) in g
        for p in DISTRIBUTION_REQUIRED:
            assert g.value(d, p) is not None, f"a distribution has no {p}"
        path = files / str(g.value(d, DCTERMS.title))
        assert int(g.value(d, DCAT.byteSize)) == path.stat().st_size
        assert str(g.value(g.value(d, SPDX.checksum), SPDX.checksumValue)) == hashlib.sha256(
            path.read_bytes()).hexdigest()
        assert str(g.value(d, DCAT.downloadURL)) == "https://kg.example.org/downloads/" + path.name
    media = {str(g.value(d, DCAT.mediaType)).rsplit("/", 2)[-2:][1] for d in dists}
    assert media == {"turtle", "csv"}


def test_void_serves_the_catalogue_under_the_public_url(real_app):
    saved, real_app.config["PUBLIC_URL"] = real_app.config["PUBLIC_URL"], "https://kg.example.org/"
    try:
        r = real_app.test_client().get("/void", headers={"Accept": "text/turtle"})
    finally:
        real_app.config["PUBLIC_URL"] = saved
    g = rdflib.Graph().parse(data=r.get_data(as_text=True), format="turtle")
    dataset = next(g.subjects(RDF.type, DCAT.Dataset))
    for p in DATASET_REQUIRED:
        assert g.value(dataset, p) is not None, f"/void has no {p}"
    assert (dataset, RDF.type, rdflib.URIRef("http://rdfs.org/ns/void#Dataset")) in g
    urls = {str(g.value(d, DCAT.downloadURL)) for d in g.objects(dataset, DCAT.distribution)}
    assert "https://kg.example.org/downloads/graph.nt" in urls
    assert len(list(g.objects(dataset, DCTERMS.title))) == 2  # one per language, VoID's own gives way


def test_licences_are_stated(real_client):
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "© Kartverket" in readme and "Leangen-erklæringen 2024–2027" in readme
    home = real_client.get("/").get_data(as_text=True)
    assert "CC BY 4.0" in home.split('id="downloads"')[1] and "Kartverket" in home
