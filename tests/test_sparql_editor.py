"""The YASGUI editor at /sparql in a headless browser: served locally, no outside look-ups."""

from __future__ import annotations

import time

import pytest
from browser_support import outside_requests, require_chromium
from sparql_support import PK, LiveServer

require_chromium()


@pytest.fixture(scope="module")
def page_and_outside(live_server, chromium):
    context = chromium.new_context()
    page = context.new_page()
    try:
        with outside_requests(page) as outside:
            yield page, outside
    finally:
        context.close()


def test_editor_runs_an_example_query_with_no_outside_requests(live_server, page_and_outside):
    page, outside = page_and_outside
    page.goto(live_server.url + "/sparql", wait_until="load")
    page.wait_for_selector(".yasqe .CodeMirror", timeout=15_000)
    page.click("nav.examples button[data-query='01-commitments-touching-place']")
    page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.wait_for_selector(".tabPanel.active .yasr table tbody tr", timeout=15_000)
    text = page.locator(".tabPanel.active .yasr").inner_text()
    assert "bygge ut kollektivtilbudet" in text
    assert page.evaluate("window.leangenYasgui.getTab().getEndpoint()") == live_server.url + "/sparql"
    assert outside == []


def _cut_note(page, url: str) -> str:
    """The editor's note after running "every triple" against the endpoint at ``url``."""
    page.goto("about:blank")
    page.goto(url + "/sparql#query=" + "SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", wait_until="load")
    page.wait_for_selector("#sparql-note.show", timeout=15_000)
    return page.inner_text("#sparql-note")


def test_editor_shows_a_cut_result(live_server, page_and_outside):
    page, outside = page_and_outside
    assert "row limit of 50" in _cut_note(page, live_server.url)
    assert outside == []


@pytest.fixture(scope="module")
def small_answer_server(sparql_store):
    """A server whose byte limit a plain query reaches before its row limit."""
    from viewer.app import create_app

    server = LiveServer(create_app({"STORE": sparql_store, "SPARQL_MAX_BYTES": 4096, "SPARQL_MAX_ROWS": 100_000}))
    yield server
    server.close()


def test_editor_shows_a_result_cut_at_the_byte_limit(small_answer_server, page_and_outside):
    page, outside = page_and_outside
    assert "size limit of 4096 bytes" in _cut_note(page, small_answer_server.url)
    assert outside == []


def test_queries_page_links_open_the_editor(live_server, page_and_outside):
    page, outside = page_and_outside
    page.goto("about:blank")
    page.goto(live_server.url + "/queries", wait_until="load")
    page.click("#\\31 2-places-on-a-map a[href$='#example=12-places-on-a-map']")  # nb: «Åpne i editoren»
    page.wait_for_selector(".tabPanel.active .yasr table tbody tr", timeout=15_000)
    assert "Heimdal" in page.locator(".tabPanel.active .yasr").inner_text()
    assert outside == []


@pytest.fixture(scope="module")
def ontology_server(ontology_app):
    """A server whose store holds the ontology too (the small test graph alone has none)."""
    server = LiveServer(ontology_app)
    yield server
    server.close()


def _type_in_editor(page, before: str, typed: str) -> None:
    """Put `before` in the editor, the cursor at its end, then type `typed` key by key."""
    page.evaluate("""text => { const y = window.leangenYasgui.getTab().getYasqe();
        y.setValue(text); y.focus(); y.getDoc().setCursor(y.getDoc().lastLine(), 1e9); }""", before)
    page.keyboard.type(typed)


def _for(typed: str):
    """Until the list is the one for all of ``typed`` (``prefix:part``): it follows each key, so the list
    for ``actor:n`` can still show after ``actor:na`` is typed."""
    prefix, part = typed.split(":", 1)
    return lambda hs: hs and all(h.startswith(prefix + ":") and part.lower() in h.lower() for h in hs)


def _hints(page, until) -> list[str]:
    """The completion list once `until(list)` holds (the list follows the typing asynchronously)."""
    deadline = time.monotonic() + 10
    while True:
        hints = page.locator(".CodeMirror-hints li").all_inner_texts()
        if until(hints) or time.monotonic() > deadline:
            return hints
        time.sleep(0.05)


def test_editor_completes_properties_and_classes_from_our_ontology(ontology_server, page_and_outside):
    page, outside = page_and_outside
    page.goto("about:blank")
    with page.expect_response(lambda r: r.url.endswith("/sparql/terms.json")) as terms:
        page.goto(ontology_server.url + "/sparql", wait_until="load")
    assert terms.value.status == 200
    page.wait_for_selector(".yasqe .CodeMirror", timeout=15_000)

    # a property in the predicate position, with its labels; `pk:` is not declared yet
    _type_in_editor(page, "SELECT * WHERE {\n  ?c ", "pk:conc")
    hints = _hints(page, lambda hs: hs and all(h.startswith("pk:conc") for h in hs))
    assert any(h.startswith("pk:concernsPlace") and "concerns place" in h and "gjelder sted" in h for h in hints)
    assert all(h.startswith("pk:conc") for h in hints)
    page.keyboard.press("Enter")
    value = page.evaluate("window.leangenYasgui.getTab().getYasqe().getValue()")
    assert f"PREFIX pk: <{PK}>" in value  # picking the term declared its prefix
    assert "?c pk:concernsPlace" in value

    # a class after `a`: classes only
    _type_in_editor(page, "SELECT * WHERE {\n  ?c a ", "pk:Comm")
    hints = _hints(page, lambda hs: hs and all(h.startswith("pk:Comm") for h in hs))
    assert any(h.startswith("pk:Commitment") and "commitment" in h for h in hints)
    assert not any(h.startswith("pk:concerns") for h in hints)

    # the predicate after `;` on the next line (YASQE's own position rules miss it)
    page.keyboard.press("Escape")
    _type_in_editor(page, f"PREFIX pk: <{PK}>\nSELECT * WHERE {{\n  ?c a pk:Commitment ;\n    ", "pk:conc")
    assert any(h.startswith("pk:concernsPlace") for h in _hints(page, lambda hs: len(hs) == 2))

    # the full namespace completes to a full IRI (the namespace is in the editor already, as if pasted:
    # the completer reads the whole token at the cursor, and typing its 40 characters key by key took a second)
    page.keyboard.press("Escape")
    _type_in_editor(page, f"SELECT * WHERE {{\n  ?c <{PK}", "concernsPl")
    hints = _hints(page, lambda hs: len(hs) == 1)
    assert [h.split(">")[0] + ">" for h in hints] == [f"<{PK}concernsPlace>"]

    # the built-in prefix completer still works
    page.keyboard.press("Escape")
    _type_in_editor(page, "PREFIX ", "sko")
    hints = _hints(page, lambda hs: hs and all(h.startswith("sko") for h in hs))
    assert any(h.startswith("skos: <http://www.w3.org/2004/02/skos/core#>") for h in hints)
    assert outside == []


def test_editor_completes_curated_entities_by_name(ontology_server, page_and_outside):
    page, outside = page_and_outside
    page.goto("about:blank")
    page.goto(ontology_server.url + "/sparql", wait_until="load")
    page.wait_for_selector(".yasqe .CodeMirror", timeout=15_000)

    # in the object position, `place:` not declared yet: the start of the name first, with the label
    _type_in_editor(page, "SELECT * WHERE {\n  ?c pk:concernsPlace ", "place:til")
    hints = _hints(page, _for("place:til"))
    assert hints and hints[0].startswith("place:tiller") and "Tiller" in hints[0]
    page.keyboard.press("Enter")
    value = page.evaluate("window.leangenYasgui.getTab().getYasqe().getValue()")
    assert "PREFIX place: <https://leangen-kg.org/id/place/>" in value
    assert "?c pk:concernsPlace place:tiller" in value

    # any part of the name or label, also in the subject position
    page.keyboard.press("Escape")
    _type_in_editor(page, "SELECT * WHERE {\n  ", "place:sentrum")
    hints = _hints(page, _for("place:sentrum"))
    assert len(hints) == 1 and hints[0].startswith("place:heimdal-sentrum")

    # VALUES too
    page.keyboard.press("Escape")
    _type_in_editor(page, "SELECT * WHERE {\n  VALUES ?a { ", "actor:na")
    hints = _hints(page, _for("actor:na"))
    assert len(hints) == 1 and hints[0].startswith("actor:nav")
    assert outside == []
