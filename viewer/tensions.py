"""``/tensions``: every negative interaction, grouped by theme — where the platform pulls against itself.

Why a page of its own: the tensions are what a planning workshop has to settle, and they read best
side by side (both commitments' words, the rationale, the quotes it rests on). The theme is the
review's (``theme: …`` in link-review.csv) or the curated one (tension-themes.csv), set by the build.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import Blueprint, render_template

from viewer import interaction_data

bp = Blueprint("tensions", __name__)


def by_theme(data: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The negative links grouped by theme: the largest theme first, each by score then id."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in data["links"]:
        if d["score"] < 0:
            groups[d.get("theme", "")].append(d)
    return sorted(((t, sorted(ls, key=lambda d: (d["score"], d["id"]))) for t, ls in groups.items()),
                  key=lambda g: (-len(g[1]), g[0]))


@bp.get("/tensions")
def tensions_page() -> str:
    data = interaction_data.load()
    groups = by_theme(data)
    return render_template("tensions.html", data=data, groups=groups, total=sum(len(g) for _, g in groups))
