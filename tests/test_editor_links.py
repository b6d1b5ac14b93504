"""The editor's links: pages open the editor with their query, a shared edit shares the edit, and a
parse error is one readable line that names the missing PREFIX. Facets in a real browser too."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote

import pytest
from browser_support import outside_requests, require_chromium  # noqa: F401  (require_chromium marks the module `browser`: conftest.py)
from sparql_support import serving

from store.safety import syntax_message


def test_missing_prefix_is_one_line_naming_the_declaration(real_client):
    r = real_client.get("/sparql", query_string={"query": "SELECT ?c WHERE { ?c a pk:Commitment }"})
    text = r.get_data(as_text=True).strip()
    assert r.status_code == 400
    assert "\n" not in text and len(text) < 200
    assert "PREFIX pk: <https://leangen-kg.org/ontology#>" in text


def test_other_parse_errors_are_one_short_line_with_the_place():
    long = "error at 1:37: expected one of " + ", ".join(f"['{c}']" for c in "abcdefghijklmnopqrstuvwxyz" * 9)
    message = syntax_message("SELECT ?x WHERE { ?x ?p ?o ", long)
    assert message.startswith("syntax error at line 1, column 37") and len(message) < 230


def test_page_editor_links_open_the_editor_not_the_protocol(real_client):
    html = real_client.get("/place/heimdal").get_data(as_text=True)
    links = re.findall(r'href="(/sparql[^"]*)"', html)
    assert links and all(not link.startswith("/sparql?query=") for link in links)
    assert any(link.startswith("/sparql#query=") for link in links)



@pytest.mark.parametrize("path", ["/place/heimdal", "/commitment/byutvikling/1", "/area/byutvikling"])
def test_each_query_behind_a_page_declares_the_prefixes_it_uses_and_no_others(real_client, path):
    """The "SPARQL behind this page" block shows each query as the editor opens it: with the PREFIX
    lines of the prefixes it uses, none it does not use, and runnable as shown."""
    html = real_client.get(path).get_data(as_text=True)
    block = re.search(r'<details class="sparql-behind">(.*?)</details>', html, re.DOTALL)
    assert block, path
    queries = [unescape(q) for q in re.findall(r"<pre><code>(.*?)</code></pre>", block.group(1), re.DOTALL)]
    assert queries, path
    for query in queries:
        declared = re.findall(r"^PREFIX (\w+):", query, re.MULTILINE)
        body = re.sub(r"^PREFIX .*\n", "", query, flags=re.MULTILINE)
        assert declared and all(re.search(rf"(?<![\w.-]){p}:", body) for p in declared), query
        r = real_client.get("/sparql", query_string={"query": query},
                            headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200, (query, r.get_data(as_text=True))


@pytest.fixture(scope="module")
def live(real_app):
    with serving(real_app) as url:
        yield url


@pytest.fixture(scope="module")
def page(chromium):
    context = chromium.new_context()
    pg = context.new_page()
    try:
        with outside_requests(pg) as outside:
            yield pg
    finally:
        context.close()
    assert outside == []


def editor_text(page) -> str:
    page.wait_for_selector(".tabPanel.active .yasqe .CodeMirror", timeout=15_000)
    return page.evaluate("window.leangenYasgui.getTab().getYasqe().getValue()")


def test_open_in_editor_from_a_page_shows_the_query_in_the_editor(live, page):
    page.goto(live + "/place/heimdal")
    href = page.get_attribute(".sparql-behind a", "href")
    page.goto(live + href)
    assert editor_text(page) == unquote(href.split("#query=", 1)[1])
    page.wait_for_selector(".tabPanel.active .yasr table tbody tr", timeout=15_000)


def test_a_shared_edited_example_shares_the_edit(live, page):
    page.goto("about:blank")
    page.goto(live + "/sparql#example=06-strength-per-area")
    page.wait_for_selector(".tabPanel.active .yasqe .CodeMirror", timeout=15_000)
    page.evaluate("window.leangenYasgui.getTab().getYasqe().setValue('SELECT ?edited WHERE { ?edited ?p ?o } LIMIT 3')")
    shared = page.url
    assert "query=" in shared
    page.goto("about:blank")
    page.goto(shared)
    assert editor_text(page) == "SELECT ?edited WHERE { ?edited ?p ?o } LIMIT 3"


def test_facets_in_a_browser_narrow_count_and_keep_the_state_in_the_url(live, page):
    """Facets narrow the list and count, keep their state in the URL and open the list's query in the
    editor; a facet's "find a value" box forgives like search (checked on the same load of the list)."""
    page.goto(live + "/commitments")
    total = int(page.inner_text("#row-count"))
    page.click('details[data-facet="place"] summary')
    page.fill('details[data-facet="place"] .facet-filter', "Brattora")
    visible = page.locator('details[data-facet="place"] li:visible').all_inner_texts()
    assert len(visible) == 1 and visible[0].startswith("Brattøra"), f"the place picker does not forgive: {visible}"
    page.click('details[data-facet="borough"] summary')
    page.click('details[data-facet="borough"] a[data-key="heimdal"]')  # a plain link: the page loads again
    page.wait_for_url(re.compile(r"borough=heimdal"))
    narrowed = int(page.inner_text("#row-count"))
    assert 0 < narrowed < total
    shown = page.inner_text('details[data-facet="strength"] li:first-child .n')
    assert int(shown) <= narrowed
    page.click('details[data-facet="place"] summary')
    page.fill('details[data-facet="place"] .facet-filter', "tiller")
    visible = page.locator('details[data-facet="place"] li:visible').all_inner_texts()
    assert visible and all("Tiller" in v for v in visible)
    page.click("#view-sparql")
    text = editor_text(page)
    assert "SELECT ?c" in text and "<https://leangen-kg.org/id/place/heimdal>" in text
