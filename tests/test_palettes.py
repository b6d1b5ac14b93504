"""Every palette the network draws stays readable for the common colour-vision deficiencies.

The palettes are read from where they are defined (``graph/palettes.csv`` through
:mod:`graph.palettes`, the one place the build, the viewer and this check read), never copied here.
Each is checked in normal vision and simulated protanopia, deuteranopia and tritanopia (Machado,
Oliveira & Fernandes 2009, severity 1.0, in linear RGB; ``tests/colour_vision.py``): every pair of
colours within a palette must stay at least ``MIN_DELTA_E`` apart in **CIEDE2000** (ΔE00), about
where two swatches read as different colours at a glance rather than shades of one. ΔE00, not
CIE76: CIE76 overstates differences between saturated blues and between dark colours.
"""

from __future__ import annotations

from itertools import combinations

import pytest
from colour_vision import VISIONS, ciede2000, difference

from graph import palettes

MIN_DELTA_E = 10.0
#: What the network colours with each palette (the strength and status palettes colour commitments,
#: the area palette commitments, areas and topics, the score palette the links).
PALETTES = {
    "area": palettes.AREA_COLOURS,
    "strength": list(palettes.STRENGTH_COLOURS.values()),
    "status": list(palettes.STATUS_COLOURS.values()),
    "score": list(palettes.SCORE_COLOURS.values()),
}


def test_the_check_computes_ciede2000_as_published():
    """Sharma, Wu & Dalal (2005), table 1: pairs 1, 7, 17 and 25 of the reference data."""
    pairs = [((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425), ((50, 0, 0), (50, -1, 2), 2.3669),
             ((50, 2.5, 0), (73, 25, -18), 27.1492), ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644)]
    for lab1, lab2, expected in pairs:
        assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_every_palette_is_defined_and_covers_what_the_model_colours():
    from graph.tracker import STATUSES
    from viewer.network_page import STRENGTHS

    assert set(palettes.STATUS_COLOURS) == set(STATUSES) and palettes.STATUS_COLOURS["not-assessed"] == "#999999"
    assert set(palettes.STRENGTH_COLOURS) == set(STRENGTHS)
    assert set(palettes.SCORE_COLOURS) == set(range(-3, 4))
    assert len(palettes.AREA_COLOURS) >= 7  # one per policy area


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("name", list(PALETTES))
def test_every_pair_of_a_palette_stays_distinguishable(name, vision):
    too_close = [(a, b, round(difference(a, b, vision), 1)) for a, b in combinations(PALETTES[name], 2)
                 if difference(a, b, vision) < MIN_DELTA_E]
    assert too_close == [], f"{name} palette under {vision}: pairs under ΔE00 {MIN_DELTA_E}"


def test_every_area_name_reads_against_its_own_fill(built_dist):
    """The area names are the overview's biggest words: each is drawn in the text colour that
    contrasts most with its ellipse, at least 4.5:1 (WCAG AA), as the network model says."""
    import json

    model = json.loads((built_dist / "network.json").read_text(encoding="utf-8"))
    areas = [n for n in model["nodes"] if n["type"] == "PolicyArea"]
    assert len(areas) == 7
    for node in areas:
        fill, text = node["color"]["background"], node["font"]["color"]
        assert palettes.contrast(text, fill) >= 4.5, (node["label"], fill, text)
    assert palettes.contrast("#ffffff", "#000000") == pytest.approx(21)
