"""The interaction scores as products and views: the matrix, the review's coverage, the tensions, the
rankings, the downloads and the network's edges.

Every expected figure is computed here, independently, from the graph with SPARQL or from
link-review.csv with the csv module, and compared with what the build wrote and the pages show.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import openpyxl
import pytest

from graph.errors import BuildError
from graph.impact import if_stalled_scored
from graph.interaction_products import graph_facts
from graph.link_review import read_review

ROOT = Path(__file__).resolve().parent.parent
REVIEW = ROOT / "sources" / "curated" / "link-review.csv"
PREFIX = "PREFIX pk: <https://leangen-kg.org/ontology#>\n"
BASE = "https://leangen-kg.org/id/"
BLUES, ORANGES = {"#9ecae1", "#3182bd", "#08519c"}, {"#fdae6b", "#e6550d", "#a63603"}


@pytest.fixture(scope="module")
def dist(built_dist: Path) -> Path:
    """dist/ as the build writes it: the session's (conftest.py), written from the same graph by the
    same ``write`` (with the offline pages besides), so this module does not write a second one."""
    return built_dist


@pytest.fixture(scope="module")
def products(dist: Path) -> dict:
    return json.loads((dist / "interactions.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def client(built, dist):
    from viewer.app import create_app
    from viewer.kg import GraphStore

    return create_app({"STORE": GraphStore(built.graph), "DIST_DIR": dist, "TESTING": True}).test_client()


def short(term) -> str:
    return str(term).removeprefix(BASE)


@pytest.fixture(scope="module")
def scored(built) -> list[tuple[str, str, int, str, str]]:
    """(influencer, influenced, score, link, kind) for every scored link, by SPARQL."""
    rows = built.graph.query(PREFIX + """
        SELECT ?l ?k ?x ?y ?s WHERE {
          ?l pk:interactionScore ?s ; pk:linkKind ?k ; pk:from ?f ; pk:to ?t .
          BIND (IF(?k = pk:dependsOn, ?t, ?f) AS ?x) BIND (IF(?k = pk:dependsOn, ?f, ?t) AS ?y)
        }""")
    return [(short(r.x), short(r.y), int(r.s), short(r.l), short(r.k).rsplit("#")[-1]) for r in rows]


@pytest.fixture(scope="module")
def areas(built) -> dict[str, str]:
    """Each node's area by SPARQL: a commitment's own; a target's or project's from the first
    commitment (by line) that states or concerns it."""
    g = built.graph
    out = {short(r.c): short(r.a) for r in g.query(PREFIX + "SELECT ?c ?a WHERE { ?c pk:policyArea ?a ; pk:firstLine ?l }")}
    for r in g.query(PREFIX + """
        SELECT ?e ?a WHERE {
          { SELECT ?e (MIN(?l) AS ?first) WHERE { ?c pk:hasTarget|pk:concernsProject ?e ; pk:firstLine ?l } GROUP BY ?e }
          ?c2 pk:hasTarget|pk:concernsProject ?e ; pk:firstLine ?first ; pk:policyArea ?a .
        }"""):
        out.setdefault(short(r.e), short(r.a))
    return out


def expected_area_cells(scored, areas) -> dict[tuple[str, str], tuple[int, int]]:
    cells: dict[tuple[str, str], list[int]] = defaultdict(list)
    for x, y, s, _, _ in scored:
        if x in areas and y in areas:
            cells[(areas[x], areas[y])].append(s)
    return {k: (sum(v), len(v)) for k, v in cells.items()}


# --- build products ---------------------------------------------------------------------------------

def test_area_matrix_sums_are_the_graphs_scores_per_area_pair(products, scored, areas) -> None:
    got = {(c["from"], c["to"]): (c["sum"], c["count"]) for c in products["area_matrix"]}
    assert got == expected_area_cells(scored, areas)
    assert sum(n for _, n in got.values()) == len(scored)  # every link has an area at both ends


def test_every_scored_link_is_in_the_product_with_its_reasons(products, scored, built) -> None:
    by_id = {d["id"]: d for d in products["links"]}
    assert sorted(by_id) == sorted(link for *_, link, _ in scored)
    for x, y, s, link, kind in scored:
        d = by_id[link]
        assert (d["influencer"], d["influenced"], d["score"], d["kind"]) == (x, y, s, kind)
        assert d["rationale"]["en"] and d["rationale"]["nb"] and d["evidence"]
    conditions = {short(r.l) for r in built.graph.query(PREFIX + "SELECT DISTINCT ?l WHERE { ?l pk:condition ?c }")}
    assert conditions and {d["id"] for d in products["links"] if d["condition"]} == conditions


def test_review_coverage_and_score_counts_are_the_csvs_and_the_graphs(dist, products, scored) -> None:
    with REVIEW.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    report = json.loads((dist / "build-report.json").read_text(encoding="utf-8"))
    coverage = report["link_review"]
    assert coverage["candidates"] == len(rows)
    assert coverage["reviewed"] == sum(1 for r in rows if r["decision"])
    assert coverage["decisions"] == dict(Counter(r["decision"] for r in rows if r["decision"]))
    assert coverage["scores"] == dict(Counter(r["score"] for r in rows if r["score"]))
    assert coverage["links_not_reviewed"] == 0
    assert report["interaction_scores"] == {str(s): n for s, n in Counter(s for _, _, s, _, _ in scored).items()}
    assert products["review"]["candidates"] == len(rows)


def test_rankings_are_the_sdg_synergies_sums(products, scored) -> None:
    want: dict[str, Counter] = defaultdict(Counter)
    for x, y, s, _, _ in scored:
        want[x]["net"] += s
        want[x]["enabling" if s > 0 else "constraining"] += s
        want[y]["influenced"] += s
    got = {r["id"]: {k: r[k] for k in ("net", "enabling", "constraining", "influenced") if r[k]}
           for r in products["ranking"]}
    assert got == {n: {k: v for k, v in c.items() if v} for n, c in want.items()}


def test_every_tension_has_a_theme_and_review_themes_win(products) -> None:
    with REVIEW.open(encoding="utf-8", newline="") as stream:
        reviewed = {r["link_id"]: r["candidate_source"].split(":", 1)[1].strip()
                    for r in csv.DictReader(stream) if r["candidate_source"].startswith("theme:")}
    tensions = [d for d in products["links"] if d["score"] < 0]
    assert tensions and all(d.get("theme") for d in tensions)
    for d in tensions:
        if d["id"].removeprefix("link/") in reviewed:
            assert d["theme"] == reviewed[d["id"].removeprefix("link/")]


def test_scored_impact_follows_only_strong_links() -> None:
    links = [("a", "supports", "b", 1), ("b", "supports", "c", 2), ("d", "dependsOn", "e", 3),
             ("c", "supports", "f", 2), ("x", "supports", "y", None)]
    impact = if_stalled_scored(links)
    assert impact["e"].stalls == {"d"}
    assert impact["b"].harder == {"c", "f"}
    assert "a" not in impact and "x" not in impact


def test_network_edges_carry_the_score(dist, scored) -> None:
    model = json.loads((dist / "network.json").read_text(encoding="utf-8"))
    edges = {(e["from"], e["predicate"], e["to"]): e for e in model["edges"]}
    for x, y, s, _, kind in scored:
        frm, to = (y, x) if kind == "dependsOn" else (x, y)
        e = edges[(frm, kind, to)]
        assert e["score"] == s and e["width"] > 1
        # blue for what helps, orange for what pulls against (colour-blind safe: no red/green)
        assert e["scoreColor"] in (BLUES if s > 0 else ORANGES)


# --- the review is checked ----------------------------------------------------------------------------

def _bad_review(tmp_path: Path, old: str, new: str) -> Path:
    text = REVIEW.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "link-review.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "fragment"), [
    ("675,533,existing link,kept,1,", "1,533,existing link,kept,1,", "line 3: row 2, column from_line: line 1 is not"),
    ("675,533,existing link,kept,1,", "675,533,existing link,kept,2,", "line 3: row 2, column score: 2 here, but"),
    ("675,533,existing link,kept,1,heggstadmoen", "675,533,existing link,kept,1,heggstadmoon",
     "column link_id: no link 'heggstadmoon"),
    ("675,533,existing link,kept,1,", "675,target:nowhere,existing link,kept,1,", "column to_line: 'target:nowhere'"),
    ("675,533,existing link,kept,1,", "675,533,existing link,maybe,1,", "column decision: 'maybe' is not a decision"),
])
def test_a_bad_review_row_is_named_by_file_row_and_column(built, tmp_path, old, new, fragment) -> None:
    path = _bad_review(tmp_path, old, new)
    with pytest.raises(BuildError) as err:
        read_review(path, graph_facts(built.graph, BASE))
    assert str(err.value).startswith(f"{path}, ") and fragment in str(err.value)


# --- the views ------------------------------------------------------------------------------------------

def test_matrix_page_shows_the_area_sums_and_counts(client, scored, areas) -> None:
    html = client.get("/analysis/matrix").get_data(as_text=True)
    shown = {(m[0], m[1]): (int(m[2]), int(m[3])) for m in
             re.findall(r'data-from="([^"]+)" data-to="([^"]+)" data-sum="(-?\d+)" data-count="(\d+)"', html)}
    assert shown == expected_area_cells(scored, areas)


def test_matrix_of_a_story_set_shows_each_links_score_and_rationale(client, scored, products) -> None:
    html = client.get("/analysis/matrix?story=94").get_data(as_text=True)
    cells = {(m[0], m[1]): int(m[2]) for m in
                 re.findall(r'data-from="([^"]+)" data-to="([^"]+)" data-score="(-?\d+)"', html)}
    c94 = next(n for n, d in products["nodes"].items() if d.get("lines") and d["lines"][0] <= 94 <= d["lines"][-1])
    want = defaultdict(int)
    for x, y, s, _, _ in scored:
        if c94 in (x, y):
            want[(x, y)] += s
    assert cells == dict(want) and any(v < 0 for v in cells.values())
    rationale = next(d["rationale"]["nb"] for d in products["links"] if d["influencer"] == c94)
    assert rationale.replace("'", "&#39;").replace('"', "&#34;") in html


def test_matrix_parameters_that_match_nothing_are_named(client) -> None:
    resp = client.get("/analysis/matrix?area=area/nowhere")
    assert resp.status_code == 400 and "?area=area/nowhere" in resp.get_data(as_text=True)
    resp = client.get("/analysis/matrix?story=1")
    assert resp.status_code == 400 and "is neither a commitment id nor a line" in resp.get_data(as_text=True)


@pytest.mark.parametrize("query", ["", "?place=place/heimdal"])
def test_csv_and_xlsx_downloads_hold_the_same_cells(client, products, query) -> None:
    csv_rows = list(csv.reader(io.StringIO(client.get("/analysis/matrix.csv" + query).data.decode("utf-8-sig"))))
    wb = openpyxl.load_workbook(io.BytesIO(client.get("/analysis/matrix.xlsx" + query).data))
    ws = wb.active
    xlsx_rows = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
    assert xlsx_rows == csv_rows and ws.freeze_panes == "B2" and len(csv_rows) > 2
    if not query:
        labels = {a["label"]: a["id"] for a in products["areas"]}
        sums = {(c["from"], c["to"]): str(c["sum"]) for c in products["area_matrix"]}
        header = csv_rows[0]
        for row in csv_rows[1:]:
            for label, value in zip(header[1:], row[1:], strict=True):
                assert value == sums.get((labels[row[0]], labels[label]), "")


def test_tensions_page_shows_every_negative_link_under_its_theme(client, scored, products) -> None:
    html = client.get("/tensions").get_data(as_text=True)
    negative = {link for _, _, s, link, _ in scored if s < 0}
    assert set(re.findall(r'<article class="tension" data-link="([^"]+)"', html)) == negative
    assert f'<strong id="tension-count">{len(negative)}</strong>' in html
    sections = re.findall(r'data-theme="([^"]+)">(.*?)</section>', html, re.DOTALL)
    theme_of = {d["id"]: d["theme"] for d in products["links"] if d["score"] < 0}
    for theme, body in sections:
        for link in re.findall(r'data-link="([^"]+)"', body):
            assert theme_of[link] == theme.replace("&amp;", "&")


def test_influence_page_ranks_by_net_influence(client, scored) -> None:
    net: Counter = Counter()
    for x, _, s, _, _ in scored:
        net[x] += s
    html = client.get("/analysis/influence").get_data(as_text=True)
    table = re.search(r'<table id="rank-net">(.*?)</table>', html, re.DOTALL).group(1)
    first = re.search(r'<tr data-id="([^"]+)"><td class="num">(-?\d+)</td>', table)
    assert int(first.group(2)) == max(net.values()) == net[first.group(1)]
