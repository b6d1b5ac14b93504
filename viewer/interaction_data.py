"""What the interaction views read: the build's ``dist/interactions.json``.

Why they read a file and not the store: the matrix, the tensions and the rankings are computed once
by the build into ``dist/interactions.json`` (:mod:`graph.interaction_products`); these pages only
render it, so every view shows the same figures as the CSV tables and ``build-report.json``. A viewer
serving a remote store with no ``dist/`` of its own has no such file and says so (503).
"""

from __future__ import annotations

import json
from typing import Any

from flask import abort, current_app, render_template

from viewer import i18n, kg
from viewer.kg import products_dir

PRODUCT = "interactions.json"


def _read() -> dict[str, Any] | None:
    dist = products_dir()
    path = dist / PRODUCT if dist else None
    return json.loads(path.read_text(encoding="utf-8")) if path is not None and path.is_file() else None


def load() -> dict[str, Any]:
    """The build's interaction products, read once (the graph is read-only); 503 when there are none."""
    data = kg.cached("interactions", _read)
    if data is None:
        en = i18n.lang() == "en"
        text = (f"The build has not written {PRODUCT} for the graph served: run `python build.py`, then serve "
                "its dist/." if en else f"Bygget har ikke skrevet {PRODUCT} for grafen som vises: kjør "
                "`python build.py` og server dist/.")
        abort(current_app.make_response((render_template("error.html", title="503", text=text), 503)))
    return data


def text(values: dict[str, str] | None) -> str:
    """A literal in the reader's language, else in the other one."""
    values = values or {}
    return values.get(i18n.lang()) or values.get("nb") or values.get("en") or next(iter(values.values()), "")
