"""The promise tracker in the graph: assessments from ``sources/status/`` and what each commitment is checked by.

The statuses and broken reasons a row may name are the ``skos:notation`` of the concepts of
``pk:StatusScheme`` and ``pk:BrokenReasonScheme`` in the ontology, so adding a status is an edit of
the ontology, not of this code. Assessments are written against the default base (the IRIs people
copy into the sheet); :func:`graph.curated.rebase` moves them with everything else.
"""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from graph.curated import DEFAULT_BASE, PK
from graph.memory import new_graph
from graph.status_rows import Row, Source, Vocabulary, read_rows
from graph.vocab import SCHEMA

# What an assessment checks, by the commitment's strength, when it states no target.
_CHECK_BY_STRENGTH = {PK.exploratory: PK.byStudy, PK.decisive: PK.byDelivery, PK.advocacy: PK.byContribution}


def notations(graph: Graph, scheme: URIRef) -> dict[str, URIRef]:
    """``skos:notation`` → concept for every concept of ``scheme``."""
    return {str(graph.value(c, SKOS.notation)): c for c in graph.subjects(SKOS.inScheme, scheme)
            if graph.value(c, SKOS.notation) is not None}


def vocabulary(graph: Graph, today: datetime.date) -> Vocabulary:
    """What the rows may name, read from the assembled graph (commitments) and the ontology in it."""
    spans = {str(c): (int(graph.value(c, PK.firstLine)), int(graph.value(c, PK.lastLine)))
             for c in graph.subjects(RDF.type, PK.Commitment)}
    return Vocabulary(spans, frozenset(notations(graph, PK.StatusScheme)),
                      frozenset(notations(graph, PK.BrokenReasonScheme)), today)


def status_graph(graph: Graph, folder: Path, today: datetime.date | None = None) -> Graph:
    """``pk:checkableBy`` for every commitment, and a ``pk:Assessment`` per checked row of ``folder``."""
    out = new_graph()
    for commitment in graph.subjects(RDF.type, PK.Commitment):
        out.add((commitment, PK.checkableBy, checkable_by(graph, commitment)))
    rows = read_rows(folder, vocabulary(graph, today or datetime.date.today()))
    statuses, reasons = notations(graph, PK.StatusScheme), notations(graph, PK.BrokenReasonScheme)
    for row in rows:
        _add_assessment(out, graph, row, statuses[row.status], reasons.get(row.reason))
    return out


def checkable_by(graph: Graph, commitment: URIRef) -> URIRef:
    """A commitment with a target is checked against it; otherwise its strength says what is checked."""
    if graph.value(commitment, PK.hasTarget) is not None:
        return PK.byTarget
    return _CHECK_BY_STRENGTH[graph.value(commitment, PK.strength)]


def assessment_iri(commitment: str, date: datetime.date) -> URIRef:
    """``…/assessment/<area>/<n>/<date>``: one assessment per commitment and date (the rows check that)."""
    tail = commitment.removeprefix(DEFAULT_BASE + "commitment/")
    return URIRef(f"{DEFAULT_BASE}assessment/{tail}/{date.isoformat()}")


def source_iri(url: str) -> URIRef:
    """One node per source URL, named by a hash of it (URLs are too long and varied for a slug)."""
    return URIRef(f"{DEFAULT_BASE}source/{hashlib.sha256(url.encode('utf-8')).hexdigest()[:16]}")


def _add_assessment(out: Graph, graph: Graph, row: Row, status: URIRef, reason: URIRef | None) -> None:
    node = assessment_iri(row.commitment, row.date)
    out.add((node, RDF.type, PK.Assessment))
    out.add((node, PK.assesses, URIRef(row.commitment)))
    out.add((node, PK.status, status))
    out.add((node, DCTERMS.date, Literal(row.date.isoformat(), datatype=XSD.date)))
    for lang in ("nb", "en"):
        label = _pref(graph, status, lang)
        out.add((node, RDFS.label, Literal(f"{label} ({row.date.isoformat()})", lang=lang)))
    if row.note:
        out.add((node, DCTERMS.description, Literal(row.note, lang="nb")))
    if row.assessor:
        out.add((node, DCTERMS.creator, Literal(row.assessor)))
    if reason is not None:
        out.add((node, PK.brokenReason, reason))
    for source in row.sources:
        out.add((node, DCTERMS.source, _add_source(out, source)))


def _add_source(out: Graph, source: Source) -> URIRef:
    node = source_iri(source.url)
    out.add((node, RDF.type, PK.StatusSource))
    out.add((node, SCHEMA.url, URIRef(source.url)))  # an IRI: stores keep it as written
    out.add((node, DCTERMS.title, Literal(source.title)))
    out.add((node, DCTERMS.publisher, Literal(source.publisher)))
    out.add((node, DCTERMS.issued, Literal(source.date.isoformat(), datatype=XSD.date)))
    return node


def _pref(graph: Graph, concept: URIRef, lang: str) -> str:
    return next((str(v) for v in graph.objects(concept, SKOS.prefLabel) if v.language == lang), str(concept))
