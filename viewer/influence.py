"""``/analysis/influence``: the SDG Synergies rankings of the commitments by their interaction scores.

Why these four: they are the measures SEI's SDG Synergies method ranks a set of goals by — net
influence (sum of out-scores), most enabling (positive out-scores), most constraining (negative
out-scores) and most influenced (sum of in-scores) — plus what stalls or gets much harder if a node
stalls, over the strong links (:func:`graph.impact.if_stalled_scored`). The build computed them
(``dist/interactions.json``, ``analysis-influence.csv``); this page sorts and shows them.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from viewer import interaction_data

bp = Blueprint("influence", __name__)
#: Each table: the measure, and whether the largest (True) or the most negative comes first.
MEASURES = (("net", True), ("enabling", True), ("constraining", False), ("influenced", True))


def ranked(rows: list[dict[str, Any]], measure: str, largest: bool, n: int) -> list[dict[str, Any]]:
    """The ``n`` nodes with the largest (or most negative) ``measure``, ties by id; zeros left out."""
    rows = [r for r in rows if r[measure]]
    return sorted(rows, key=lambda r: (-r[measure] if largest else r[measure], r["id"]))[:n]


@bp.get("/analysis/influence")
def influence_page() -> str:
    data = interaction_data.load()
    n = request.args.get("top", "15")
    n = int(n) if n.isdigit() and 0 < int(n) <= 500 else 15
    tables = {m: ranked(data["ranking"], m, largest, n) for m, largest in MEASURES}
    stalls = sorted((r for r in data["ranking"] if r["stalls"] or r["harder"]),
                    key=lambda r: (-r["stalls"], -r["harder"], r["id"]))[:n]
    return render_template("influence.html", data=data, tables=tables, stalls=stalls, top=n)
