"""``dist/status-template.csv`` and ``.xlsx``: every commitment pre-filled, ready for new assessments.

A row names the commitment (IRI, a line of it, area, topic, text) and its current status; the
assessment columns are left empty. Filled in and saved as ``sources/status/assessments.xlsx`` (or its
rows pasted into ``assessments.csv``), it is read by the build as it is: the context columns are
ignored and rows left empty are skipped (graph/status_rows.py).

The workbook is written reproducibly, like every file of ``dist/``: openpyxl stamps the time of
saving into the document properties and the zip entries, so both are set to a fixed date.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from graph.curated import PK
from graph.status_rows import CONTEXT_COLUMNS, INPUT_COLUMNS

COLUMNS = (*INPUT_COLUMNS[:2], *CONTEXT_COLUMNS, *INPUT_COLUMNS[2:])
NAME = "status-template"
_FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
_FIXED_W3CDTF = "2024-01-01T00:00:00Z"


def current_status(graph: Graph, commitment: URIRef) -> tuple[str, str]:
    """The notation and date of the commitment's latest assessment, or not-assessed with no date."""
    latest = max(graph.subjects(PK.assesses, commitment),
                 key=lambda a: str(graph.value(a, DCTERMS.date)), default=None)
    if latest is None:
        return "not-assessed", ""
    return str(graph.value(graph.value(latest, PK.status), SKOS.notation)), str(graph.value(latest, DCTERMS.date))


def rows(graph: Graph) -> list[dict[str, str]]:
    """One row per commitment, in the order of the document."""
    commitments = sorted(graph.subjects(RDF.type, PK.Commitment), key=lambda c: int(graph.value(c, PK.firstLine)))
    table = []
    for c in commitments:
        status, date = current_status(graph, c)
        table.append({
            "commitment": str(c), "line": str(graph.value(c, PK.firstLine)),
            "area": _label(graph, graph.value(c, PK.policyArea)), "topic": _label(graph, graph.value(c, PK.topic)),
            "text": str(graph.value(c, PK.text)), "current_status": status, "current_status_date": date,
        })
    return table


def _label(graph: Graph, concept: URIRef | None) -> str:
    if concept is None:
        return ""
    return next((str(v) for v in graph.objects(concept, SKOS.prefLabel) if v.language == "nb"), "")


def write(graph: Graph, out: Path) -> None:
    """Both files of the template into ``out`` (the build's staging folder)."""
    table = rows(graph)
    (out / f"{NAME}.csv").write_bytes(_csv_bytes(table))
    (out / f"{NAME}.xlsx").write_bytes(_xlsx_bytes(table))


def _csv_bytes(table: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, COLUMNS, restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(table)
    return buffer.getvalue().encode("utf-8")


def _xlsx_bytes(table: list[dict[str, str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "assessments"
    sheet.append(list(COLUMNS))
    for row in table:
        sheet.append([row.get(c, "") for c in COLUMNS])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible_zip(buffer.getvalue())


def _reproducible_zip(data: bytes) -> bytes:
    """The workbook with fixed entry times and document dates, so the same graph gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + _FIXED_W3CDTF.encode(),
                                 content)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, content)
    return out.getvalue()
