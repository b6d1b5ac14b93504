"""Every palette the network and the interaction views draw with, read from ``graph/palettes.csv``.

Why data and one place: the colours are a design decision a reviewer checks (tests/test_palettes.py
simulates protanopia, deuteranopia and tritanopia and asks every pair of a palette to stay apart),
and the build, the viewer and that check must read the same values. Keys are what the model
carries: an area's position in document order (1…), a strength's or status's notation, a score.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

FILE = Path(__file__).resolve().parent / "palettes.csv"


@cache
def palettes() -> dict[str, dict[str, str]]:
    """``{palette: {key: "#rrggbb"}}`` in the file's order."""
    out: dict[str, dict[str, str]] = {}
    with FILE.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            out.setdefault(row["palette"], {})[row["key"]] = row["colour"]
    return out


#: Policy areas in document order (cycled past the eighth).
AREA_COLOURS = list(palettes()["area"].values())
#: Commitments by strength of wording (pk:strength), strongest first.
STRENGTH_COLOURS = palettes()["strength"]
#: Commitments by the promise tracker's current status (pk:StatusScheme notations); not assessed grey.
STATUS_COLOURS = palettes()["status"]
#: Interaction scores −3…+3: blue helps, orange pulls against (a diverging scale).
SCORE_COLOURS = {int(k): v for k, v in palettes()["score"].items()}
