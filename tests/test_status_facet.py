"""The "Status" facet of /commitments on the real graph: each commitment's current status (its latest
assessment; none = not assessed), checked against sources/status/assessments.csv read here with the
csv module, not with the facet's SPARQL or graph/tracker.py."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from rdflib import RDF
from status_support import assessment_rows, latest_statuses, ontology_label

from graph.curated import PK
from graph.pipeline import Built


def status_counts(page: str) -> dict[str, int]:
    """The Status panel of /commitments: value key → the count shown beside it."""
    panel = re.search(r'data-facet="status".*?</details>', page, re.DOTALL).group(0)
    return {key: int(n) for key, n in re.findall(r'data-key="([^"]+)">[^<]*</a> <span class="n">(\d+)<', panel)}


def download(client, query: str) -> list[dict[str, str]]:
    """The rows of /commitments.csv for the query (headers in bokmål: no lang cookie)."""
    text = client.get("/commitments.csv?" + query).get_data(as_text=True).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_status_counts_equal_a_count_from_the_assessments(real_client, built: Built):
    latest = latest_statuses()
    total = len(set(built.graph.subjects(RDF.type, PK.Commitment)))
    expected = Counter(latest.values()) + Counter({"not-assessed": total - len(latest)})
    assert len(expected) > 2, "the data should have more than one assessed status, or this proves little"
    assert status_counts(real_client.get("/commitments").get_data(as_text=True)) == expected


def test_narrowing_by_in_progress_lists_exactly_the_commitments_last_assessed_in_progress(real_client, built: Built):
    latest = latest_statuses()
    expected = {c for c, s in latest.items() if s == "in-progress"}
    ever = {r["commitment"] for r in assessment_rows() if r["status"] == "in-progress"}
    assert ever - expected, "a commitment once in progress and assessed otherwise since should be left out"
    page = real_client.get("/commitments?status=in-progress").get_data(as_text=True)
    assert int(re.search(r'id="row-count">(\d+)<', page).group(1)) == len(expected)
    rows = download(real_client, "status=in-progress")
    assert {r["IRI"] for r in rows} == expected
    assert {r["Status"] for r in rows} == {ontology_label(built.graph, "in-progress", "nb")}


def test_status_combines_with_the_other_facets_and_stays_in_the_url(real_client, built: Built):
    latest = latest_statuses()
    decisive = {str(c) for c in built.graph.subjects(PK.strength, PK.decisive)}
    expected = {c for c, s in latest.items() if s == "in-progress"} & decisive
    assert expected, "some decisive commitment should be in progress, or this proves little"
    assert {r["IRI"] for r in download(real_client, "status=in-progress&strength=decisive")} == expected
    page = real_client.get("/commitments?status=in-progress").get_data(as_text=True)
    strength_panel = re.search(r'data-facet="strength".*?</details>', page, re.DOTALL).group(0)
    links = re.findall(r'<a href="([^"]+)" data-key=', strength_panel)
    assert links and all("status=in-progress" in link for link in links)
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="/commitments.{fmt}?status=in-progress"' in page


def test_status_values_are_named_by_the_ontology_in_both_languages(real_client, built: Built):
    for language in ("nb", "en"):
        page = real_client.get(f"/commitments?lang={language}").get_data(as_text=True)
        panel = re.search(r'data-facet="status".*?</details>', page, re.DOTALL).group(0)
        names = dict(re.findall(r'data-key="([^"]+)">([^<]*)</a>', panel))
        assert names and names == {key: ontology_label(built.graph, key, language) for key in names}
