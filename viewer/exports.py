"""Every list is data too (Datasette's convention): rows turned into CSV, XLSX or JSON.

One module for every list route, so a page and its downloads always hold the same rows:

* **CSV** for Norwegian Excel: UTF-8 with a byte-order mark (without it Excel reads UTF-8 as
  Windows-1252 and "Brattøra" becomes "BrattÃ¸ra") and ``;`` between fields (Norwegian Excel's list
  separator, because ``,`` is the decimal comma: a comma-separated file opens as one column).
* **XLSX** with openpyxl: one header row, frozen, columns sized to their content.
* **JSON**: ``{"columns": [{"key", "title"}], "rows": [{key: value}]}``.

Headers and values are in the page's language (``forpliktende``, not ``decisive``); every table has the
row's IRI and, where it has them, its source lines.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Response

from viewer import i18n

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
#: The data licence, stated in every download (JSON) and beside every download link.
LICENCE = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Column:
    """One column: the row key, the header in bokmål and English, and how a value is shown."""

    key: str
    nb: str
    en: str
    show: Callable[[Any], Any] | None = None

    def title(self) -> str:
        """The header in the page's language."""
        return self.en if i18n.lang() == "en" else self.nb


def term(value: Any) -> str:
    """An ontology term (strength, kind) as its label in the page's language."""
    return i18n.term_label(value) if value else ""


def joined(value: Any) -> str:
    """A list of values as one cell."""
    return "; ".join(str(v) for v in value) if isinstance(value, (list, tuple, set)) else value


def lines(row: dict[str, Any]) -> str:
    """Source lines as a reader cites them: ``214`` or ``214–216``."""
    first, last = row.get("first_line"), row.get("last_line")
    if not first:
        return ""
    return f"{first}–{last}" if last and last != first else str(first)


IRI = Column("iri", "IRI", "IRI")
LINES = Column("lines", "Linjer i dokumentet", "Lines in the document")


def cells(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> list[list[Any]]:
    """The rows as shown: each column's value through its ``show`` (``lines`` from the row's lines)."""
    out = []
    for row in rows:
        values = []
        for c in columns:
            value = lines(row) if c.key == "lines" and "lines" not in row else row.get(c.key)
            value = c.show(value) if c.show and value is not None else value
            values.append("" if value is None else joined(value))
        out.append(values)
    return out


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> bytes:
    """UTF-8 with BOM, ``;``-separated, a header row: what Norwegian Excel opens as columns."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.title() for c in columns])
    comma = i18n.lang() == "nb"  # 0,25 is a number to Norwegian Excel; 0.25 is text
    writer.writerows([[str(v).replace(".", ",") if comma and isinstance(v, float) else v for v in r]
                      for r in cells(rows, columns)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[dict[str, Any]], columns: Sequence[Column], sheet: str) -> bytes:
    """One sheet: a bold header row, frozen, columns as wide as their content (within reason)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31] or "data"
    ws.append([c.title() for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    table = cells(rows, columns)
    for values in table:
        ws.append(values)
    ws.freeze_panes = "A2"
    for i, c in enumerate(columns, start=1):
        longest = max([len(c.title())] + [len(str(r[i - 1])) for r in table])
        ws.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, 8), 80)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_json(rows: Sequence[dict[str, Any]], columns: Sequence[Column], meta: dict[str, Any]) -> bytes:
    """The same cells keyed by column, with the headers and the licence."""
    body = {**meta, "license": LICENCE, "columns": [{"key": c.key, "title": c.title()} for c in columns],
            "rows": [dict(zip([c.key for c in columns], r)) for r in cells(rows, columns)]}
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def respond(fmt: str, rows: Sequence[dict[str, Any]], columns: Sequence[Column], name: str,
            meta: dict[str, Any] | None = None) -> Response:
    """The rows as a download in ``fmt`` (``csv``, ``xlsx``, ``json``), named ``name.fmt``."""
    if fmt == "csv":
        data = to_csv(rows, columns)
    elif fmt == "xlsx":
        data = to_xlsx(rows, columns, name)
    else:
        data = to_json(rows, columns, meta or {})
    disposition = "inline" if fmt == "json" else "attachment"
    return Response(data, content_type=FORMATS[fmt],
                    headers={"Content-Disposition": f'{disposition}; filename="{name}.{fmt}"',
                             "Link": f'<{LICENCE}>; rel="license"'})
