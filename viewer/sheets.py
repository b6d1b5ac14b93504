"""A table as a download: CSV, or XLSX for the workshop facilitator who works in a spreadsheet.

Why XLSX at all: a facilitator scores and discusses the matrix in Excel or LibreOffice; the file has
one header row, frozen with the first column so labels stay in view, and columns sized to their text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Table = Sequence[Sequence[Any]]
MAX_WIDTH = 60


def csv_bytes(table: Table) -> bytes:
    """UTF-8 with a byte order mark, so Excel reads the Norwegian letters right."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(table)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx_bytes(table: Table, title: str) -> bytes:
    """One sheet: the header row bold and frozen (with the first column), columns as wide as their text."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    for row in table:
        ws.append(list(row))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "B2"
    for i, column in enumerate(ws.iter_cols(values_only=True), start=1):
        width = max((len(str(v)) for v in column if v is not None), default=4)
        ws.column_dimensions[get_column_letter(i)].width = min(width + 2, MAX_WIDTH)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
