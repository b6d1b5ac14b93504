"""The cross-impact matrix in headless Chromium: cells coloured by score, a cell opens its rationale.

The page has no script of its own (the popover is HTML's ``popover`` attribute), so this is the
check that a reader's click really shows the link's reasons under the app's CSP. Screenshots go to
``test-artifacts/``.
"""

from __future__ import annotations

import json

import pytest
from browser_support import ARTIFACTS, require_chromium

require_chromium()


@pytest.fixture()
def page(chromium):
    """A page in its own context on the worker's Chromium; a console error fails the test."""
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not errors, f"console errors: {errors}"


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_matrix_cells_are_coloured_by_score_and_open_their_rationale(viewer_server, built_dist, page) -> None:
    data = json.loads((built_dist / "interactions.json").read_text(encoding="utf-8"))
    colours = {p["score"]: _rgb(p["color"]) for p in data["scale"]}
    page.goto(viewer_server + "/analysis/matrix?story=94")
    cells = page.locator("td.scored")
    assert cells.count() > 1
    for i in range(cells.count()):
        cell = cells.nth(i)
        score = int(cell.get_attribute("data-score"))
        assert cell.evaluate("c => getComputedStyle(c).backgroundColor") == colours[score]
    tension = page.locator('td.scored[data-score="-1"]').first
    link = next(d for d in data["links"] if d["influencer"] == tension.get_attribute("data-from")
                and d["influenced"] == tension.get_attribute("data-to"))
    popover = page.locator(f'[id="{tension.locator(":scope > button").get_attribute("popovertarget")}"]')
    assert not popover.is_visible()
    tension.locator(":scope > button").click()
    assert popover.is_visible()
    assert link["rationale"]["nb"] in popover.inner_text()
    assert link["evidence"][0]["quote"] in popover.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "matrix-story-94.png"))


def test_area_matrix_cells_are_coloured(viewer_server, page) -> None:
    page.goto(viewer_server + "/analysis/matrix")
    cells = page.locator("td.cell[data-sum]")
    assert cells.count() > 10
    backgrounds = {cells.nth(i).evaluate("c => getComputedStyle(c).backgroundColor") for i in range(cells.count())}
    assert "rgba(0, 0, 0, 0)" not in backgrounds and len(backgrounds) > 1
    page.screenshot(path=str(ARTIFACTS / "matrix-areas.png"), full_page=True)
