"""The tracker in headless Chromium: /status (a number opens its list) and /status/at-risk (the chain),
over the real graph with one prerequisite assessed as stalled (conftest.py's fixture)."""

from __future__ import annotations

import pytest
from browser_support import checked, require_chromium, shared_page
from sparql_support import serving
from status_support import AS_OF

from viewer.app import create_app
from viewer.kg import GraphStore

require_chromium()


@pytest.fixture(scope="module")
def server(stalled_prerequisite):
    graph, _, _ = stalled_prerequisite
    with serving(create_app({"STORE": GraphStore(graph)})) as url:
        yield url


@pytest.fixture(scope="module")
def module_page(chromium):
    with shared_page(chromium) as pg:
        yield pg


@pytest.fixture()
def page(module_page):
    """The module's page; a console error or a request leaving 127.0.0.1 during the test fails it."""
    with checked(module_page) as pg:
        yield pg


def test_status_page_number_opens_its_list(page, server) -> None:
    page.goto(f"{server}/status?as_of={AS_OF}")
    cell = page.locator('#overall td[data-status="stalled"] a')
    n = int(cell.inner_text())
    cell.click()
    page.wait_for_selector("#listing")
    assert page.locator("#listing tbody tr").count() == n
    assert "status=stalled" in page.url


def test_at_risk_page_shows_the_chain(page, server, stalled_prerequisite) -> None:
    _, dependent, prerequisite = stalled_prerequisite
    page.goto(f"{server}/status?as_of={AS_OF}")
    page.get_by_role("link", name="I faresonen").click()
    item = page.locator(f'li.risk.prerequisite[data-commitment="{dependent}"]')
    assert item.count() == 1
    links = item.locator("ol.chain > li > a:first-child")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        prerequisite.removeprefix("https://leangen-kg.org/id"), dependent.removeprefix("https://leangen-kg.org/id")]
    page.fill('input[name="as_of"]', "2025-09-30")  # before the prerequisite stalled
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url("**as_of=2025-09-30**")
    assert page.locator(f'li.risk.prerequisite[data-commitment="{dependent}"]').count() == 0
