"""/commitments, the faceted browser, on the real graph: counts checked against SPARQL written
independently of viewer/facets/*.rq, the state in the URL, errors that name the parameter."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pyoxigraph as ox
import pytest

PREFIX = "PREFIX pk: <https://leangen-kg.org/ontology#>\nPREFIX lk: <https://leangen-kg.org/id/>\n"

#: Three example filters and the same question asked in plain SPARQL, not with the facet patterns.
EXAMPLES = {
    "place=heimdal": """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
        ?c a pk:Commitment .
        { ?c pk:concernsPlace/pk:partOf* lk:place\\/heimdal }
        UNION { ?c pk:concernsProject/pk:locatedAt/pk:partOf* lk:place\\/heimdal } }""",
    "actor=gruppe-staten&strength=decisive": """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
        ?c a pk:Commitment ; pk:strength pk:decisive ; pk:involvesActor ?a .
        FILTER(?a IN (lk:actor\\/staten, lk:actor\\/statlige-myndigheter, lk:actor\\/nasjonale-myndigheter)) }""",
    "borough=midtbyen&target=no&link=supports": """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
        ?c a pk:Commitment .
        { ?c pk:concernsPlace/pk:partOf* lk:place\\/midtbyen }
        UNION { ?c pk:concernsProject/pk:locatedAt/pk:partOf* lk:place\\/midtbyen }
        FILTER NOT EXISTS { ?c pk:hasTarget ?t }
        FILTER EXISTS { ?l pk:linkKind pk:supports . { ?l pk:from ?c } UNION { ?l pk:to ?c } } }""",
}


@pytest.fixture(scope="module")
def oxi(built_dist) -> ox.Store:
    store = ox.Store()
    store.load(path=str(built_dist / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    return store


def count(store: ox.Store, query: str) -> int:
    return int(next(iter(store.query(PREFIX + query)))["n"].value)


def row_count(html: str) -> int:
    return int(re.search(r'id="row-count">(\d+)<', html).group(1))


def facet_count(html: str, facet: str, key: str) -> int:
    """The count a facet shows beside one of its values."""
    panel = re.search(rf'data-facet="{facet}".*?</details>', html, re.DOTALL).group(0)
    return int(re.search(rf'data-key="{re.escape(key)}">[^<]*</a> <span class="n">(\d+)<', panel).group(1))


@pytest.mark.parametrize("filters", list(EXAMPLES))
def test_example_filters_count_what_independent_sparql_counts(real_client, oxi, filters):
    expected = count(oxi, EXAMPLES[filters])
    r = real_client.get("/commitments?" + filters)
    assert r.status_code == 200
    assert expected > 0, "an example filter must keep something, or it proves little"
    assert row_count(r.get_data(as_text=True)) == expected


def test_facet_counts_apply_the_other_facets(real_client, oxi):
    html = real_client.get("/commitments?place=heimdal").get_data(as_text=True)
    for strength in ("decisive", "advocacy"):
        expected = count(oxi, EXAMPLES["place=heimdal"].replace(
            "?c a pk:Commitment .", f"?c a pk:Commitment ; pk:strength pk:{strength} ."))
        if expected:
            assert facet_count(html, "strength", strength) == expected
    everything = real_client.get("/commitments").get_data(as_text=True)
    assert facet_count(everything, "strength", "decisive") > facet_count(html, "strength", "decisive")


def test_state_group_finds_the_state_and_its_authorities(real_client):
    def keys(query: str) -> set[str]:
        html = real_client.get("/commitments?" + query).get_data(as_text=True)
        return set(re.findall(r'<td><a href="(/commitment/[^"]+)"', html))

    members = keys("actor=staten") | keys("actor=statlige-myndigheter") | keys("actor=nasjonale-myndigheter")
    assert keys("actor=statlige-myndigheter") and keys("actor=staten")
    assert keys("actor=gruppe-staten") == members


def test_values_of_one_facet_are_alternatives_and_links_toggle_them(real_client):
    one = row_count(real_client.get("/commitments?borough=heimdal").get_data(as_text=True))
    two = row_count(real_client.get("/commitments?borough=heimdal&borough=lerkendal").get_data(as_text=True))
    assert two > one
    html = real_client.get("/commitments?borough=heimdal&strength=decisive").get_data(as_text=True)
    link = re.search(r'href="([^"]+)" data-key="lerkendal"', html).group(1).replace("&amp;", "&")
    assert link == "/commitments?strength=decisive&borough=heimdal&borough=lerkendal"
    off = re.search(r'href="([^"]+)" data-key="heimdal"', html).group(1).replace("&amp;", "&")
    assert off == "/commitments?strength=decisive"


def test_columns_sort_both_ways(real_client):
    def lines(query: str) -> list[int]:
        html = real_client.get("/commitments?" + query).get_data(as_text=True)
        return [int(x) for x in re.findall(r'<td class="num">(\d+)', html)]

    down = lines("area=byutvikling&sort=-lines")
    assert down == sorted(down, reverse=True) and len(down) > 1
    assert lines("area=byutvikling&sort=lines") == sorted(down)


@pytest.mark.parametrize("query, param", [("place=atlantis", "place"), ("strength=maybe", "strength"),
                                          ("sort=colour", "sort"), ("actor=<script>", "actor")])
def test_a_bad_parameter_is_named_not_a_traceback(real_client, query, param):
    r = real_client.get("/commitments?" + query)
    assert r.status_code == 400
    text = r.get_data(as_text=True)
    assert f"«{param}»" in text or "sort=" in text
    assert "<script>" not in text


def test_the_view_sparql_opens_the_editor_and_gives_the_same_rows(real_client, oxi):
    html = real_client.get("/commitments?borough=midtbyen&strength=decisive").get_data(as_text=True)
    link = re.search(r'id="view-sparql" href="([^"]+)"', html).group(1)
    assert link.startswith("/sparql#query=")
    query = unquote(link.split("#query=", 1)[1].replace("&amp;", "&"))
    assert len({r["c"] for r in oxi.query(query)}) == row_count(html)


def test_a_name_twice_on_a_line_is_one_row_with_its_count(real_client):
    """Line 89 says "eiendomsskatten" twice: the commitment's names list it once, marked ×2, where
    two equal rows read as a mistake."""
    page = real_client.get("/commitment/finans-organisasjon/2").get_data(as_text=True)
    table = page.split('<h2>Koblinger med belegg</h2>', 1)[1].split("</table>", 1)[0]
    rows = [r for r in table.split("<tr>") if "«eiendomsskatten»" in r]
    assert len(rows) == 1 and "×2" in rows[0], rows
