"""The cross-impact matrix in headless Chromium: cells coloured by score, a cell opens its rationale.

The page has no script of its own (the popover is HTML's ``popover`` attribute), so this is the
check that a reader's click really shows the link's reasons under the app's CSP. Screenshots go to
``test-artifacts/``.
"""

from __future__ import annotations

import json

import pytest
from browser_support import ARTIFACTS, checked, require_chromium, screenshot, shared_page

require_chromium()


@pytest.fixture(scope="module")
def module_page(chromium):
    """One page for both tests (browser_support.shared_page)."""
    with shared_page(chromium, viewport={"width": 1400, "height": 900}) as pg:
        yield pg


@pytest.fixture()
def page(module_page):
    """The module's page; a console error or a request leaving 127.0.0.1 during the test fails it."""
    with checked(module_page) as pg:
        yield pg


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_matrix_cells_are_coloured_by_score_and_open_their_rationale(viewer_server, built_dist, page) -> None:
    data = json.loads((built_dist / "interactions.json").read_text(encoding="utf-8"))
    colours = {p["score"]: _rgb(p["color"]) for p in data["scale"]}
    page.goto(viewer_server + "/analysis/matrix?story=94")
    # every cell's score and computed colour, read in one call (a call per cell took a second)
    cells = page.eval_on_selector_all("td.scored", "cs => cs.map(c => [Number(c.dataset.score), "
                                      "getComputedStyle(c).backgroundColor, c.dataset.from + ' → ' + c.dataset.to])")
    assert len(cells) > 1
    for score, background, link in cells:
        assert background == colours[score], (link, score, background)
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
    screenshot(page, "matrix-story-94.png")


def test_area_matrix_cells_are_coloured(viewer_server, page) -> None:
    page.goto(viewer_server + "/analysis/matrix")
    backgrounds = page.eval_on_selector_all("td.cell[data-sum]", "cs => cs.map(c => getComputedStyle(c).backgroundColor)")
    assert len(backgrounds) > 10
    backgrounds = set(backgrounds)
    assert "rgba(0, 0, 0, 0)" not in backgrounds and len(backgrounds) > 1
    page.screenshot(path=str(ARTIFACTS / "matrix-areas.png"), full_page=True)
