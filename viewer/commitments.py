"""``/commitments``: every commitment in a table narrowed by facets, sorted by a column, the state
in the URL (``/commitments?place=heimdal&strength=exploratory&sort=-lines``) so a view is a link.

The facets and their SPARQL are in :mod:`viewer.facets`; this module reads the request, runs the
queries and renders the page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import render_template, request

from viewer import facets, i18n, kg
from viewer.page_queries import local

#: Sortable columns: URL key → the row's sort key. ``sort=-key`` sorts descending.
SORTS = {
    "area": lambda r: (r["area_ordinal"] or 99, r["ordinal"] or 0),
    "commitment": lambda r: (r["label"] or "").lower(),
    "topic": lambda r: ((r["topic_label"] or "").lower(), r["ordinal"] or 0),
    "strength": lambda r: (("decisive", "advocacy", "exploratory").index(r["strength"])
                           if r["strength"] in ("decisive", "advocacy", "exploratory") else 9),
    "lines": lambda r: r["first_line"] or 0,
}


class SortError(ValueError):
    """An unknown ``sort=`` column (shown to the reader, 400)."""


def parse_sort(value: str | None) -> tuple[str, bool]:
    """``sort=strength`` or ``sort=-strength`` → (column, descending); document order by default."""
    value = (value or "area").strip()
    column, desc = value.lstrip("-"), value.startswith("-")
    if column not in SORTS:
        raise SortError(i18n.t("sort_unknown").format(value=value, columns=", ".join(SORTS)))
    return column, desc


def commitment_rows(selection: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The commitments the selection keeps, one row each, in document order, with the current status."""
    statuses = facets.keys_by_commitment("status")
    rows: dict[str, dict[str, Any]] = {}
    for r in kg.select(facets.rows_query(selection)):
        rows.setdefault(r["c"], {
            "iri": r["c"], "label": r["label"], "text": r["text"], "area": r["area"],
            "area_label": r["areaLabel"], "area_ordinal": r["areaOrdinal"], "topic": r["topic"],
            "topic_label": r["topicLabel"], "ordinal": r["ordinal"], "strength": local(r["strength"]) or None,
            "first_line": r["first"], "last_line": r["last"], "status": (statuses.get(r["c"]) or [None])[0]})
    return sorted(rows.values(), key=SORTS["area"])


def state_url(selection: dict[str, list[str]], sort: str | None = None, path: str = "/commitments") -> str:
    """The URL of a view: one parameter per selected facet value (facets in a fixed order, so one
    view has one URL), the sort, the language."""
    pairs = [(f.name, key) for f in facets.FACETS for key in selection.get(f.name, [])]
    if sort and sort != "area":
        pairs.append(("sort", sort))
    if i18n.lang() != "nb":
        pairs.append(("lang", i18n.lang()))
    return path + ("?" + urlencode(pairs) if pairs else "")


def toggled(selection: dict[str, list[str]], name: str, key: str) -> dict[str, list[str]]:
    """The selection with one value of one facet switched on or off (other facets kept)."""
    out = {n: list(k) for n, k in selection.items()}
    keys = out.setdefault(name, [])
    if key in keys:
        keys.remove(key)
    else:
        keys.append(key)
    return {n: k for n, k in out.items() if k}


def facet_panels(selection: dict[str, list[str]], sort: str) -> list[dict[str, Any]]:
    """Every facet with its values, counts, whether each is selected and the link that toggles it."""
    panels = []
    for facet in facets.FACETS:
        chosen = selection.get(facet.name, [])
        values = [{**v, "selected": v["key"] in chosen,
                   "url": state_url(toggled(selection, facet.name, v["key"]), sort)}
                  for v in facets.counts(facet.name, selection) if v["n"] or v["key"] in chosen]
        panels.append({"name": facet.name, "title": i18n.t(facet.label_key), "options": values,
                       "selected": [v for v in values if v["selected"]]})
    return panels


def view(args: Any) -> dict[str, Any]:
    """Everything the page and its downloads show for the request's arguments (may raise the
    facet or sort errors, which name the parameter)."""
    selection = facets.parse(args)
    column, desc = parse_sort(args.get("sort"))
    sort = ("-" if desc else "") + column
    rows = sorted(commitment_rows(selection), key=SORTS[column], reverse=desc)
    return {"selection": selection, "sort": sort, "rows": rows,
            "editor_query": kg.with_prefixes(facets.rows_query(selection))}


def commitments() -> tuple[str, int] | str:
    """The faceted browser; a bad parameter gets a page that names it and what to do, status 400."""
    try:
        data = view(request.args)
    except (facets.FacetError, SortError) as err:
        return render_template("error.html", title=i18n.t("bad_parameter"), text=str(err)), 400
    selection, sort = data["selection"], data["sort"]
    columns = [{"key": c, "title": i18n.t(c if c != "lines" else "lines"),
                "url": state_url(selection, c if sort != c else "-" + c),
                "active": sort.lstrip("-") == c, "desc": sort.startswith("-")} for c in SORTS]
    return render_template("commitments.html", **data, panels=facet_panels(selection, sort), columns=columns,
                           clear_url=state_url({}, sort), state_url=state_url)
