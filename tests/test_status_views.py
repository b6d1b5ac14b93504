"""The tracker's pages on the real graph: /status against independent SPARQL counts, the at-risk chain
when a prerequisite is stalled, and the Atom feed."""

from __future__ import annotations

import csv
import datetime
import html
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
import rdflib
from status_support import AS_OF

from graph import status
from graph.pipeline import Built
from viewer.app import create_app
from viewer.kg import GraphStore

ROOT = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"

# The latest assessment of each commitment up to a date, written independently of graph/tracker.py.
CURRENT = """
PREFIX pk: <https://leangen-kg.org/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?status ?group (COUNT(DISTINCT ?c) AS ?n) WHERE {
  ?c a pk:Commitment ; %(group)s
  OPTIONAL {
    ?a pk:assesses ?c ; dcterms:date ?d ; pk:status/skos:notation ?s .
    FILTER (?d <= "%(day)s"^^xsd:date)
    FILTER NOT EXISTS { ?a2 pk:assesses ?c ; dcterms:date ?d2 . FILTER (?d2 > ?d && ?d2 <= "%(day)s"^^xsd:date) }
  }
  BIND (COALESCE(?s, "not-assessed") AS ?status)
} GROUP BY ?status ?group
"""
GROUPS = {"overall": 'BIND ("" AS ?group)', "area": "pk:policyArea ?group .", "strength": "pk:strength ?group ."}


def _sparql_counts(graph: rdflib.Graph, by: str, day: str = AS_OF) -> dict[tuple[str, str], int]:
    rows = graph.query("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n" + CURRENT % {"group": GROUPS[by], "day": day})
    return {(str(r.group), str(r.status)): int(r.n) for r in rows}


def _page_counts(page: str, table: str) -> dict[tuple[str, str], int]:
    """The numbers of one table of /status: (group IRI or '', status) → count, zeros left out."""
    body = page[page.index(f'<table id="{table}"'):]
    body = body[:body.index("</table>")]
    counts = {}
    for row in re.findall(r"<tr(?: data-group=\"([^\"]*)\")?>(.*?)</tr>", body, re.DOTALL):
        for status_, cell in re.findall(r'data-status="([^"]+)">(.*?)</td>', row[1], re.DOTALL):
            n = int(re.sub(r"<[^>]+>", "", cell))
            if n:
                counts[(html.unescape(row[0]), status_)] = n
    return counts


@pytest.fixture(scope="module")
def app(built: Built):
    return create_app({"STORE": GraphStore(built.graph), "TESTING": True})


@pytest.fixture(scope="module")
def status_page(app) -> str:
    return app.test_client().get(f"/status?as_of={AS_OF}").get_data(as_text=True)


@pytest.mark.parametrize(("by", "table"), [("overall", "overall"), ("area", "by-area"), ("strength", "by-strength")])
def test_status_numbers_equal_independent_sparql_counts(built: Built, status_page: str, by: str, table: str) -> None:
    assert _page_counts(status_page, table) == _sparql_counts(built.graph, by)
    assert sum(_page_counts(status_page, "overall").values()) == 285


def test_an_earlier_date_shows_the_status_then(built: Built, app) -> None:
    """kultur-idrett-friluftsliv/25 was in progress in summer 2024 and stalled from 2024-11-15."""
    page = app.test_client().get("/status?as_of=2024-08-01").get_data(as_text=True)
    assert _page_counts(page, "overall") == _sparql_counts(built.graph, "overall", "2024-08-01")
    assert ("", "stalled") not in _page_counts(page, "overall")


def test_every_number_opens_the_list_behind_it(app, status_page: str) -> None:
    client = app.test_client()
    links = re.findall(r'<a class="n" href="([^"]+)">(\d+)</a>', status_page)
    assert links
    for href, n in links:
        listing = client.get(html.unescape(href)).get_data(as_text=True)
        section = listing[listing.index('<section id="listing">'):listing.index("</section>")]
        assert section.count("<tr><td>") == int(n), href


@pytest.mark.parametrize(("lang", "says"), [("nb", "er ikke en dato; skriv den som ÅÅÅÅ-MM-DD"),
                                           ("en", "is not a date; write it as YYYY-MM-DD")])
def test_a_bad_date_is_a_clear_400_in_the_pages_language(app, lang, says) -> None:
    r = app.test_client().get(f"/status?as_of=31.12.2025&lang={lang}")
    assert r.status_code == 400
    assert f"as_of: &#39;31.12.2025&#39; {says}" in r.get_data(as_text=True)


def test_at_risk_shows_the_chain_from_a_stalled_prerequisite(stalled_prerequisite) -> None:
    graph, dependent, prerequisite = stalled_prerequisite
    client = create_app({"STORE": GraphStore(graph), "TESTING": True}).test_client()
    page = client.get(f"/status/at-risk?as_of={AS_OF}").get_data(as_text=True)
    item = re.search(rf'<li class="risk prerequisite" data-commitment="{re.escape(dependent)}">(.*?)</ol>\s*</li>',
                     page, re.DOTALL)
    assert item, "the dependent commitment is not listed as at risk"
    chain = re.findall(r'<li><a href="([^"]+)">', item.group(1))
    local = [prerequisite.removeprefix("https://leangen-kg.org/id"), dependent.removeprefix("https://leangen-kg.org/id")]
    assert chain == local  # the stalled prerequisite first, then the commitment that depends on it
    assert "stanset" in item.group(1)
    before = client.get("/status/at-risk?as_of=2025-09-30").get_data(as_text=True)
    assert f'class="risk prerequisite" data-commitment="{dependent}"' not in before  # not stalled yet then


def test_the_atom_feed_has_one_entry_per_status_change(app) -> None:
    r = app.test_client().get("/status.atom")
    assert r.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(r.data)
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    with (ROOT / "sources" / "status" / "assessments.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    history: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        history.setdefault(row["commitment"], []).append((row["date"], row["status"]))
    expected = set()
    for commitment, dated in history.items():
        before = "not-assessed"
        for date, status_ in sorted(dated):
            if status_ != before:
                expected.add(str(status.assessment_iri(commitment, datetime.date.fromisoformat(date))))
            before = status_
    entries = feed.findall(f"{ATOM}entry")
    assert {e.findtext(f"{ATOM}id") for e in entries} == expected and len(entries) == len(expected)
    for entry in entries:
        assert entry.findtext(f"{ATOM}updated").endswith("T00:00:00Z")
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http")


def test_the_commitment_page_shows_its_status_history_with_sources(app) -> None:
    page = app.test_client().get("/commitment/kultur-idrett-friluftsliv/25").get_data(as_text=True)
    history = page[page.index('<section id="status-history">'):]
    history = history[:history.index("</section>")]
    assert history.index("2024-11-15") < history.index("2024-05-24")  # newest first, the older kept
    assert "https://www.vl.no/religion/2024/11/15/mugg-muselort-og-brutte-lofter/" in history
