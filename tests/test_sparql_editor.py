"""The YASGUI editor at /sparql in a headless browser: served locally, no outside look-ups."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from browser_support import ARGS, CHROMIUM, require_chromium
from sparql_support import live_server_fixture, sparql_app_fixture, sparql_store_fixture  # noqa: F401

playwright_api = require_chromium()


@pytest.fixture(scope="module")
def page_and_outside(live_server):
    outside: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()

        def route(r):
            host = urlparse(r.request.url).hostname
            if host not in ("127.0.0.1", "localhost") and not r.request.url.startswith("data:"):
                outside.append(r.request.url)
                return r.abort()
            return r.continue_()

        page.route("**/*", route)
        try:
            yield page, outside
        finally:
            browser.close()


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


def test_editor_shows_a_cut_result(live_server, page_and_outside):
    page, outside = page_and_outside
    page.goto("about:blank")
    page.goto(live_server.url + "/sparql#query=" + "SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
              wait_until="load")
    page.wait_for_selector("#sparql-note.show", timeout=15_000)
    assert "row limit of 50" in page.inner_text("#sparql-note")
    assert outside == []


def test_queries_page_links_open_the_editor(live_server, page_and_outside):
    page, outside = page_and_outside
    page.goto("about:blank")
    page.goto(live_server.url + "/queries", wait_until="load")
    page.click("#\\31 2-places-on-a-map >> text=Run in the editor")
    page.wait_for_selector(".tabPanel.active .yasr table tbody tr", timeout=15_000)
    assert "Heimdal" in page.locator(".tabPanel.active .yasr").inner_text()
    assert outside == []
