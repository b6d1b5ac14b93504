"""The network decorated (size by a measure, colour commitments by strength or status), its legend
and its exports, in headless Chromium at 1280×720 and 1920×1080.

What a presenter relies on: a link such as ``#size=betweenness&colour=strength`` opens decorated and
still keeps the room's rules (labels ≥ 14 px, none overlapping, nothing under an overlay); the legend
explains exactly what is drawn; the offline ``dist/network.html`` exports PNG and SVG with no network
at all (every request but ``file:`` is aborted). Screenshots and exports go to ``test-artifacts/``.

A decorated link is measured on the served page at both sizes with its legend, and on the offline
page at 1280×720 with the exports, in one load each; what does not depend on the window (the toolbar
writing the URL, the other views' legends) at 1280×720 only, each test saying why. The overview's
one-line legend is checked in the overview's load (tests/test_network_room.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from browser_support import evaluate_json, outside_requests, require_chromium, screenshot
from network_room_support import download, goto, legend_groups, legibility_problems, settle

require_chromium()

DECORATED = "detail=1&size=betweenness&colour=strength"
SVG = "{http://www.w3.org/2000/svg}"


def _open(page, url: str) -> None:
    goto(page, url)  # afresh: the page is shared, and the last test's toolbar choices must not carry over
    settle(page)


def _drawn(page) -> dict:
    """What vis-network draws now: visible nodes (type, strength, status, colour, size) and edges."""
    return evaluate_json(page, """() => { const k = window.kgNetwork, DATA = JSON.parse(document.getElementById('kg-data').textContent);
        const model = Object.fromEntries(DATA.model.nodes.map(n => [n.id, n]));
        const nodes = k.nodes.get({filter: n => !n.hidden}).map(n => ({id: n.id, type: n.type,
            strength: model[n.id].strength || null, status: model[n.id].status || null,
            betweenness: model[n.id].betweenness ?? null, colour: n.color.background, size: n.size}));
        const shown = new Set(nodes.map(n => n.id));
        const edges = k.edges.get({filter: e => !e.hidden && shown.has(e.from) && shown.has(e.to)})
            .map(e => ({score: e.score === undefined ? null : e.score, dashes: !!e.dashes}));
        return {nodes, edges, terms: DATA.terms, palettes: DATA.decorate.palettes}; }""")


def _decorated_keeps_the_room_rules(page, where: str) -> None:
    """DECORATED, loaded: commitments in their strength's colour, nodes sized by betweenness (the
    largest for the most between), the toolbar showing both choices, and every drawn label still
    legible. Screenshot ``decorate-betweenness-strength-<where>-<size>.png``."""
    screenshot(page, f"decorate-betweenness-strength-{where}-{page.size_name}.png")
    view = evaluate_json(page, "window.leangen.view()")
    assert view["labels"] and legibility_problems(view) == [], "a decorated view keeps the room rules"
    drawn = _drawn(page)
    colours = {p["id"]: p["color"] for p in drawn["palettes"]["strength"]}
    commitments = [n for n in drawn["nodes"] if n["type"] == "Commitment"]
    assert commitments and all(n["colour"] == colours[n["strength"]] for n in commitments), "coloured by strength"
    sized = sorted((n for n in drawn["nodes"] if n["betweenness"] is not None), key=lambda n: n["betweenness"])
    assert sized[0]["size"] < sized[-1]["size"], "sized by betweenness, not one size for all"
    assert page.input_value("#d-size") == "betweenness" and page.input_value("#d-colour") == "strength"


def _legend_explains_what_is_drawn_and_nothing_else(page, fragment: str) -> None:
    """The legend of the view ``fragment`` opened: the types drawn, the colour scale when commitments
    are coloured, the size scale when sized, one entry per edge score and style drawn; a strip no
    taller than 22 % of the window, hidden with ``l`` (which the check ends with)."""
    legend, drawn = legend_groups(page), _drawn(page)
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
    box = evaluate_json(page, "window.leangen.view()")["overlays"]["legend"]
    assert box and box["h"] <= 0.22 * page.viewport_size["height"], "the legend stays a strip"
    page.keyboard.press("l")  # and it hides
    assert evaluate_json(page, "window.leangen.view()")["overlays"]["legend"] is None, "l hides the legend"


def test_a_decorated_link_keeps_the_room_rules_and_its_legend_explains_it(room, viewer_server):
    """size=betweenness&colour=strength on the served page, at both sizes: decorated as asked, legible,
    and the legend explains what is drawn (the legend's other views: the test below)."""
    _open(room, f"{viewer_server}/network#{DECORATED}")
    _decorated_keeps_the_room_rules(room, "served")
    _legend_explains_what_is_drawn_and_nothing_else(room, DECORATED)


@pytest.mark.parametrize("room_page", ["720p"], indirect=True)
def test_the_toolbar_decorates_and_the_url_keeps_it(room, viewer_server):
    """Choosing in the toolbar writes size= and colour= into the link a presenter copies, and the view
    stays legible. At 1280×720 only: what the URL says does not depend on the window, and a decorated
    view's room rules are measured at both sizes by the decorated-link test above."""
    _open(room, f"{viewer_server}/network#place=place/heimdal")
    room.select_option("#d-size", "degree")
    room.select_option("#d-colour", "status")
    settle(room)
    assert "size=degree" in room.evaluate("location.hash") and "colour=status" in room.evaluate("location.hash")
    assert legibility_problems(evaluate_json(room, "window.leangen.view()")) == []
    room.select_option("#d-colour", "")  # back to area: nothing in the URL
    assert "colour=" not in room.evaluate("location.hash")


@pytest.mark.parametrize("room_page", ["720p"], indirect=True)
@pytest.mark.parametrize("fragment", ["place=place/heimdal&colour=status&size=influence",
                                      "area=area/byutvikling", "focus=place/tiller&depth=1&colour=strength"])
def test_the_legend_explains_what_is_drawn_and_nothing_else(room, viewer_server, fragment):
    """More views' legends (DECORATED's: the decorated-link test, at both sizes). At 1280×720 only:
    what the legend lists does not depend on the window, and the strip check is hardest there (a
    fixed 12 px font wrapping in a narrower window, against 22 % of a lower one)."""
    _open(room, f"{viewer_server}/network#{fragment}")
    _legend_explains_what_is_drawn_and_nothing_else(room, fragment)


@pytest.mark.parametrize("room_page", ["720p"], indirect=True)
def test_the_offline_page_decorates_and_exports_what_is_drawn(room, built_dist):
    """dist/network.html from file://, asking for nothing but files, opened with DECORATED: decorated
    as asked and legible (as on the served page); its SVG button downloads an SVG that parses,
    carries the title and every label drawn, one shape per node drawn, and the legend; its PNG
    button a PNG at twice the canvas, after which the page is as it was. At 1280×720 only: what the
    exports carry does not depend on the window, and the offline page draws a view otherwise than
    the served page (measured at both sizes above) only where its shorter toolbar leaves it more
    canvas, which happens at 1280×720 (tests/test_network_room.py's docstring)."""
    with outside_requests(room, keep=lambda url: url.startswith("file:")) as blocked:
        _open(room, (built_dist / "network.html").as_uri() + "#" + DECORATED)
        _decorated_keeps_the_room_rules(room, "offline")

        view = evaluate_json(room, "window.leangen.view()")
        path = download(room, "#svg", f"decorate-export-{room.size_name}.svg")
        root = ET.parse(path).getroot()
        assert root.tag == f"{SVG}svg" and float(root.get("width")) == pytest.approx(view["canvas"]["w"], abs=0.2)
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert room.title() in texts + [t.text for t in root.iter(f"{SVG}title")]
        assert any(room.title().startswith(t) for t in texts if t)  # drawn, not only named
        labels = {t.get("data-id"): t.text for t in root.iter(f"{SVG}text") if t.get("data-id")}
        assert labels == {lab["id"]: lab["text"] for lab in view["labels"]}, "the SVG carries every label drawn"
        shapes = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "nodes")
        assert len(list(shapes)) == view["counts"]["nodes"], "one SVG shape per node drawn"
        edges = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "edges")
        assert len(list(edges)) == view["counts"]["edges"] > 0, "one SVG line per edge drawn"
        legend = " ".join(t.text or "" for g in root.iter(f"{SVG}g") if g.get("class") == "legend"
                          for t in g.iter(f"{SVG}text"))
        for entries in legend_groups(room).values():
            assert all(entry in legend for entry in entries), "the SVG carries the legend"

        data = download(room, "#png", f"decorate-export-{room.size_name}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", "the PNG export is a PNG"
        assert int.from_bytes(data[16:20], "big") == round(2 * view["canvas"]["w"]), "the PNG is twice the canvas"
        settle(room)
        assert legibility_problems(evaluate_json(room, "window.leangen.view()")) == [], "the page is as it was after the PNG"
        assert blocked == [], "the offline page asked for something that is not a file"
