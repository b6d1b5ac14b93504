"""The network decorated (size by a measure, colour commitments by strength or status), its legend
and its exports, in headless Chromium at 1280×720 and 1920×1080.

What a presenter relies on: a link such as ``#size=betweenness&colour=strength`` opens decorated and
still keeps the room's rules (labels ≥ 14 px, none overlapping, nothing under an overlay); the legend
explains exactly what is drawn; the offline ``dist/network.html`` exports PNG and SVG with no network
at all (every request but ``file:`` is aborted). Screenshots and exports go to ``test-artifacts/``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from browser_support import ARTIFACTS, require_chromium
from network_room_support import download, goto, legibility_problems, network_url, settle

require_chromium()

DECORATED = "detail=1&size=betweenness&colour=strength"
SVG = "{http://www.w3.org/2000/svg}"


def _open(page, url: str) -> None:
    goto(page, url)  # afresh: the page is shared, and the last test's toolbar choices must not carry over
    settle(page)


def _offline(page) -> list[str]:
    """Abort every request that is not a file: what the offline page may not need. Returns them."""
    blocked: list[str] = []

    def handle(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    return blocked


def _legend(page) -> dict[str, list[str]]:
    """The legend as drawn: group → entry texts (titles left out)."""
    return page.evaluate("""Object.fromEntries(Array.from(document.querySelectorAll('#legend-items ul'))
        .map(ul => [ul.dataset.group, Array.from(ul.querySelectorAll('li:not(.legend-title)'))
        .map(li => li.textContent.trim())]))""")


def _drawn(page) -> dict:
    """What vis-network draws now: visible nodes (type, strength, status, colour, size) and edges."""
    return page.evaluate("""() => { const k = window.kgNetwork, DATA = JSON.parse(document.getElementById('kg-data').textContent);
        const model = Object.fromEntries(DATA.model.nodes.map(n => [n.id, n]));
        const nodes = k.nodes.get({filter: n => !n.hidden}).map(n => ({id: n.id, type: n.type,
            strength: model[n.id].strength || null, status: model[n.id].status || null,
            betweenness: model[n.id].betweenness, colour: n.color.background, size: n.size}));
        const shown = new Set(nodes.map(n => n.id));
        const edges = k.edges.get({filter: e => !e.hidden && shown.has(e.from) && shown.has(e.to)})
            .map(e => ({score: e.score === undefined ? null : e.score, dashes: !!e.dashes}));
        return {nodes, edges, terms: DATA.terms, palettes: DATA.decorate.palettes}; }""")


@pytest.mark.parametrize("where", ["served", "offline"])
def test_a_decorated_link_keeps_the_room_rules(room, viewer_server, built_dist, where):
    """size=betweenness&colour=strength: commitments in their strength's colour, nodes sized by
    betweenness (the largest for the most between), and every drawn label still legible."""
    _open(room, network_url(where, viewer_server, built_dist, DECORATED))
    ARTIFACTS.mkdir(exist_ok=True)
    room.screenshot(path=str(ARTIFACTS / f"decorate-betweenness-strength-{where}-{room.size_name}.png"))
    view = room.evaluate("window.leangen.view()")
    assert view["labels"] and legibility_problems(view) == []
    drawn = _drawn(room)
    colours = {p["id"]: p["color"] for p in drawn["palettes"]["strength"]}
    commitments = [n for n in drawn["nodes"] if n["type"] == "Commitment"]
    assert commitments and all(n["colour"] == colours[n["strength"]] for n in commitments)
    sized = sorted((n for n in drawn["nodes"] if n["betweenness"] is not None), key=lambda n: n["betweenness"])
    assert sized[0]["size"] < sized[-1]["size"]  # the scale is the measure's, not one size for all
    assert room.input_value("#d-size") == "betweenness" and room.input_value("#d-colour") == "strength"


def test_the_toolbar_decorates_and_the_url_keeps_it(room, viewer_server):
    """Choosing in the toolbar writes size= and colour= into the link a presenter copies."""
    _open(room, f"{viewer_server}/network#place=place/heimdal")
    room.select_option("#d-size", "degree")
    room.select_option("#d-colour", "status")
    settle(room)
    assert "size=degree" in room.evaluate("location.hash") and "colour=status" in room.evaluate("location.hash")
    assert legibility_problems(room.evaluate("window.leangen.view()")) == []
    room.select_option("#d-colour", "")  # back to area: nothing in the URL
    assert "colour=" not in room.evaluate("location.hash")


@pytest.mark.parametrize("fragment", [DECORATED, "place=place/heimdal&colour=status&size=influence",
                                      "area=area/byutvikling", "focus=place/tiller&depth=1&colour=strength"])
def test_the_legend_explains_what_is_drawn_and_nothing_else(room, viewer_server, fragment):
    _open(room, f"{viewer_server}/network#{fragment}")
    legend, drawn = _legend(room), _drawn(room)
    terms = drawn["terms"]
    types = {n["type"] for n in drawn["nodes"]}
    assert set(legend["types"]) == {terms[t] for t in types}
    commitments = [n for n in drawn["nodes"] if n["type"] == "Commitment"]
    colour = "strength" if "colour=strength" in fragment else "status" if "colour=status" in fragment else ""
    if colour:
        assert set(legend["colour"]) == {terms[n[colour]] for n in commitments}
    else:
        assert "colour" not in legend
    assert ("size" in legend) == ("size=" in fragment)
    scores = {e["score"] for e in drawn["edges"] if e["score"] is not None}
    assert len(legend.get("scores", [])) == len(scores)
    assert {s.split()[0] for s in legend.get("scores", [])} == {f"{s:+d}" for s in scores}
    styles = {e["dashes"] for e in drawn["edges"]}
    assert len([e for e in legend["edges"] if e.startswith(("stiplet", "hel:"))]) == len(styles)
    box = room.evaluate("window.leangen.view()")["overlays"]["legend"]
    assert box and box["h"] <= 0.22 * room.viewport_size["height"], "the legend stays a strip"
    room.keyboard.press("l")  # and it hides
    assert room.evaluate("window.leangen.view()")["overlays"]["legend"] is None


def test_the_overview_legend_is_one_line(room, viewer_server):
    _open(room, f"{viewer_server}/network")
    assert _legend(room) == {}
    assert room.is_visible("#legend .overview-note")


def test_the_offline_page_exports_an_svg_of_what_is_drawn(room, built_dist):
    """The SVG button in dist/network.html (file://, every other request aborted) downloads an SVG
    that parses, carries the title and every label drawn, one shape per node drawn, and the legend."""
    blocked = _offline(room)
    _open(room, (built_dist / "network.html").as_uri() + "#" + DECORATED)
    view = room.evaluate("window.leangen.view()")
    path = download(room, "#svg", f"decorate-export-{room.size_name}.svg")
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg" and float(root.get("width")) == pytest.approx(view["canvas"]["w"], abs=0.2)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert room.title() in texts + [t.text for t in root.iter(f"{SVG}title")]
    assert any(room.title().startswith(t) for t in texts if t)  # drawn, not only named
    labels = {t.get("data-id"): t.text for t in root.iter(f"{SVG}text") if t.get("data-id")}
    assert labels == {lab["id"]: lab["text"] for lab in view["labels"]}
    shapes = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "nodes")
    assert len(list(shapes)) == view["counts"]["nodes"]
    edges = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "edges")
    assert len(list(edges)) == view["counts"]["edges"] > 0
    legend = " ".join(t.text or "" for g in root.iter(f"{SVG}g") if g.get("class") == "legend"
                      for t in g.iter(f"{SVG}text"))
    for entries in _legend(room).values():
        assert all(entry in legend for entry in entries)
    assert blocked == []


def test_the_offline_page_exports_a_png_at_twice_the_canvas(room, built_dist):
    """PNG export from file:// with every other request aborted: a download, a PNG, 2× wide."""
    blocked = _offline(room)
    _open(room, (built_dist / "network.html").as_uri() + "#" + DECORATED)
    view = room.evaluate("window.leangen.view()")
    path = download(room, "#png", f"decorate-export-{room.size_name}.png")
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == round(2 * view["canvas"]["w"])
    settle(room)
    assert legibility_problems(room.evaluate("window.leangen.view()")) == []
    assert blocked == []
