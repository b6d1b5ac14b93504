"""A link pasted into the address bar of an open network page shows its view without a reload.

Presenters and planners send each other links such as ``#place=place/heimdal&detail=1`` or
``#story=heimdal&step=2``; pasted over the hash of a page already open, the browser fires only a
``hashchange``. Checked on the offline ``dist/network.html`` (the same script serves ``/network``).
"""

from __future__ import annotations

import pytest
from browser_support import checked, evaluate_json, require_chromium, shared_page

require_chromium()

VISIBLE = "() => window.kgNetwork.nodes.get({filter: n => !n.hidden}).map(n => n.id).sort()"


@pytest.fixture(scope="module")
def module_page(chromium, built_dist):
    with shared_page(chromium, viewport={"width": 1280, "height": 720}) as page:
        page.goto((built_dist / "network.html").as_uri())
        page.wait_for_function("document.body.dataset.ready === '1'")
        yield page


@pytest.fixture()
def page(module_page):
    """The open page; an error in it, or a request leaving the file, during the test fails it."""
    with checked(module_page) as pg:
        yield pg


def _hash(page, value: str) -> None:
    page.evaluate("v => { location.hash = v; }", value)


def test_an_edited_hash_filters_steps_and_clears_as_a_reload_would(page) -> None:
    overview = evaluate_json(page, VISIBLE)
    _hash(page, "#place=place/heimdal&detail=1")
    page.wait_for_function("window.kgNetwork.state.place === 'place/heimdal'")
    heimdal = evaluate_json(page, VISIBLE)
    assert heimdal != overview and any(n.startswith("commitment/") for n in heimdal)
    assert page.evaluate("document.getElementById('f-place').value") == "place/heimdal"

    story = evaluate_json(page, "JSON.parse(document.getElementById('kg-data').textContent).model.stories[0]")
    _hash(page, f"#story={story['id']}&step=2")
    page.wait_for_function(f"document.body.dataset.step === '{story['id']}/2'")
    assert page.evaluate("document.getElementById('c-text').textContent") == story["steps"][1]["caption"]["nb"]

    _hash(page, "")
    page.wait_for_function("!window.kgNetwork.state.story && !window.kgNetwork.state.place")
    assert evaluate_json(page, VISIBLE) == overview
    assert page.evaluate("document.getElementById('caption').hidden")


def test_a_dragged_node_goes_back_to_its_place_when_the_view_changes(page) -> None:
    """apply() sends vis-network only what changed (a story step costs a fifth less); a node the
    presenter dragged away is still put back on the layout's place by the next view, as before."""
    _hash(page, "#detail=1")
    page.wait_for_function("window.kgNetwork.state.detail === true")
    node = "commitment/byutvikling/10"  # shown, and drawn alike, in both views
    before = page.evaluate(f"window.kgNetwork.network.getPositions(['{node}'])['{node}']")
    page.evaluate(f"""() => {{ const net = window.kgNetwork.network;
        net.moveNode('{node}', {before['x']} + 400, {before['y']} + 400);
        net.emit('dragEnd', {{nodes: ['{node}'], edges: []}}); }}""")
    _hash(page, "#detail=1&area=area/byutvikling")
    page.wait_for_function("window.kgNetwork.state.area === 'area/byutvikling'")
    _hash(page, "#detail=1")
    page.wait_for_function("window.kgNetwork.state.area === ''")
    after = page.evaluate(f"window.kgNetwork.network.getPositions(['{node}'])['{node}']")
    assert after == pytest.approx(before, abs=0.5)


def test_the_physics_switch_turns_the_simulation_on_and_back_off_onto_the_layout(page) -> None:
    """The "Fysikk" box starts vis-network's simulation; unticked, the simulation stops and every node
    is back on the build's layout (apply() sets the option only when it changes)."""
    _hash(page, "#detail=1")
    page.wait_for_function("window.kgNetwork.state.detail === true")
    layout = evaluate_json(page, "window.kgNetwork.network.getPositions()")
    page.check("#physics")
    assert page.evaluate("window.kgNetwork.network.physics.options.enabled") is True
    page.wait_for_function("""(layout) => Object.entries(window.kgNetwork.network.getPositions())
        .some(([id, p]) => Math.abs(p.x - layout[id].x) > 1)""", arg=layout)  # the simulation moves nodes
    page.uncheck("#physics")
    assert page.evaluate("window.kgNetwork.network.physics.options.enabled") is False
    back = evaluate_json(page, "window.kgNetwork.network.getPositions()")
    assert all(abs(back[i]["x"] - p["x"]) <= 0.5 and abs(back[i]["y"] - p["y"]) <= 0.5 for i, p in layout.items())


#: What vis-network holds and draws, against what the view says it shows: the edges held and the model's
#: edges between the drawn nodes (each "from predicate to", sorted), and the types of the nodes in the
#: order vis-network draws them.
HELD_AND_EXPECTED = """() => { const k = window.kgNetwork, key = e => `${e.from} ${e.predicate} ${e.to}`;
    const model = JSON.parse(document.getElementById('kg-data').textContent).model;
    const shown = new Set(k.nodes.getIds());
    const type = Object.fromEntries(model.nodes.map(n => [n.id, n.type]));
    return {edges: k.edges.get().map(key).sort(),
            expected: k.state.detail ? model.edges.filter(e => shown.has(e.from) && shown.has(e.to)).map(key).sort() : [],
            hidden: k.nodes.get({filter: n => n.hidden}).length,
            status: document.getElementById('status').textContent,
            order: k.network.body.nodeIndices.map(id => type[id])}; }"""


def test_every_view_holds_what_it_draws_with_areas_and_topics_on_top(page) -> None:
    """vis-network holds only the nodes and edges a view draws (the overview no edge), going from view
    to view brings back each edge whose two ends are drawn again, and areas and topics stay drawn after
    every other node, so no dot covers their names, however often nodes come and go."""
    for fragment in ("", "#place=place/heimdal&detail=1", "", "#detail=1", "#area=area/byutvikling&detail=1",
                     "#focus=place/tiller&depth=2&detail=1", "#detail=1", "#place=place/heimdal&detail=1"):
        got = evaluate_json(page, f"""f => new Promise(done => {{
            window.addEventListener('hashchange', () => done(({HELD_AND_EXPECTED})()), {{once: true}});
            location.hash = f; }})""", fragment)
        assert got["edges"] == got["expected"], fragment
        assert fragment == "" or got["edges"], fragment
        assert got["hidden"] == 0 and got["status"].startswith(f"{len(got['order'])} / "), fragment
        on_top = [t in ("PolicyArea", "Topic") for t in got["order"]]
        assert True in on_top and on_top == sorted(on_top), (fragment, "a node is drawn over an area or topic")
