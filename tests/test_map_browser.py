"""The maps in headless Chromium: /map, a place page's zoomed map and the SPARQL editor's map view.

The real graph and its map products are served on 127.0.0.1; every test checks that no request left
127.0.0.1, that the console shows no error and that the CSP was not violated. Screenshots go to
``test-artifacts/map-*.png``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, checked, require_chromium, shared_page

require_chromium()
DRAWN = "figure.map[data-ready]"
AREA_KINDS = {"city", "borough"}  # drawn as outlines, not markers
POINT = re.compile(r"POINT\s*\(\s*(\S+)\s+(\S+)\s*\)")


@pytest.fixture(scope="module")
def model(built_dist) -> dict:
    return json.loads((built_dist / "map.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def module_page(chromium):
    """One page for the module's tests (browser_support.shared_page): a CSP violation is a console error."""
    with shared_page(chromium, viewport={"width": 1200, "height": 1000}) as pg:
        yield pg


@pytest.fixture()
def page(module_page):
    """The module's page; console errors (a CSP violation is one) and any request leaving 127.0.0.1
    during the test fail it. Each test opens its own URLs (none differs from another only in its hash)."""
    with checked(module_page) as pg:
        yield pg


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"map-{name}.png"), full_page=True)


def _in_box(box: list[float], lon: float, lat: float) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


LABEL_BOXES = """(sel) => [...document.querySelectorAll(sel + ' text.label')].map(t => {
  const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom, t.textContent]; })"""


def _overlaps(boxes: list) -> list:
    """Pairs of label boxes that overlap by more than half a pixel each way."""
    return [(a[4], b[4]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5]


def test_map_draws_outlines_and_a_marker_per_place(page, viewer_server, model):
    page.goto(f"{viewer_server}/map")
    page.wait_for_selector(DRAWN)
    assert page.locator("svg.kg-map path.municipality").count() == 1
    assert page.locator("svg.kg-map path.sea").count() == 1
    boroughs = {b["iri"] for b in model["outlines"]["boroughs"]}
    assert len(boroughs) == 4
    drawn = set(page.eval_on_selector_all("svg.kg-map a.borough", "els => els.map(e => e.dataset.iri)"))
    assert drawn == boroughs
    markers = set(page.eval_on_selector_all("svg.kg-map a.marker.place", "els => els.map(e => e.dataset.iri)"))
    expected = {p["iri"] for p in model["places"] if p["kind"] not in AREA_KINDS and _in_box(model["bbox"], p["lon"], p["lat"])}
    assert markers == expected
    outside = page.locator("p.map-outside a").all_inner_texts()
    assert set(outside) == {p["nb"] for p in model["places"] if not _in_box(model["bbox"], p["lon"], p["lat"])}
    projects = set(page.eval_on_selector_all("svg.kg-map a.marker.project", "els => els.map(e => e.dataset.iri)"))
    assert projects == {pr["iri"] for pr in model["projects"]
                        if any(_in_box(model["bbox"], lon, lat) for lon, lat in pr["points"])}
    assert "© Kartverket, CC BY 4.0" in page.locator("figure.map .map-attribution").inner_text()
    assert page.locator(".map-legend .map-class").count() >= 4  # the colour scale's classes
    _shot(page, "city")


def test_labels_do_not_overlap(page, viewer_server, model):
    """Greedy placement: on the crowded city map and on zoomed place maps no two labels overlap, and
    every borough still gets its name."""
    drawn = {}
    for path in ("/map", "/place/midtbyen", "/place/heimdal", "/place/tiller"):
        page.goto(viewer_server + path)
        page.wait_for_selector(DRAWN)
        boxes = drawn[path] = page.evaluate(LABEL_BOXES, DRAWN)
        assert len(boxes) >= 5, path
        assert not _overlaps(boxes), (path, _overlaps(boxes))
    assert {b["name"] for b in model["outlines"]["boroughs"]} <= {b[4] for b in drawn["/map"]}


def test_clicking_a_marker_opens_the_place(page, viewer_server):
    page.goto(f"{viewer_server}/map")
    page.wait_for_selector(DRAWN)
    # the marker farthest from every other marker, so the click cannot land on a neighbour
    iri = page.evaluate("""() => {
      const ms = [...document.querySelectorAll('svg.kg-map a.marker')].map(a => {
        const r = a.getBoundingClientRect(); return [a, r.x + r.width / 2, r.y + r.height / 2]; });
      const places = ms.filter(m => m[0].classList.contains('place'));
      const far = m => Math.min(...ms.filter(o => o !== m).map(o => Math.hypot(o[1] - m[1], o[2] - m[2])));
      return places.sort((a, b) => far(b) - far(a))[0][0].dataset.iri; }""")
    page.locator(f'svg.kg-map a.marker.place[data-iri="{iri}"]').click()
    slug = iri.rsplit("/", 1)[1]
    page.wait_for_url(f"**/place/{slug}")
    page.wait_for_selector(DRAWN)
    assert page.locator(f'svg.kg-map a.marker.focus[data-iri="{iri}"]').count() == 1


def test_place_page_shows_the_map_zoomed_to_it(page, viewer_server, model):
    """Tiller's map shows fewer places than the city's (the places in the box, which /map draws:
    test_map_draws_outlines_and_a_marker_per_place), Heimdal's outlines the borough."""
    city = sum(1 for p in model["places"] if p["kind"] not in AREA_KINDS and _in_box(model["bbox"], p["lon"], p["lat"]))
    page.goto(f"{viewer_server}/place/tiller")
    page.wait_for_selector(DRAWN)
    tiller = next(p for p in model["places"] if p["iri"].endswith("/place/tiller"))
    assert page.locator(f'svg.kg-map a.marker.focus[data-iri="{tiller["iri"]}"]').count() == 1
    assert 0 < page.locator("svg.kg-map a.marker.place").count() < city
    assert page.locator("svg.kg-map path.municipality").count() == 1
    _shot(page, "place-tiller")
    page.goto(f"{viewer_server}/place/heimdal")
    page.wait_for_selector(DRAWN)
    assert page.locator('svg.kg-map a.borough.focus[data-iri$="/place/heimdal"]').count() == 1
    _shot(page, "place-heimdal")


def test_editor_shows_wkt_results_on_the_map(page, viewer_server, built, model):
    """Example query 12 (places with their WKT points): the editor's map view draws every point in
    the city's box, on the same outlines, with no tile request."""
    query = next((Path(__file__).resolve().parent.parent / "viewer" / "queries").glob("12-*.rq"))
    rows = built.graph.query(query.read_text(encoding="utf-8"))
    points = [tuple(float(x) for x in POINT.search(str(r.wkt)).groups()) for r in rows if r.wkt is not None]
    inside = [p for p in points if _in_box(model["bbox"], *p)]
    assert inside
    page.goto(f"{viewer_server}/sparql#example={query.stem}")
    page.locator(".tabPanel.active .yasr table tbody a.iri").first.wait_for(timeout=15_000)
    page.locator(".tabPanel.active .yasr .select_map").click()
    figure = ".tabPanel.active figure.map-results[data-ready]"
    page.wait_for_selector(figure)
    assert page.locator(f"{figure} svg path.municipality").count() == 1
    assert page.locator(f"{figure} a.marker.point").count() == len(inside)
    assert "© Kartverket" in page.locator(f"{figure} .map-attribution").inner_text()
    assert not _overlaps(page.evaluate(LABEL_BOXES, figure))
    _shot(page, "editor")
