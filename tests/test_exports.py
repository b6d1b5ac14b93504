"""Every list page is data too: the same rows as .csv (Norwegian Excel), .xlsx and .json."""

from __future__ import annotations

import csv
import io
import re

import pytest

#: Each list page, the path of its data twins (before .csv), and the query string of both.
LIST_PAGES = [
    ("/commitments", "/commitments", "?strength=decisive&place=heimdal"),
    ("/commitments", "/commitments", ""),
    ("/places", "/places", ""),
    ("/area/byutvikling", "/area/byutvikling", ""),
    ("/topic/miljo-naering-samferdsel/samferdsel", "/topic/miljo-naering-samferdsel/samferdsel", ""),
    ("/actor/nav", "/actor/nav", ""),
    ("/instrument/reguleringsplan", "/instrument/reguleringsplan", ""),
    ("/place/heimdal", "/place/heimdal/touching", ""),
    ("/search", "/search", "?q=tiller"),
    ("/analysis", "/analysis/centrality", ""),
    ("/analysis", "/analysis/impact", ""),
]


@pytest.fixture(scope="module")
def oxi_actors_without(built_dist) -> str:
    """An actor no commitment involves (asked of the graph file directly)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(built_dist / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)
    rows = list(store.query("PREFIX pk: <https://leangen-kg.org/ontology#> SELECT ?a WHERE { ?a a pk:Actor "
                            "FILTER NOT EXISTS { ?c pk:involvesActor ?a } } ORDER BY ?a LIMIT 1"))
    return rows[0]["a"].value.rsplit("/", 1)[-1]


def read_csv(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, or Excel reads ø as Ã¸"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(body: bytes) -> tuple[list[list[str]], object]:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(body)).active
    rows = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
    return rows, ws


@pytest.mark.parametrize("page, data, query", LIST_PAGES)
def test_list_page_links_its_data_and_all_three_hold_the_same_rows(real_client, page, data, query):
    html = real_client.get(page + query).get_data(as_text=True).replace("&amp;", "&")
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="{data}.{fmt}{query}"' in html, f"{page} does not link its {fmt}"
    table = read_csv(real_client.get(f"{data}.csv{query}").data)
    header, rows = table[0], table[1:]
    assert "IRI" in header and rows, "every table names each row's IRI"
    assert all(r[header.index("IRI")].startswith("https://leangen-kg.org/id/") for r in rows)
    sheet, ws = read_xlsx(real_client.get(f"{data}.xlsx{query}").data)
    assert sheet[0] == header and len(sheet) - 1 == len(rows)
    assert ws.freeze_panes == "A2"
    assert all(ws.column_dimensions[c].width > 8 for c in "AB")
    body = real_client.get(f"{data}.json{query}").get_json()
    assert [c["title"] for c in body["columns"]] == header
    point = [[re.sub(r"^(\d+),(\d+)$", r"\1.\2", v) for v in r] for r in rows]  # CSV's decimal comma
    assert [[str(v) for v in r.values()] for r in body["rows"]] == point
    assert body["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_commitments_csv_has_the_rows_the_page_shows(real_client):
    html = real_client.get("/commitments?borough=midtbyen&target=no").get_data(as_text=True)
    shown = re.findall(r'<td><a href="(/commitment/[^"]+)"', html)
    table = read_csv(real_client.get("/commitments.csv?borough=midtbyen&target=no").data)
    iris = [r[table[0].index("IRI")].replace("https://leangen-kg.org/id", "") for r in table[1:]]
    assert iris == shown


def test_csv_speaks_the_page_language_with_lines(real_client):
    nb = read_csv(real_client.get("/commitments.csv?strength=decisive").data)
    en = read_csv(real_client.get("/commitments.csv?strength=decisive&lang=en").data)
    assert nb[0][:3] == ["Område", "Tema", "Løfte"] and en[0][:3] == ["Policy area", "Topic", "Commitment"]
    assert {r[nb[0].index("Styrke")] for r in nb[1:]} == {"forpliktende"}
    assert {r[en[0].index("Strength")] for r in en[1:]} == {"decisive"}
    assert all(re.fullmatch(r"\d+(–\d+)?", r[nb[0].index("Linjer i dokumentet")]) for r in nb[1:])


def test_decimals_use_the_comma_in_norwegian_csv(real_client):
    table = read_csv(real_client.get("/analysis/centrality.csv").data)
    degree = table[1][table[0].index("Gradsentralitet")]
    assert re.fullmatch(r"0,\d+", degree)


def test_a_bad_facet_in_a_download_is_named(real_client):
    r = real_client.get("/commitments.csv?place=atlantis")
    assert r.status_code == 400 and "«place»" in r.get_data(as_text=True)
    assert real_client.get("/area/atlantis.csv").status_code == 404
    assert real_client.get("/actor/gruppe-staten.csv").status_code == 404  # a facet group is no actor


def test_an_actor_without_commitments_has_an_empty_table_not_a_404(real_client, oxi_actors_without):
    r = real_client.get(f"/actor/{oxi_actors_without}.csv")
    assert r.status_code == 200 and len(read_csv(r.data)) == 1


def test_the_commitment_column_is_named_as_the_ontology_names_a_commitment(real_client):
    """Page and download call the column what the ontology calls the thing (nb "løfte"), not "Punkt"."""
    from graph.vocab import registry

    for lang in ("nb", "en"):
        word = registry().label("Commitment", lang)
        word = word[:1].upper() + word[1:]
        html = real_client.get(f"/commitments?lang={lang}").get_data(as_text=True)
        assert f'data-sort="commitment">{word}</a>' in html
        assert word in read_csv(real_client.get(f"/commitments.csv?lang={lang}").data)[0]
