"""The dataset's description for catalogues (DCAT-AP-NO), written by the build as ``dist/dcat.ttl``.

``sources/catalogue.ttl`` says what the dataset is (title, description, publisher, licence, the
source it credits); the build adds what only the build knows: the landing page (the viewer's
address, ``--viewer-url``), when it was modified, and one ``dcat:Distribution`` per file of ``dist/``
with its media type, byte size and SHA-256 checksum. It runs last, so the sums are of the files as
published. ``/void`` serves it merged with the VoID counts (:mod:`viewer.sparql_description`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from graph.memory import new_graph
from graph.reproducible import source_date_epoch
from graph.vocab import DEFAULT_DATASET_IRI

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "sources" / "catalogue.ttl"
STATUS_FILE = ROOT / "sources" / "status" / "assessments.csv"
DATASET = URIRef(DEFAULT_DATASET_IRI)
SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"
NAME = "dcat.ttl"

#: File suffix → IANA media type (GEXF and GraphML have none registered: XML).
MEDIA_TYPES = {
    ".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml", ".json": "application/json", ".csv": "text/csv", ".html": "text/html",
    ".gexf": "application/xml", ".graphml": "application/xml", ".geojson": "application/geo+json",
}


def sha256(path: Path) -> str:
    """The file's SHA-256, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def add_distribution(g: Graph, path: Path, viewer_url: str) -> None:
    """One file of dist/ as a dcat:Distribution of the dataset."""
    media = MEDIA_TYPES.get(path.suffix, "application/octet-stream")
    url = URIRef(viewer_url + "downloads/" + path.name)
    d, checksum = BNode(f"dist-{path.name}"), BNode(f"sum-{path.name}")
    g.add((DATASET, DCAT.distribution, d))
    for p, o in ((RDF.type, DCAT.Distribution), (DCTERMS.title, Literal(path.name)),
                 (DCAT.accessURL, url), (DCAT.downloadURL, url), (DCAT.mediaType, URIRef(IANA + media)),
                 (DCAT.byteSize, Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger)),
                 (DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")),
                 (SPDX.checksum, checksum)):
        g.add((d, p, o))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(sha256(path), datatype=XSD.hexBinary)))


def modified(graph: Graph, status_file: Path = STATUS_FILE) -> dt.date:
    """When the data last changed, without reading a clock (a rebuild must give the same bytes):
    ``SOURCE_DATE_EPOCH`` when set (reproducible-builds.org), else the newest of the catalogue's
    ``dct:issued`` and the dates of the status assessments."""
    epoch = source_date_epoch()
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, dt.UTC).date()
    dates = [dt.date.fromisoformat(str(d)) for d in graph.objects(DATASET, DCTERMS.issued)]
    if status_file.exists():
        with status_file.open(encoding="utf-8-sig", newline="") as fh:
            dates += [dt.date.fromisoformat(row["date"]) for row in csv.DictReader(fh) if row.get("date")]
    return max(dates)


def describe(out: Path, viewer_url: str, today: dt.date | None = None) -> Graph:
    """The catalogue entry for the files now in ``out``."""
    g = new_graph()
    g.parse(CATALOGUE, format="turtle")
    g.bind("dcat", DCAT)
    g.bind("dct", DCTERMS)
    g.bind("spdx", SPDX)
    g.add((DATASET, DCAT.landingPage, URIRef(viewer_url)))
    g.add((DATASET, DCTERMS.modified, Literal((today or modified(g)).isoformat(), datatype=XSD.date)))
    for path in sorted(out.iterdir()):
        if path.is_file() and path.name != NAME and not path.name.startswith("."):
            add_distribution(g, path, viewer_url)
    return g


def write_catalogue(out: Path, viewer_url: str) -> Path:
    """``dist/dcat.ttl``: the description of every file already written to ``out``."""
    target = out / NAME
    describe(out, viewer_url).serialize(target, format="turtle", encoding="utf-8")
    return target
