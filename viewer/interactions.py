"""The interaction views: ``/analysis/matrix`` (+ ``.csv``, ``.xlsx``), ``/tensions``, ``/analysis/influence``.

They render the build's ``dist/interactions.json`` (:mod:`viewer.interaction_data`). Register with
``from viewer import interactions; interactions.init_app(app)`` in ``create_app``.
"""

from __future__ import annotations

from typing import Any

from viewer import influence, matrix, tensions
from viewer.interaction_data import text


def init_app(app: Any) -> None:
    """Register the matrix, tensions and influence blueprints (one line in app.py)."""
    for module in (matrix, tensions, influence):
        app.register_blueprint(module.bp)
    app.add_template_global(text, "in_lang")
