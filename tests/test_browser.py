"""Browser tests of the viewer: Playwright (PyPI) driving Debian's chromium, headless.

Runs against the real graph assembled from sources/ (the ``built`` fixture) served by a real HTTP
server on 127.0.0.1 (``viewer_server``), with the production embedded store. Every test checks that no request leaves
127.0.0.1 (or the file:// page) and that the console shows no errors, a violation of the content security
policy among them (``browser_support.CSP_TO_CONSOLE``); every page a test opens is checked for the policy's header (``_open``).
Screenshots, the exported PNG and the measured load times go to ``test-artifacts/``.

The tests share one page (``module_page``): each opens its URLs afresh, and a new page for every test cost
a quarter of a second of Chromium's time, a third of what loading the network page itself costs.
"""

from __future__ import annotations

import json
import time

import pytest
from browser_support import (
    ARTIFACTS,
    READY,
    checked,
    outside_requests,
    require_chromium,
    screenshot,
    shared_page,
)

require_chromium()


@pytest.fixture(scope="module")
def timings():
    """Load times measured in the headless browser, written to test-artifacts/load-times.json."""
    data: dict[str, dict[str, float]] = {}
    yield data
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load-times.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print("\nviewer load times (ms):", json.dumps(data, indent=1))


@pytest.fixture(scope="module")
def module_page(chromium):
    """One page for the module's tests (browser_support.shared_page): a CSP violation is a console error."""
    with shared_page(chromium, viewport={"width": 1400, "height": 900}, accept_downloads=True) as pg:
        yield pg


@pytest.fixture()
def page(module_page):
    """The module's page, as a fresh one would start (no cookie: ``?lang=en`` sets one); its requests and
    console errors during the test are checked after it."""
    module_page.context.clear_cookies()
    with checked(module_page) as pg:
        yield pg


def _shot(page, name: str) -> None:
    screenshot(page, f"{name}.png")


def _csp_header(response, url: str) -> None:
    assert "script-src 'self'" in response.headers.get("content-security-policy", ""), f"no CSP header: {url}"


def _open(page, url: str, ready: str | None = None) -> None:
    """Load ``url`` afresh in the shared page (one that differs from the page shown only in its hash would
    not load again), check the CSP header of a served page, and wait for ``ready`` if given."""
    if page.url.split("#", 1)[0] == url.split("#", 1)[0]:
        page.goto("about:blank")
    response = page.goto(url)
    if not url.startswith("file:"):
        _csp_header(response, url)
    if ready:
        page.wait_for_function(ready)


def _load(page, url: str, timings: dict, name: str, ready: str | None = None) -> None:
    """Open a page and record wall time to ready plus the browser's own navigation timings."""
    t0 = time.perf_counter()
    _open(page, url, ready)
    _record(page, timings, name, t0)


def _record(page, timings: dict, name: str, t0: float) -> None:
    """The wall time since ``t0`` and the navigation timings of the page shown, as ``timings[name]``."""
    wall = (time.perf_counter() - t0) * 1000
    nav = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
        return {dom: n.domContentLoadedEventEnd, load: n.loadEventEnd}; }""")
    timings[name] = {"wall_to_ready": round(wall, 1), "dom_content_loaded": round(nav["dom"], 1),
                     "load_event": round(nav["load"], 1)}


def _click_node(page, node_id: str) -> None:
    """Click a node where it is drawn on the canvas (a real mouse click, as a presenter would)."""
    page.evaluate("id => window.kgNetwork.network.focus(id, {scale: 1.2, animation: false})", node_id)
    box = page.locator("#net").bounding_box()
    pos = page.evaluate("""id => { const net = window.kgNetwork.network;
        return net.canvasToDOM(net.getPositions([id])[id]); }""", node_id)
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])


def _visible(page) -> int:
    return page.evaluate("window.kgNetwork.nodes.get({filter: n => !n.hidden}).length")


#: Every node of the model the page carries (vis-network holds only the nodes a view draws).
TOTAL = "JSON.parse(document.getElementById('kg-data').textContent).model.nodes.length"


def _dimmed(page) -> int:
    """Nodes faded by a focus (drawn in the pale grey of network.js' faded())."""
    return page.evaluate("window.kgNetwork.nodes.get({filter: n => !n.hidden && n.color "
                         "&& String(n.color.background).startsWith('rgba(200')}).length")


def test_network_filter_search_panel_focus(page, viewer_server, timings):
    """The presenter's tour of /network in one load: filter, search (name variants too), the panel,
    focus, presentation mode and PNG export."""
    _load(page, f"{viewer_server}/network", timings, "network", READY)
    total = page.evaluate(TOTAL)
    assert total > 300  # commitments, places, projects, actors, … of the real platform
    assert page.evaluate("window.kgNetwork.network.physics.options.enabled") is False
    _shot(page, "network-01-full")

    # search knows an alternative label, not in the preferred one
    hits = page.evaluate("window.kgNetwork.search('Miljøpakka').map(n => n.id)")
    assert "actor/miljopakken" in hits, "search does not find an actor by its alternative label"

    # filter: one policy area; the topic list offers that area's topics only
    area = page.locator("#f-area option").nth(1).get_attribute("value")
    page.select_option("#f-area", area)
    shown = _visible(page)
    assert 0 < shown < total
    assert "area=" in page.evaluate("location.hash")
    offered = page.evaluate("""() => Array.from(document.querySelectorAll('#f-topic option'))
        .filter(o => o.value && !o.hidden).map(o => o.dataset.area)""")
    assert offered and set(offered) == {area}, f"topics offered for area {area}: {offered}"
    _shot(page, "network-02-filter-area")
    page.click("#reset")  # back to the overview: the areas and their topics (test_network_room.py)
    assert "area=" not in page.evaluate("location.hash") and 0 < _visible(page) < shown

    # search by words of the text, open the hit
    page.fill("#search", "ishall tiller")
    hit = page.locator("#search-results button").first
    assert "ishall" in hit.inner_text().lower() or "tiller" in hit.inner_text().lower()
    hit.click()
    assert page.locator("#panel").is_visible()
    _shot(page, "network-03-search")

    # click a node on the canvas and read the panel
    _click_node(page, "place/heimdal")
    page.wait_for_function("document.getElementById('p-label').textContent === 'Heimdal'")
    panel = page.locator("#panel").inner_text()
    assert "Tiller" in panel  # Heimdal contains Tiller: listed among its links
    assert page.locator("#p-page").get_attribute("href").startswith("/place/heimdal")

    # a commitment's panel: full text, area, strength, source lines
    page.evaluate("""() => { const k = window.kgNetwork;
        const n = k.search('Johan Tillers veg del 2').find(n => n.type === 'Commitment');
        k.select(n.id, true); }""")
    text = page.locator("#panel").inner_text()
    assert "Johan Tillers veg" in text and "Heimdal sentrum" in text
    assert page.locator("#p-facts").inner_text().count("\n") >= 3  # area, topic, strength, lines
    _shot(page, "network-04-panel")

    # focus on the neighbourhood (depth 1, then 2), and back
    page.click("#focus1")
    focus = page.evaluate("document.body.dataset.focus")
    assert focus.startswith("commitment/")
    assert "focus=" in page.evaluate("location.hash")
    d1 = _dimmed(page)
    assert d1 > 0
    _shot(page, "network-05-focus-depth1")
    page.click("#focus2")
    assert _dimmed(page) <= d1
    page.click("#unfocus")
    assert page.evaluate("document.body.dataset.focus") == ""
    assert _dimmed(page) == 0

    # presentation mode, PNG export
    page.click("#present")
    assert page.evaluate("document.body.classList.contains('present')")
    assert not page.locator("header#chrome").is_visible()
    _shot(page, "network-06-present")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.body.classList.contains('present')")
    with page.expect_download() as dl:
        page.click("#png")
    assert dl.value.suggested_filename.endswith(".png")
    dl.value.save_as(str(ARTIFACTS / "network-export.png"))
    assert (ARTIFACTS / "network-export.png").read_bytes()[:4] == b"\x89PNG"


def test_network_view_state_from_url(page, viewer_server):
    """A presenter's prepared link restores filters and focus."""
    _open(page, f"{viewer_server}/network#place=place/heimdal&focus=place/tiller&depth=2", READY)
    assert page.input_value("#f-place") == "place/heimdal"
    assert page.evaluate("document.body.dataset.focus") == "place/tiller"
    assert _visible(page) < page.evaluate(TOTAL)
    _shot(page, "network-07-url-state")


def test_an_impossible_filter_says_so(page, viewer_server):
    """No exploratory commitment touches Heimdal: the page says so instead of an empty canvas, and
    stops saying so once the strength filter is let go (the place filter alone matches)."""
    _open(page, f"{viewer_server}/network#detail=1&place=place/heimdal&strength=exploratory", READY)
    assert "Ingen løfter passer alle filtrene" in page.inner_text("#status")
    assert page.evaluate("document.body.classList.contains('no-match')")
    page.select_option("#f-strength", "")
    assert page.input_value("#f-place") == "place/heimdal"
    assert "Ingen løfter" not in page.inner_text("#status")
    assert not page.evaluate("document.body.classList.contains('no-match')")


def test_place_page_heimdal_includes_tiller(page, viewer_server, timings):
    _load(page, f"{viewer_server}/places", timings, "places")
    t0 = time.perf_counter()
    with page.expect_response(f"{viewer_server}/place/heimdal") as response:
        page.click("text=Heimdal >> nth=0")
    page.wait_for_url("**/place/heimdal")
    _record(page, timings, "place_heimdal", t0)
    _csp_header(response.value, page.url)
    body = page.locator("table.touching").inner_text()
    assert "ishall på Tiller" in body
    assert "Johan Tillers veg" in body
    page.wait_for_selector("figure.map[data-ready]")  # static/map.js draws from /map.json
    assert page.locator("figure.map svg circle").count() >= 3
    _shot(page, "place-heimdal")


def test_home_and_entity_pages(page, viewer_server, timings):
    _load(page, f"{viewer_server}/", timings, "home")
    assert page.locator("table.areas tbody tr").count() == 7
    _shot(page, "home")
    _load(page, f"{viewer_server}/area/miljo-naering-samferdsel", timings, "area")
    _load(page, f"{viewer_server}/commitment/miljo-naering-samferdsel/42?lang=en", timings, "commitment")
    assert page.locator("details.sparql-behind").count() == 1
    _shot(page, "commitment-en")


def test_offline_network_file_shows_the_builds_impact_figure(page, built_dist, built, timings):
    """dist/network.html from file:// sets up with the whole network, and its impact focus is the
    build's figure (dist/network.json), not one of its own: a commitment that supports the 20 %
    car-traffic cut puts the target at risk, the target puts none of them at risk. One load for both."""
    _load(page, (built_dist / "network.html").as_uri(), timings, "network_html_file", READY)
    assert page.evaluate(TOTAL) > 300, "the offline file lacks nodes"
    assert page.locator("#net canvas").count() == 1, "the offline file draws no canvas"
    _shot(page, "network-offline-file")

    model = {n["id"]: n for n in json.loads((built_dist / "network.json").read_text(encoding="utf-8"))["nodes"]}
    supporter = str(built.result.commitment_iris[700]).split("/id/", 1)[1]
    for node in (supporter, "target/personbiltrafikk-20"):
        page.evaluate(f"window.kgNetwork.focus('{node}', 'impact')")
        shown = set(page.evaluate("Object.keys(window.kgNetwork.apply().focus)"))
        assert shown == {node, *model[node].get("stalls", []), *model[node].get("harder", [])}, \
            f"impact focus of {node} is not the build's figure"
    assert "target/personbiltrafikk-20" in model[supporter]["harder"]


def test_network_shows_what_depends_on_a_node(page, viewer_server):
    """'What depends on this?' keeps in view what stalls with the node: Brattøra waits for Heggstadmoen."""
    terminal = "project/godsterminal-heggstadmoen"
    _open(page, f"{viewer_server}/network#sel={terminal}", READY)
    page.evaluate(f"window.kgNetwork.select('{terminal}', true)")
    page.click("#focus-impact")
    assert "depth=impact" in page.evaluate("location.hash")
    kept = page.evaluate("""() => window.kgNetwork.nodes.get()
        .filter(n => !n.hidden && !String((n.color || {}).background || '').startsWith('rgba(200,200,200'))
        .map(n => n.id)""")
    assert "project/brattora-byutvikling" in kept
    assert len(kept) < page.evaluate(TOTAL) / 2
    _shot(page, "network-08-impact")


#: The pages no other test of this module opens → what must be on each once it has set up (its scripts ran).
CSP_PAGES = {
    "/queries": "article", "/analysis": "main table", "/void": "body",
    "/search?q=Heimdal": "main a[href*='/place/heimdal']",
}


def test_every_page_runs_under_the_content_security_policy(page, viewer_server):
    """No CSP violation on any page, the network sets up and the SPARQL editor runs a query.

    The pages the other tests here open (home, an area, a commitment, /places, /place/heimdal, /network
    in its states) are checked where they open them: ``_open`` asserts the header, and the module's page
    reports every violation as a console error, which fails the test (``browser_support.CSP_TO_CONSOLE``, ``page``). This test
    opens the rest; ``window.__csp`` names the page a violation happened on.
    """
    for path, ready in CSP_PAGES.items():
        _open(page, viewer_server + path)
        page.wait_for_selector(ready, state="attached")
        assert page.evaluate("window.__csp") == [], path
    _open(page, viewer_server + "/sparql#query=" + "SELECT%20%3Fs%20WHERE%20%7B%20%3Fs%20a%20%3Fo%20%7D%20LIMIT%203")
    page.wait_for_selector(".tabPanel.active .yasr table tbody tr", timeout=15_000)
    assert page.locator(".tabPanel.active .yasr table tbody tr").count() == 3
    page.click("nav.examples button[data-query='01-commitments-touching-place']")
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.wait_for_selector(".tabPanel.active .yasr table tbody tr", timeout=15_000)
    assert page.evaluate("window.__csp") == []


#: Hand-edited or hostile links → the focus the view must end up with. Each link carries several values
#: under different keys: the page reads each key on its own (readUrl in network.js), so no value can
#: hide another, and a link with one hostile value per key checks them all in one load of the page.
HOSTILE_LINKS = {
    "focus=__proto__&depth=2&sel=constructor"
    "&area=__proto__&topic=constructor&strength=toString&place=valueOf&actor=hasOwnProperty": "",
    "focus=toString&sel=hasOwnProperty&depth=2": "",
    "focus=place%2Fheimdal%E2%80%94%F0%9F%8F%94%EF%B8%8F&sel=" + "x" * 10_000: "",
    "focus=%E0%A4%A&sel=%E0%A4%A": "",
    "q=%E0%A4%A&depth=impact&focus=%": "",
    "focus=place/tiller&sel=__proto__&depth=2": "place/tiller",  # a real focus survives a hostile selection
}


@pytest.mark.parametrize(("fragment", "focus"), HOSTILE_LINKS.items(), ids=[f[:60] for f in HOSTILE_LINKS])
def test_network_takes_any_value_in_the_url(page, viewer_server, fragment, focus):
    """Hand-edited or hostile links (built-in names, unicode, 10 000 characters, broken %-escapes)
    are ignored where they name nothing: no script error, and the view sets up."""
    _open(page, f"{viewer_server}/network#{fragment}", READY)
    assert page.evaluate("window.kgNetwork.nodes.get({filter: n => !n.hidden}).length") > 0
    assert page.evaluate("document.body.dataset.focus") == focus


def test_a_request_for_another_host_is_recorded_and_refused_by_the_browser(chromium):
    """What keeps every browser test off the network (browser_support.ARGS, outside_requests): a page
    asking another host is recorded, and Chromium's proxy refuses the request at once, whether or not
    this machine could reach that host."""
    context = chromium.new_context()
    try:
        page = context.new_page()
        failures: list[tuple[str, str]] = []
        page.on("requestfailed", lambda r: failures.append((r.url, r.failure)))
        with outside_requests(page) as asked:
            page.goto("about:blank")
            page.evaluate("url => fetch(url, {mode: 'no-cors'}).catch(() => null)", "http://example.org/x")
        page.evaluate("url => fetch(url, {mode: 'no-cors'}).catch(() => null)", "http://example.org/after")
    finally:
        context.close()
    assert asked == ["http://example.org/x"], "recorded inside the block only"
    assert failures[0] == ("http://example.org/x", "net::ERR_PROXY_CONNECTION_FAILED")
