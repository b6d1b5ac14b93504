"""Links between commitments: cue extraction on the document's real clauses, the curated file's
evidence, and that every curated link resolves once the graph builds (issue 5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from graph.cue_links import commitment_texts, cue_report_rows, extract_links, find_cues
from graph.curated import PK
from graph.errors import BuildError
from graph.pipeline import Paths
from graph.relations import load_curated_links
from graph.segment import normalise, read_lines

LINKS = Paths().curated / "links.ttl"
LK = "https://leangen-kg.org/id/"


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return read_lines(Paths().source)[0]


@pytest.fixture(scope="module")
def raw() -> Graph:
    return Graph().parse(LINKS)


# ---- cue clauses --------------------------------------------------------------------------


def _cues_on(lines: list[str], first: int, last: int) -> list:
    iri = URIRef(f"{LK}commitment/test/1")
    texts = commitment_texts({n: iri for n in range(first, last + 1)}, lines)
    return find_cues(texts.values())


@pytest.mark.parametrize(
    ("first", "last", "cue", "clause_start", "line"),
    [
        (675, 677, "slik at", "slik at Brattøra snarest mulig kan omgjøres til byutviklingsformål", 677),
        (700, 700, "for å", "for å redusere personbiltrafikk med 20 prosent", 700),
        (105, 105, "med mål om", "med mål om å redusere sykefraværet med minst ett prosentpoeng", 105),
        (89, 89, "dersom", "Dersom den økonomiske situasjonen tillater det", 89),
        (469, 469, "så snart", "så snart regulering er ferdigstilt", 469),
        (615, 615, "i tråd med", "i tråd med vedtatt energi- og klimaplan", 615),
        (617, 617, "etter modell fra", "etter modell fra +CityxChange", 617),
        (214, 214, "i samarbeid med", "i samarbeid med St. Olavs hospital med fokus på helhetlig oppfølging", 214),
        (409, 409, "i samarbeid med", "i samarbeid med NAV og arbeidsgivere", 409),
    ],
)
def test_each_cue_found_on_its_real_clause(lines, first, last, cue, clause_start, line):
    found = [r for r in _cues_on(lines, first, last) if r.cue == cue]
    assert found, f"no '{cue}' found on lines {first}–{last}"
    assert found[0].clause.startswith(clause_start)
    assert found[0].line == line


def test_clause_stops_at_the_next_cue(lines):
    # 488: "…, slik at Trondheim kulturskole …, og slik at samarbeide … kan videreutvikles."
    recs = [r for r in _cues_on(lines, 488, 488) if r.cue == "slik at"]
    assert len(recs) == 2
    assert "samarbeide" not in recs[0].clause
    assert recs[1].clause.startswith("slik at samarbeide")


def test_cue_inside_a_word_is_not_a_cue(lines):
    # "fortsatt" contains "for"; no cue may start inside a word.
    assert all(r.clause.lower().startswith(r.cue) for r in _cues_on(lines, 86, 110))


def test_cue_spanning_a_page_break_reports_the_line_it_starts_on(lines):
    recs = _cues_on(lines, 675, 677)
    assert [r.line for r in recs] == [677]


# ---- the curated file ---------------------------------------------------------------------


def test_every_evidence_quote_stands_on_its_line(raw, lines):
    normalised = [normalise(x) for x in lines]
    bad = []
    for link, node in raw.subject_objects(PK.evidence):
        quote, n = str(raw.value(node, PK.quote)), int(raw.value(node, PK.line))
        if normalise(quote) not in normalised[n - 1]:
            bad.append((link, n, quote))
    assert not bad


def test_every_link_has_kind_rationale_evidence_and_origin(raw):
    links = set(raw.subjects(RDF.type, PK.CommitmentLink)) | set(raw.subjects(RDF.type, PK.EntityLink))
    assert len(links) >= 100
    for link in links:
        assert raw.value(link, PK.linkKind) in (PK.dependsOn, PK.supports, PK.conflictsWith), link
        assert {r.language for r in raw.objects(link, PK.rationale)} >= {"en"}, link
        assert list(raw.objects(link, PK.evidence)), link
        assert raw.value(link, PK.origin) == PK.curated, link


def test_the_issues_named_links_are_there(raw):
    def has(kind, frm, to):
        for link in raw.subjects(PK.linkKind, kind):
            f = raw.value(link, PK.fromLine) or raw.value(link, PK.fromProject)
            t = raw.value(link, PK.toLine) or raw.value(link, PK.toTarget) or raw.value(link, PK.toProject)
            if str(f) == str(frm) and str(t) == str(to):
                return True
        return False

    assert has(PK.dependsOn, f"{LK}project/brattora-byutvikling", f"{LK}project/godsterminal-heggstadmoen")
    assert has(PK.supports, 93, 383)  # property sale → school buildings
    assert has(PK.supports, 700, f"{LK}target/personbiltrafikk-20")
    assert has(PK.supports, 700, f"{LK}target/nullvekstmalet")
    assert has(PK.supports, 528, 469)  # simpler planning helps the Moholt pool, which waits for its own plan
    assert has(PK.conflictsWith, 89, 88)  # property-tax freeze vs income
    assert has(PK.conflictsWith, 694, f"{LK}target/personbiltrafikk-20")
    assert has(PK.conflictsWith, 695, f"{LK}target/nullvekstmalet")
    assert has(PK.conflictsWith, 533, 564)  # densification vs green areas
    sick = {str(raw.value(link, PK.fromLine)) for link in raw.subjects(PK.toTarget, URIRef(f"{LK}target/sykefravaer-reduksjon"))}
    assert {"92", "183", "349"} <= sick  # one goal in three areas


def test_a_line_outside_any_commitment_fails_loudly(tmp_path: Path):
    bad = tmp_path / "links.ttl"
    bad.write_text(
        "@prefix pk: <https://leangen-kg.org/ontology#> .\n"
        "<https://leangen-kg.org/id/link/x> a pk:CommitmentLink ; pk:linkKind pk:supports ;\n"
        "  pk:fromLine 78 ; pk:toLine 88 ; pk:rationale \"r\"@en ;\n"
        "  pk:evidence [ pk:quote \"q\"@nb ; pk:line 78 ] ; pk:origin pk:curated .\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildError, match="line 78"):
        load_curated_links(bad, {88: URIRef(f"{LK}commitment/a/1")})


# ---- on the built graph -------------------------------------------------------------------


def test_every_curated_link_resolves(built, lines):
    g = load_curated_links(LINKS, built.result.commitment_iris, known=built.graph, lines=lines)
    nodes = set(g.subjects(RDF.type, PK.CommitmentLink)) | set(g.subjects(RDF.type, PK.EntityLink))
    assert len(nodes) == len(set(Graph().parse(LINKS).subjects(PK.linkKind, None)))
    for link in nodes:
        frm, kind, to = g.value(link, PK["from"]), g.value(link, PK.linkKind), g.value(link, PK.to)
        assert (frm, kind, to) in g
        assert frm != to


def test_built_graph_carries_direct_triples_and_nodes(built):
    g = built.graph
    c700 = built.result.commitment_iris[700]
    assert (c700, PK.supports, URIRef(f"{LK}target/personbiltrafikk-20")) in g
    assert (URIRef(f"{LK}project/brattora-byutvikling"), PK.dependsOn,
            URIRef(f"{LK}project/godsterminal-heggstadmoen")) in g
    origins = {g.value(link, PK.origin) for link in g.subjects(RDF.type, PK.CommitmentLink)}
    assert origins == {PK.curated, PK.extracted}


def test_extraction_on_the_real_graph(built, lines):
    _g, records = extract_links(built.graph, built.result.commitment_iris, lines)
    ci = built.result.commitment_iris
    by_line = {(r.line, r.cue): r for r in records}
    # every cue is reported, linked or not
    assert len(records) == len(cue_report_rows(records)) >= 90
    assert not by_line[(89, "dersom")].linked and by_line[(89, "dersom")].note
    # a target the commitment states
    assert (PK.supports, URIRef(f"{LK}target/personbiltrafikk-20")) in by_line[(700, "for å")].links
    # a project named in the clause
    assert (PK.concernsProject, URIRef(f"{LK}project/brattora-byutvikling")) in by_line[(677, "slik at")].links
    # an actor named after "i samarbeid med"
    assert (PK.involvesActor, URIRef(f"{LK}actor/nav")) in by_line[(409, "i samarbeid med")].links
    # another commitment, identified by the one entity only it shares with the clause
    assert (PK.supports, ci[611]) in by_line[(615, "i tråd med")].links
    # ambiguous: KPA is named by several commitments, so nothing is linked, candidates are listed
    kpa = by_line[(536, "i tråd med")]
    assert not kpa.linked and len(kpa.candidates) >= 2


# ---- interaction scores (issue 10) --------------------------------------------------------


def test_every_curated_link_carries_its_score_into_the_graph(built):
    g = built.graph
    curated = set(g.subjects(PK.origin, PK.curated))
    scores = {link: g.value(link, PK.interactionScore) for link in curated}
    assert curated and None not in scores.values()
    allowed = {PK.supports: {1, 2}, PK.conflictsWith: {-1, -2, -3}, PK.dependsOn: {3}}
    for link, score in scores.items():
        assert int(score) in allowed[g.value(link, PK.linkKind)], link


def test_a_stated_condition_reaches_the_graph(built):
    g = built.graph
    quotes = {str(g.value(node, PK.quote)) for node in g.objects(None, PK.condition)}
    assert "Dersom den økonomiske situasjonen tillater det" in quotes


def _link_messages(built, link: URIRef, edit: str = "") -> list[str]:
    """The shapes' error messages about ``link`` after ``edit``, on the link's own description (its
    evidence and condition nodes), the direct triple and its ends' types: what the link's shapes
    read. (A copy of the whole graph took seconds to make and check, for the same verdict.)"""
    from graph.validate import load_shapes, validate

    g = built.graph
    ends = [g.value(link, PK["from"]), g.value(link, PK.to)]
    g_link = Graph()
    for s, p, o in g:
        if str(s) == str(link) or str(s).startswith(f"{link}/") or (s in ends and p == RDF.type) \
                or (s == ends[0] and o == ends[1]):
            g_link.add((s, p, o))
    if edit:
        g_link.update(edit)
    outcome = validate(g_link, load_shapes(Paths().shapes))
    return [v.message for v in outcome.errors if v.focus_node == str(link)]


def test_shapes_refuse_a_curated_link_without_a_score(built):
    link = next(iter(built.graph.subjects(PK.origin, PK.curated)))
    assert not [m for m in _link_messages(built, link) if "pk:interactionScore" in m]
    messages = _link_messages(built, link, f"DELETE WHERE {{ <{link}> <{PK.interactionScore}> ?s }}")
    assert any("has no pk:interactionScore" in m for m in messages), messages


def test_shapes_refuse_a_score_that_disagrees_with_the_kind(built):
    g = built.graph
    link = next(x for x in g.subjects(PK.origin, PK.curated) if g.value(x, PK.linkKind) == PK.supports)
    assert not [m for m in _link_messages(built, link) if "supports takes" in m]
    messages = _link_messages(built, link, f"DELETE {{ <{link}> <{PK.interactionScore}> ?s }} "
                                           f"INSERT {{ <{link}> <{PK.interactionScore}> -2 }} "
                                           f"WHERE {{ <{link}> <{PK.interactionScore}> ?s }}")
    assert any("supports takes +1 or +2" in m for m in messages), messages
