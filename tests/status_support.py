"""Helpers for the promise tracker's tests: sources/status/assessments.csv read with the csv module (not with
the viewer's SPARQL or graph/tracker.py), and the status scheme's labels read from a graph's ontology."""

from __future__ import annotations

import csv
from pathlib import Path

import rdflib
from rdflib import SKOS, Literal

#: The day the tracker tests look at the statuses on.
AS_OF = "2026-01-01"
ASSESSMENTS = Path(__file__).resolve().parent.parent / "sources" / "status" / "assessments.csv"


def assessment_rows() -> list[dict[str, str]]:
    """The rows of assessments.csv, oldest first (ISO dates sort as dates)."""
    with ASSESSMENTS.open(encoding="utf-8", newline="") as handle:
        return sorted(csv.DictReader(handle), key=lambda r: r["date"])


def latest_statuses() -> dict[str, str]:
    """Each assessed commitment's status in its latest assessment."""
    return {r["commitment"]: r["status"] for r in assessment_rows()}  # a later row overwrites an earlier one


def ontology_label(graph: rdflib.Graph, notation: str, language: str) -> str:
    """The prefLabel in ``language`` of the concept with this skos:notation, from the graph's ontology."""
    concept = next(graph.subjects(SKOS.notation, Literal(notation)))
    return next(str(x) for x in graph.objects(concept, SKOS.prefLabel) if x.language == language)
