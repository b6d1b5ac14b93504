"""The status sheets (sources/status/): every bad row stops the build with file, row and column; good
rows become pk:Assessment nodes; the template of all commitments is a product of the build.

The sheets are read by ``graph.status.status_graph`` during the build; most tests call it on the
session's graph (conftest.py), and one goes through ``build.py --status`` end to end.
"""

from __future__ import annotations

import csv
import datetime
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from build_support import fails_cleanly
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from graph import status, status_template
from graph.curated import PK
from graph.errors import BuildError
from graph.pipeline import Built
from graph.status_rows import INPUT_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
STATUS = ROOT / "sources" / "status"
HELSE_5 = "https://leangen-kg.org/id/commitment/helse-eldre/5"  # lines 144–144
SOURCE = {"source_url": "https://www.example.org/sak/1", "source_title": "Sak", "source_publisher": "Avis",
          "source_date": "2025-01-10"}


def _row(**cells: str) -> dict[str, str]:
    """A valid in-progress row for helse-eldre/5, with ``cells`` replaced."""
    row = {"commitment": HELSE_5, "line": "144", "date": "2025-01-10", "status": "in-progress", "reason": "",
           "note": "Kilden viser at arbeidet er i gang.", "assessor": "test", **SOURCE}
    return {**row, **cells}


def _status_copy(tmp_path: Path, extra: list[dict[str, str]]) -> Path:
    """A copy of sources/status/ with ``extra`` rows after the real ones (rows 8, 9 …)."""
    folder = tmp_path / "status"
    shutil.copytree(STATUS, folder)
    with (folder / "assessments.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, INPUT_COLUMNS, restval="", lineterminator="\r\n").writerows(extra)
    return folder


REAL_ROWS = sum(1 for _ in csv.reader(io.StringIO((STATUS / "assessments.csv").read_text(encoding="utf-8"))))
ROW = REAL_ROWS + 1  # the first added row, as a spreadsheet numbers it
NO_SOURCE = {k: "" for k in SOURCE}

# (what is wrong, the bad row, the column letter and name, words the message must hold)
BAD_ROWS: list[tuple[str, dict[str, str], str, list[str]]] = [
    ("unknown commitment", _row(commitment="https://leangen-kg.org/id/commitment/helse-eldre/999"),
     "A (commitment)", ["is not a commitment of the platform", "dist/status-template.csv"]),
    ("status not in the scheme", _row(status="done"), "D (status)",
     ["'done' is not a status of the scheme", "in-progress", "not-verifiable"]),
    ("date in the future", _row(date="2999-01-01"), "C (date)", ["2999-01-01 lies in the future"]),
    ("date not ISO", _row(date="10.01.2025"), "C (date)", ["'10.01.2025' is not an ISO date", "YYYY-MM-DD"]),
    ("missing source", _row(**NO_SOURCE), "H (source_url)", ["'in-progress' assessment needs a source"]),
    ("malformed URL", _row(source_url="www.example.org/sak"), "H (source_url)",
     ["'www.example.org/sak' is not an absolute http(s) URL"]),
    ("reason on a non-broken row", _row(reason="no-majority"), "E (reason)",
     ["a reason is only given for 'broken'", "'in-progress'"]),
    ("broken without a reason", _row(status="broken"), "E (reason)", ["a 'broken' assessment needs a reason",
                                                                     "outside-municipal-power"]),
    ("reason not in the scheme", _row(status="broken", reason="money"), "E (reason)",
     ["'money' is not a reason"]),
    ("line outside the commitment", _row(line="200"), "B (line)", ["'200' is not a line of", "lines 144–144"]),
    ("older than its source", _row(date="2025-01-09"), "C (date)", ["older than its newest source (2025-01-10)"]),
    ("two assessments on one date", _row(date="2025-08-28", source_date="2025-08-28"), "C (date)",
     ["already has an assessment dated 2025-08-28 (assessments.csv, row 7)"]),
]


def _refused(built: Built, folder: Path) -> str:
    """What the build says when it reads ``folder`` as its status sheets (the stage that refuses them)."""
    with pytest.raises(BuildError) as err:
        status.status_graph(built.graph, folder)
    return str(err.value)


@pytest.mark.parametrize(("wrong", "row", "column", "expected"), BAD_ROWS, ids=[case[0] for case in BAD_ROWS])
def test_a_bad_row_stops_the_build_naming_file_row_and_column(
    built: Built, tmp_path: Path, wrong: str, row: dict[str, str], column: str, expected: list[str],
) -> None:
    err = _refused(built, _status_copy(tmp_path, [row]))
    assert f"assessments.csv, row {ROW}, column {column}: " in err, err
    assert "nothing was written" in err
    for fragment in expected:
        assert fragment in err, f"{wrong}: {fragment!r} not in {err!r}"


def test_every_bad_cell_is_reported_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """End to end: ``build.py --status`` stops, says so once for every bad cell, and leaves dist/ as it was."""
    folder = _status_copy(tmp_path, [_row(status="done"), _row(date="2999-01-01", line="145")])
    err = fails_cleanly(tmp_path, capsys, ["--status", str(folder)])
    assert "3 bad cell(s)" in err
    assert f"row {ROW}, column D (status)" in err
    assert f"row {ROW + 1}, column C (date)" in err and f"row {ROW + 1}, column B (line)" in err


def _xlsx(folder: Path, rows: list[dict[str, str]]) -> None:
    book = openpyxl.Workbook()
    book.active.append(list(INPUT_COLUMNS))
    for row in rows:
        book.active.append([row.get(c, "") for c in INPUT_COLUMNS])
    book.save(folder / "assessments.xlsx")


def test_a_workbook_beside_the_csv_is_checked_the_same_way(built: Built, tmp_path: Path) -> None:
    folder = _status_copy(tmp_path, [])
    _xlsx(folder, [_row(), _row(date="2025-02-01", source_url="ftp://example.org/x", source_date="2025-02-01")])
    err = _refused(built, folder)
    assert "assessments.xlsx, row 3, column H (source_url): 'ftp://example.org/x' is not an absolute" in err


TODAY = datetime.date(2026, 1, 1)


def _graph_with(built: Built, tmp_path: Path, rows: list[dict[str, str]]) -> Graph:
    folder = tmp_path / "status"
    folder.mkdir()
    _xlsx(folder, rows)
    return status.status_graph(built.graph, folder, today=TODAY)


def test_rows_become_assessments_with_history_kept(built: Built, tmp_path: Path) -> None:
    later = {"date": "2025-11-03", "status": "broken", "reason": "not-prioritised", "source_date": "2025-11-01"}
    g = _graph_with(built, tmp_path, [_row(), _row(**later)])
    assessments = sorted(g.subjects(PK.assesses, URIRef(HELSE_5)))
    assert [str(g.value(a, DCTERMS.date)) for a in assessments] == ["2025-01-10", "2025-11-03"]
    assert [g.value(a, PK.status) for a in assessments] == [PK.inProgress, PK.broken]
    assert g.value(assessments[1], PK.brokenReason) == PK.notPrioritised
    source = g.value(assessments[0], DCTERMS.source)
    assert str(g.value(source, DCTERMS.publisher)) == "Avis" and str(g.value(source, DCTERMS.issued)) == "2025-01-10"
    g += built.graph  # with the real row of 2025-08-28 in between: the latest wins
    assert status_template.current_status(g, URIRef(HELSE_5)) == ("broken", "2025-11-03")


def test_a_not_assessed_row_needs_no_source(built: Built, tmp_path: Path) -> None:
    g = _graph_with(built, tmp_path, [_row(status="not-assessed", note="", assessor="", **NO_SOURCE)])
    (assessment,) = g.subjects(PK.assesses, URIRef(HELSE_5))
    assert g.value(assessment, PK.status) == PK.notAssessed and g.value(assessment, DCTERMS.source) is None


@pytest.mark.parametrize(("commitment", "expected"), [
    # "tilrettelegge for … 1800 nye boliger i året": advocacy wording, but a target decides
    ("https://leangen-kg.org/id/commitment/byutvikling/11", PK.byTarget),
    ("https://leangen-kg.org/id/commitment/helse-eldre/31", PK.byStudy),  # "utrede opprettelsen …"
    (HELSE_5, PK.byDelivery),  # "innføre fritt brukervalg …"
    ("https://leangen-kg.org/id/commitment/helse-eldre/16", PK.byContribution),  # "jobbe for at fastlegene …"
])
def test_what_a_commitment_is_checked_by_follows_its_target_and_strength(
        built: Built, commitment: str, expected: URIRef) -> None:
    assert status.checkable_by(built.graph, URIRef(commitment)) == expected


@pytest.fixture(scope="module")
def template(built_dist: Path) -> Path:
    """The dist/ the session's build wrote from sources/status/ (conftest.py)."""
    return built_dist


def test_the_template_lists_every_commitment_with_its_current_status(template: Path) -> None:
    with (template / "status-template.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == 285
    latest = {r["commitment"]: r for r in table}
    assert latest["https://leangen-kg.org/id/commitment/kultur-idrett-friluftsliv/25"]["current_status"] == "stalled"
    assert latest[HELSE_5]["current_status"] == "in-progress"
    assert sum(r["current_status"] != "not-assessed" for r in table) == len({
        r["commitment"] for r in csv.DictReader((STATUS / "assessments.csv").open(encoding="utf-8"))})
    sheet = openpyxl.load_workbook(template / "status-template.xlsx").active
    assert [[c.value or "" for c in row] for row in sheet.iter_rows(min_row=2, max_row=3)] == [
        [r[c] for c in status_template.COLUMNS] for r in table[:2]]


def test_a_filled_in_template_is_read_back_as_input(built: Built, template: Path, tmp_path: Path) -> None:
    folder = tmp_path / "status"
    folder.mkdir()
    book = openpyxl.load_workbook(template / "status-template.xlsx")
    sheet = book.active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == HELSE_5)
    for column, value in _row(date="2025-09-01", source_date="2025-09-01", status="kept").items():
        row[header.index(column)].value = value
    book.save(folder / "assessments.xlsx")
    graph = status.status_graph(built.graph, folder)  # what the build adds from ``--status folder``
    assert {graph.value(a, PK.status) for a in graph.subjects(PK.assesses, URIRef(HELSE_5))} == {PK.kept}


