"""Read and check the assessments people keep in ``sources/status/`` (CSV, and XLSX beside it).

The sheet is kept by hand, by journalists and planners, so every bad cell gets a message that
names the file, the row (as a spreadsheet numbers it: the header is row 1) and the column (letter
and name), and says what to write instead. All bad cells are reported at once, and nothing is
written: the build stops before the graph is assembled into ``dist/``.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from graph.errors import BuildError

CSV_NAME = "assessments.csv"
XLSX_NAME = "assessments.xlsx"

SOURCE_FIELDS = ("url", "title", "publisher", "date")
INPUT_COLUMNS = ("commitment", "line", "date", "status", "reason", "note", "assessor",
                 *(f"source_{f}" for f in SOURCE_FIELDS), *(f"source2_{f}" for f in SOURCE_FIELDS))
# Columns of dist/status-template.* that say which commitment a row is about; ignored on reading,
# so that a filled-in template can be saved as assessments.xlsx.
CONTEXT_COLUMNS = ("area", "topic", "text", "current_status", "current_status_date")
# The columns a row fills in (a template row with none of them filled is skipped).
ASSESSMENT_COLUMNS = INPUT_COLUMNS[2:]
NOT_ASSESSED = "not-assessed"
BROKEN = "broken"


@dataclass(frozen=True)
class Source:
    url: str
    title: str
    publisher: str
    date: datetime.date


@dataclass(frozen=True)
class Row:
    """One checked assessment row."""

    where: str  # "assessments.csv, row 3", for messages further on
    commitment: str
    date: datetime.date
    status: str
    reason: str
    note: str
    assessor: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Vocabulary:
    """What a row may name: commitments with their line spans, statuses and broken reasons."""

    spans: dict[str, tuple[int, int]]
    statuses: frozenset[str]
    reasons: frozenset[str]
    today: datetime.date


class _Cells:
    """One raw row with what the messages about it need: file, row number and column letters."""

    def __init__(self, path: Path, number: int, header: list[str], values: list[str]) -> None:
        self.path, self.number, self.header = path, number, header
        self.values = dict(zip(header, values, strict=False))
        self.errors: list[str] = []

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def bad(self, column: str, message: str) -> None:
        letter = _letter(self.header.index(column)) if column in self.header else "?"
        self.errors.append(f"{self.path.name}, row {self.number}, column {letter} ({column}): {message}")


def _letter(index: int) -> str:
    """A spreadsheet's column letter for a 0-based index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_rows(folder: Path, vocabulary: Vocabulary) -> list[Row]:
    """Every assessment in ``folder`` (CSV, then XLSX), checked; one BuildError listing every bad cell."""
    tables = []
    if (folder / CSV_NAME).is_file():
        tables.append((folder / CSV_NAME, _csv_table(folder / CSV_NAME)))
    if (folder / XLSX_NAME).is_file():
        tables.append((folder / XLSX_NAME, _xlsx_table(folder / XLSX_NAME)))
    rows, errors, seen = [], [], {}
    for path, table in tables:
        header = _header(path, table)
        for number, values in enumerate(table[1:], start=2):
            cells = _Cells(path, number, header, values)
            if not any(cells.get(c) for c in ASSESSMENT_COLUMNS):
                continue  # an empty line, or a template row nobody filled in
            row = _check(cells, vocabulary)
            if row is not None:
                _check_unique(cells, row, seen)
            errors += cells.errors
            if row is not None and not cells.errors:
                rows.append(row)
    if errors:
        raise BuildError(_summary(errors))
    return rows


def _summary(errors: list[str]) -> str:
    shown = "\n".join(f"  {e}" for e in errors[:50])
    more = f"\n  … and {len(errors) - 50} more" if len(errors) > 50 else ""
    return (f"{len(errors)} bad cell(s) in the status sheets; nothing was written. Fix each one "
            f"(the columns and words allowed are in sources/status/README.md):\n{shown}{more}")


def _csv_table(path: Path) -> list[list[str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.reader(handle))
    except UnicodeDecodeError as exc:
        raise BuildError(f"the file is not valid UTF-8 (byte offset {exc.start}); save it as UTF-8 CSV.",
                         path=path) from None
    except csv.Error as exc:
        raise BuildError(f"malformed CSV: {exc}; check the quoting.", path=path) from None


def _xlsx_table(path: Path) -> list[list[str]]:
    """The first sheet as strings: dates as ISO dates, whole numbers without '.0'."""
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:  # not a workbook, or a broken one
        raise BuildError(f"cannot read the workbook ({exc}); save it as .xlsx from a spreadsheet.",
                         path=path) from None
    table = [[_cell_text(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return table


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header(path: Path, table: list[list[str]]) -> list[str]:
    if not table:
        raise BuildError("the file is empty; it needs at least the header row "
                         f"({','.join(INPUT_COLUMNS)}).", path=path)
    header = [h.strip() for h in table[0]]
    missing = [c for c in INPUT_COLUMNS if c not in header]
    unknown = [h for h in header if h and h not in INPUT_COLUMNS + CONTEXT_COLUMNS]
    if missing or unknown:
        raise BuildError(f"row 1 (the header): missing column(s) {missing}, unknown column(s) {unknown}; "
                         f"the header must name {', '.join(INPUT_COLUMNS)}.", path=path)
    return header


def _check(cells: _Cells, vocab: Vocabulary) -> Row | None:
    """The row as a :class:`Row`, or None when its commitment or date cannot even be read."""
    commitment = _commitment(cells, vocab)
    date = _date(cells, "date", vocab.today)
    status = cells.get("status")
    if status not in vocab.statuses:
        cells.bad("status", f"{status!r} is not a status of the scheme; write one of "
                            f"{', '.join(sorted(vocab.statuses))}.")
    reason = _reason(cells, status, vocab)
    sources = tuple(s for s in (_source(cells, p, vocab.today) for p in ("source", "source2")) if s)
    if status != NOT_ASSESSED and status in vocab.statuses:
        if not sources and not _source_given(cells, "source"):
            cells.bad("source_url", f"a {status!r} assessment needs a source: fill in source_url, "
                                    "source_title, source_publisher and source_date (only "
                                    "'not-assessed' needs none).")
        for column in ("note", "assessor"):
            if not cells.get(column):
                cells.bad(column, f"a {status!r} assessment needs a {column}.")
    if date and sources and date < max(s.date for s in sources):
        cells.bad("date", f"{date} is older than its newest source ({max(s.date for s in sources)}); "
                          "the date of an assessment is the date of the newest source it rests on.")
    if commitment is None or date is None:
        return None
    return Row(f"{cells.path.name}, row {cells.number}", commitment, date, status, reason,
               cells.get("note"), cells.get("assessor"), sources)


def _commitment(cells: _Cells, vocab: Vocabulary) -> str | None:
    iri = cells.get("commitment")
    if iri not in vocab.spans:
        cells.bad("commitment", f"<{iri}> is not a commitment of the platform; copy its IRI from "
                                "dist/status-template.csv (the 'commitment' column).")
        return None
    line = cells.get("line")
    first, last = vocab.spans[iri]
    if line and not (line.isdigit() and first <= int(line) <= last):
        cells.bad("line", f"{line!r} is not a line of <{iri}>, which stands on lines {first}–{last}; "
                          "give a line in that span or leave the cell empty.")
    return iri


def _date(cells: _Cells, column: str, today: datetime.date) -> datetime.date | None:
    text = cells.get(column)
    try:
        value = datetime.date.fromisoformat(text)
    except ValueError:
        cells.bad(column, f"{text!r} is not an ISO date; write it as YYYY-MM-DD, e.g. 2025-03-31.")
        return None
    if value > today:
        cells.bad(column, f"{value} lies in the future (today is {today}); an assessment records what "
                          "a published source already shows.")
        return None
    return value


def _reason(cells: _Cells, status: str, vocab: Vocabulary) -> str:
    reason = cells.get("reason")
    if status == BROKEN and reason not in vocab.reasons:
        what = f"{reason!r} is not a reason" if reason else "a 'broken' assessment needs a reason"
        cells.bad("reason", f"{what}; write one of {', '.join(sorted(vocab.reasons))}.")
    elif status != BROKEN and reason:
        cells.bad("reason", f"a reason is only given for 'broken', but the status is {status!r}; "
                            "leave the cell empty or change the status.")
    return reason


def _source_given(cells: _Cells, prefix: str) -> bool:
    return any(cells.get(f"{prefix}_{f}") for f in SOURCE_FIELDS)


def _source(cells: _Cells, prefix: str, today: datetime.date) -> Source | None:
    """The source in columns ``prefix_*``: all four filled in, or none."""
    if not _source_given(cells, prefix):
        return None
    for missing in (f"{prefix}_{f}" for f in SOURCE_FIELDS if not cells.get(f"{prefix}_{f}")):
        cells.bad(missing, "a source needs its URL, title, publisher and date; this one is empty.")
    url = cells.get(f"{prefix}_url")
    if url and not is_web_url(url):
        cells.bad(f"{prefix}_url", f"{url!r} is not an absolute http(s) URL; copy the address from the "
                                   "browser, starting with https://.")
    date = _date(cells, f"{prefix}_date", today) if cells.get(f"{prefix}_date") else None
    if date is None or not all(cells.get(f"{prefix}_{f}") for f in SOURCE_FIELDS):
        return None
    return Source(url, cells.get(f"{prefix}_title"), cells.get(f"{prefix}_publisher"), date)


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a host and no whitespace (what a reader can open)."""
    if any(c.isspace() for c in url) or any(c in url for c in '<>"{}|\\^`'):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and "." in parts.hostname


def _check_unique(cells: _Cells, row: Row, seen: dict[tuple[str, datetime.date], str]) -> None:
    """Two assessments of one commitment on one date would make its status on that date ambiguous."""
    key = (row.commitment, row.date)
    if key in seen:
        cells.bad("date", f"<{row.commitment}> already has an assessment dated {row.date} ({seen[key]}); "
                          "merge the two rows or date them apart.")
    else:
        seen[key] = row.where


def rows_by_commitment(rows: Iterable[Row]) -> dict[str, list[Row]]:
    """Each commitment's assessments, oldest first: its history."""
    history: dict[str, list[Row]] = {}
    for row in sorted(rows, key=lambda r: (r.commitment, r.date)):
        history.setdefault(row.commitment, []).append(row)
    return history
