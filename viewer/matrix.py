"""``/analysis/matrix``: the cross-impact matrix, areas × areas or commitments × commitments.

Why both: a workshop starts from the areas (which area's progress helps or hinders which, sum and
count of scores) and then opens one area, topic, place or story set to see the commitments that
carry it, each cell the score of one link (rows influence columns). Both come as CSV and XLSX
(``/analysis/matrix.csv``, ``.xlsx``, the same query parameters) for the facilitator's spreadsheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request

from graph.interactions import SCORE_COLOURS
from viewer import i18n, interaction_data, sheets

bp = Blueprint("matrix", __name__)
#: The query parameters that choose a set of commitments, and the node field each one matches.
SELECTORS = {"area": "area", "topic": "topic", "place": "places"}
MEASURES = ("sum", "count")


@dataclass
class Grid:
    """Rows influence columns; ``cells`` maps (row id, column id) to the links (or area figures)."""

    rows: list[str]
    cols: list[str]
    cells: dict[tuple[str, str], Any] = field(default_factory=dict)
    title: str = ""


def _bad(parameter: str, value: str, what: str) -> None:
    """A 400 page that names the parameter and what to give instead."""
    text = f"?{parameter}={value}: {what}"
    abort(current_app.make_response((render_template("error.html", title="400", text=text), 400)))


def chosen(data: dict[str, Any], args: Any) -> tuple[set[str], str] | None:
    """The commitments the query parameters choose (area, topic, place or story), or None for areas."""
    nodes = data["nodes"]
    for parameter, key in SELECTORS.items():
        value = args.get(parameter)
        if value:
            found = {n for n, d in nodes.items() if d.get("type") == "Commitment" and
                     (value in d.get(key, []) if isinstance(d.get(key), list) else d.get(key) == value)}
            if not found:
                _bad(parameter, value, f"no commitment has this {parameter}; give an id such as "
                     f"{parameter}/… as the network and the entity pages use it.")
            return found, value
    story = args.get("story")
    if story:
        return _story(nodes, story), story
    return None


def _story(nodes: dict[str, Any], story: str) -> set[str]:
    """A story set: commitments by id or by any source line of theirs, separated by commas."""
    found = set()
    for item in (s.strip() for s in story.split(",") if s.strip()):
        match = [n for n, d in nodes.items() if n == item or (
            item.isdigit() and d.get("lines") and d["lines"][0] <= int(item) <= d["lines"][-1])]
        if not match:
            _bad("story", story, f"'{item}' is neither a commitment id nor a line inside a commitment.")
        found.update(match)
    return found


def _order(nodes: dict[str, Any], ids: set[str]) -> list[str]:
    """Commitments in document order, then targets and projects by id."""
    return sorted(ids, key=lambda n: ((nodes.get(n, {}).get("lines") or [10**9])[0], n))


def commitment_grid(data: dict[str, Any], selected: set[str]) -> Grid:
    """Every scored link touching the selection; rows and columns are the ends of those links."""
    links = [d for d in data["links"] if d["influencer"] in selected or d["influenced"] in selected]
    ends = _order(data["nodes"], {d[k] for d in links for k in ("influencer", "influenced")} | selected)
    grid = Grid(ends, ends)
    for d in links:
        grid.cells.setdefault((d["influencer"], d["influenced"]), []).append(d)
    return grid


def area_grid(data: dict[str, Any]) -> Grid:
    """Areas × areas with the sum and count of scores."""
    areas = [a["id"] for a in data["areas"]]
    return Grid(areas, areas, {(c["from"], c["to"]): c for c in data["area_matrix"]})


def node_label(data: dict[str, Any], n: str) -> str:
    """What a row or column is called in a download: area label, or 'line N: label'."""
    area = next((a["label"] for a in data["areas"] if a["id"] == n), None)
    if area:
        return area
    d = data["nodes"].get(n, {})
    word = "line" if i18n.lang() == "en" else "linje"
    return f"{word} {d['lines'][0]}: {d.get('full', n)}" if d.get("lines") else d.get("full", n)


def cell_value(cell: Any, measure: str) -> int | None:
    """The number a cell shows: a link's score (the sum if a pair has several), or an area figure."""
    if cell is None:
        return None
    if isinstance(cell, list):
        return sum(d["score"] for d in cell)
    return cell[measure]


def table(data: dict[str, Any], grid: Grid, measure: str) -> list[list[Any]]:
    """The grid as rows for CSV/XLSX: one header row of column labels, the first column row labels."""
    header = ["→" if not grid.title else f"{grid.title} →", *(node_label(data, c) for c in grid.cols)]
    return [header, *([node_label(data, r), *(cell_value(grid.cells.get((r, c)), measure) for c in grid.cols)]
                      for r in grid.rows)]


def _grid_from_request() -> tuple[dict[str, Any], Grid, str, str]:
    data = interaction_data.load()
    measure = request.args.get("measure", "sum")
    if measure not in MEASURES:
        _bad("measure", measure, "use sum or count (areas × areas).")
    selection = chosen(data, request.args)
    if selection is None:
        return data, area_grid(data), measure, ""
    grid = commitment_grid(data, selection[0])
    grid.title = selection[1]
    return data, grid, measure, selection[1]


def colour(value: int | None, count: int = 1) -> str:
    """A cell's background: the scale's colour of the (mean) score, rounded; none for an empty cell."""
    if value is None:
        return ""
    mean = round(value / max(count, 1))
    return SCORE_COLOURS[max(-3, min(3, mean))]


@bp.get("/analysis/matrix")
def matrix_page() -> str:
    data, grid, measure, chosen_label = _grid_from_request()
    return render_template("matrix.html", data=data, grid=grid, measure=measure, chosen=chosen_label,
                           cell_value=cell_value, colour=colour, args=request.args.to_dict())


@bp.get("/analysis/matrix.<fmt>")
def matrix_download(fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        abort(404)
    data, grid, measure, chosen_label = _grid_from_request()
    rows = table(data, grid, measure)
    name = "interaction-matrix-" + re.sub(r"[^A-Za-z0-9_]+", "-", chosen_label or f"areas-{measure}").strip("-")
    if fmt == "csv":
        return Response(sheets.csv_bytes(rows), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return Response(sheets.xlsx_bytes(rows, "matrix"),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
