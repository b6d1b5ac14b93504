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


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(background: str) -> str:
    """White or near-black, whichever reads better on ``background``: white on the orange area was
    2.2:1, too faint for the back of a room."""
    return max(("#ffffff", "#1a1a1a"), key=lambda text: contrast(text, background))


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
