"""The graph's content checked like code: containment, the planner's question, evidence everywhere."""

from __future__ import annotations

from rdflib import RDF, URIRef
from rdflib.namespace import SKOS

from graph.curated import PK
from graph.pipeline import Built
from graph.report import build_report

LK = "https://leangen-kg.org/id/"
PREFIXES = "PREFIX pk: <https://leangen-kg.org/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
TOUCHING = PREFIXES + """
SELECT DISTINCT ?first WHERE {
  ?p pk:partOf* ?place .
  { ?c pk:concernsPlace ?p } UNION { ?c pk:concernsProject/pk:locatedAt ?p }
  ?c pk:firstLine ?first .
}"""


def touching(built: Built, slug: str) -> set[int]:
    rows = built.graph.query(TOUCHING, initBindings={"place": URIRef(LK + "place/" + slug)})
    return {int(r.first) for r in rows}


def test_places_inside_heimdal(built: Built) -> None:
    g = built.graph
    heimdal = URIRef(LK + "place/heimdal")
    inside = {str(p).removeprefix(LK) for p in g.transitive_subjects(PK.partOf, heimdal)}
    assert {"place/tiller", "place/heimdal-sentrum", "place/johan-tillers-veg"} <= inside
    assert URIRef(LK + "place/trondheim") in set(g.transitive_objects(heimdal, PK.partOf))


def test_what_touches_heimdal_includes_the_places_inside_it(built: Built) -> None:
    lines = touching(built, "heimdal")
    assert 470 in lines  # ny ishall på Tiller
    assert 696 in lines  # Johan Tillers veg del 2 … i Heimdal sentrum
    assert 152 in lines  # Heimdal helse- og velferdssenter (through the project)
    assert 453 in lines  # bydelsbibliotek på Heimdal
    assert 552 not in lines  # kjøpesentre utenfor Midtbyen: not Heimdal


def test_what_touches_other_places(built: Built) -> None:
    assert 469 in touching(built, "moholt")
    assert 675 in touching(built, "brattora") and 675 in touching(built, "heggstadmoen")
    assert 684 in touching(built, "lade") and 684 in touching(built, "sluppen")
    assert {449, 664} <= touching(built, "nyhavna")
    assert {552, 566, 705, 706} <= touching(built, "midtbyen")


def test_every_place_inside_the_city_reaches_trondheim(built: Built) -> None:
    g = built.graph
    city = URIRef(LK + "place/trondheim")
    for place in g.subjects(RDF.type, PK.Place):
        kind = g.value(place, PK.placeKind)
        if kind in {PK.city, PK.region, PK.water, PK.route}:
            continue
        assert city in set(g.transitive_objects(place, PK.partOf)), place


def test_every_project_with_a_place_is_located(built: Built) -> None:
    g = built.graph
    located = {p for p in g.subjects(RDF.type, PK.Project) if g.value(p, PK.locatedAt) is not None}
    for slug in ("ishall-tiller", "bydelsbasseng-moholt", "godsterminal-heggstadmoen", "johan-tillers-veg-del-2"):
        assert URIRef(LK + "project/" + slug) in located, slug


def test_actors_and_instruments_the_issue_names_are_linked(built: Built) -> None:
    g = built.graph
    def linked_labels(prop: URIRef) -> set[str]:
        return {str(g.value(o, SKOS.prefLabel)) for o in g.objects(None, prop)}

    actors = linked_labels(PK.involvesActor)
    for name in ("St. Olavs hospital", "NAV", "Miljøpakken", "Helse Midt-Norge", "Ungt Entreprenørskap", "EU"):
        assert name in actors, name
    instruments = {s.lower() for s in linked_labels(PK.usesInstrument)}
    for name in ("eiendomsskatt", "bompenger", "parkeringsavgift", "fritidskort", "klimakontrakt"):
        assert any(name in s for s in instruments), name


def test_every_curated_entity_has_evidence_and_source(built: Built) -> None:
    g = built.graph
    for cls in (PK.Place, PK.Project, PK.Actor, PK.Instrument, PK.Target):
        for entity in g.subjects(RDF.type, cls):
            assert list(g.objects(entity, PK.evidence)), entity
            if cls != PK.Target:
                assert g.value(entity, SKOS.prefLabel) is not None, entity


def test_places_named_only_in_prose_are_mentioned_by_their_area(built: Built) -> None:
    g = built.graph
    klaebu = URIRef(LK + "place/klaebu")
    (area,) = list(g.subjects(PK.mentions, klaebu))
    assert str(g.value(area, SKOS.prefLabel)) == "Byutvikling"
    (mention,) = [m for m in g.objects(area, PK.hasMention) if g.value(m, PK.mentionOf) == klaebu]
    assert int(g.value(mention, PK.sourceLine)) == 506
    assert not list(g.subjects(PK.concernsPlace, klaebu))  # prose is context, not a commitment


def _mention_lines(g, subject: URIRef, entity: URIRef) -> set[int]:
    return {int(g.value(m, PK.sourceLine)) for m in g.objects(subject, PK.hasMention)
            if g.value(m, PK.mentionOf) == entity}


def test_a_topic_heading_names_what_the_topic_is_about(built: Built) -> None:
    """The words "Fastlegeordningen" stand only in a heading (line 193): the topic must lead to the scheme."""
    g = built.graph
    scheme = URIRef(LK + "instrument/fastlegeordningen")
    (topic,) = list(g.subjects(PK.mentions, scheme))
    assert (topic, RDF.type, PK.Topic) in g
    assert _mention_lines(g, topic, scheme) == {193}


def test_the_front_page_links_its_namesake_and_the_platform_it_builds_on(built: Built) -> None:
    g = built.graph
    (doc,) = list(g.subjects(RDF.type, PK.PolicyDocument))
    assert _mention_lines(g, doc, URIRef(LK + "place/leangen")) == {5}  # "Leangen- erklæringen"
    platform = URIRef(LK + "instrument/samarbeidsplattform-sentrum-hoyre")
    assert (doc, PK.mentions, platform) in g
    assert _mention_lines(g, doc, platform) == {46}
    assert "Samarbeidsplattform for sentrum-Høyre 2023-2027" not in build_report(built.result)["entities_never_linked"]
