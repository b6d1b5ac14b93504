"""Search that forgives: the hard cases a Trondheim reader types, on /search with the real graph,
and the fold rules themselves (the same rules as viewer/static/fold.js and the network's search)."""

from __future__ import annotations

import re

import pytest

from viewer import fold

#: What a reader types → the entity that must come first.
HARD_CASES = [
    ("Brattora", "/place/brattora"),
    ("Klaebu", "/place/klaebu"),
    ("Oya stadion", "/place/oya-stadion"),
    ("Granasen", "/place/granasen"),
    ("Heimdals", "/place/heimdal"),
    ("NAVs", "/actor/nav"),
    ("Miljøpakka", "/actor/miljopakken"),
    ("St Olav", "/actor/st-olavs-hospital"),
    ("miljopakken", "/actor/miljopakken"),
    ("TRONDHEIM", "/place/trondheim"),
]


@pytest.mark.parametrize("query, first", HARD_CASES)
def test_search_finds_the_hard_cases_exact_name_first(real_client, query, first):
    html = real_client.get("/search", query_string={"q": query}).get_data(as_text=True)
    hits = re.findall(r'<li><span class="type">[^<]*</span> <a href="([^"]+)"', html)
    assert hits and hits[0] == first, f"{query!r} gave {hits[:3]}"


@pytest.mark.parametrize("typed, name", [
    ("Brattora", "Brattøra"), ("Brattøra", "Brattora"), ("Klaebu", "Klæbu"), ("Klæbu", "Klaebu"),
    ("Granaasen", "Granåsen"), ("Granåsen", "Granaasen"), ("heimdals", "Heimdal sentrum"),
    ("st olav", "St. Olavs hospital"), ("nav", "NAV"), ("bymark", "Bymarka"),
])
def test_fold_matches_both_ways(typed, name):
    assert fold.matches(typed, name)


@pytest.mark.parametrize("typed, name", [("olav st", "Stolav"), ("heim", "Tiller"), ("", "Heimdal")])
def test_fold_does_not_match_anything(typed, name):
    assert not fold.matches(typed, name)


def test_exact_name_ranks_before_a_name_that_starts_with_it():
    assert fold.rank("Heimdal", "Heimdal") < fold.rank("Heimdal", "Heimdal sentrum") < \
        fold.rank("Heimdal", "nye Heimdal") < fold.rank("Heimdal", "Tiller")


def test_search_results_are_data_too(real_client):
    body = real_client.get("/search.json", query_string={"q": "Brattora"}).get_json()
    assert body["rows"][0]["iri"] == "https://leangen-kg.org/id/place/brattora"


def test_language_switch_keeps_the_search_term(real_client):
    html = real_client.get("/search", query_string={"q": "Øya stadion"}).get_data(as_text=True)
    switch = re.search(r'id="lang-switch" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "q=%C3%98ya+stadion" in switch or "q=%C3%98ya%20stadion" in switch
    assert "lang=en" in switch
