"""Checks of the curated entity files against the source document and docs/vocabulary.md.

Each curated file (places, projects, actors, instruments, targets) is loaded with rdflib on its
own, and all five together for references between them. For every entity:

- each pk:evidence quote occurs on its stated line of the source file (whitespace-normalised);
- exactly one skos:prefLabel @nb, an English rdfs:label, @nb alternative labels, no generic word
  as a label, a kind/type from the vocabulary list, a non-empty dcterms:source;
- IRIs follow lk:<kind>/<slug>.

For places: every place except the city/region/water/route kinds has a pk:partOf chain that ends at
place:trondheim (no cycles, every step a defined place); every point parses as WKT "POINT(lon lat)"
with a positive precision and lies within Trondheim's surroundings (lon 9.9–10.9, lat 63.1–63.6).
Routes and water bodies extend beyond the municipality: their representative point may lie anywhere
in a Trøndelag box (lon 8–15, lat 62–66); regions (Trøndelag, Norge, Norden) anywhere in a Nordic box.

References (pk:partOf, pk:locatedAt) must name defined places. Targets must carry value, unit,
measures (@nb and @en) and a valid comparison, and their evidence must stand in a commitment bullet
(a "- …" line, or the continuation of one, after a "Byrådet vil:" line).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

ROOT = Path(__file__).resolve().parent.parent
CURATED = ROOT / "sources" / "curated"
SOURCE = ROOT / "sources" / "leangen-erklaeringen-2024-2027.txt"

PK = Namespace("https://leangen-kg.org/ontology#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
BASE = "https://leangen-kg.org/id/"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
XSD_INTEGER = URIRef(XSD_NS + "integer")
XSD_DECIMAL, XSD_GYEAR = URIRef(XSD_NS + "decimal"), URIRef(XSD_NS + "gYear")
TRONDHEIM = URIRef(BASE + "place/trondheim")

# file name → (class, IRI path segment, kind property, allowed kinds)
FILES = {
    "places.ttl": (PK.Place, "place", PK.placeKind,
                   "city region borough district street square venue route water forest station site"),
    "projects.ttl": (PK.Project, "project", PK.projectKind,
                     ("school sportsFacility healthFacility cultureFacility transportInfrastructure "
                      "publicSpace church event urbanDevelopment pilot")),
    "actors.ttl": (PK.Actor, "actor", PK.actorType,
                   ("municipality municipalService publicAuthority healthTrust company foundation nonProfit "
                    "politicalParty internationalBody partnership educationInstitution genericCategory")),
    "instruments.ttl": (PK.Instrument, "instrument", PK.instrumentKind,
                        "tax fee contractForm procurementMethod scheme plan regulation programme agreement measure"),
    "targets.ttl": (PK.Target, "target", None, ""),
}
COMPARISONS = {PK[c] for c in ("atLeast", "atMost", "exactly", "reduction", "increase")}
# Places that need not be contained in Trondheim, and their coordinate boxes (lon_min, lon_max, lat_min, lat_max).
TRONDHEIM_BOX = (9.9, 10.9, 63.1, 63.6)
TRONDELAG_BOX = (8.0, 15.0, 62.0, 66.0)
NORDIC_BOX = (-25.0, 45.0, 54.0, 72.0)
NOT_CONTAINED_KINDS = {PK.city, PK.region, PK.water, PK.route}
# Words that name no single body or place in this document and must never be labels.
GENERIC = {"byen", "sentrum", "kommunen", "kommune", "skolen", "skole", "sykehuset", "biblioteket", "bydelen",
           "bydelene", "fjorden", "marka", "regionen", "barnehager", "skoler", "prosjekt"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
WKT = re.compile(r"^POINT\((-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)\)$")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


SOURCE_LINES = SOURCE.read_text(encoding="utf-8").split("\n")
NORMALISED = [normalise(line) for line in SOURCE_LINES]


def quote_on_line(quote: str, line: int) -> bool:
    """Whether the quote stands verbatim (whitespace-normalised) on the 1-based line."""
    q = normalise(quote)
    return bool(q) and 1 <= line <= len(NORMALISED) and q in NORMALISED[line - 1]


def load(name: str) -> Graph:
    g = Graph()
    g.parse(CURATED / name, format="turtle")
    return g


GRAPHS = {name: load(name) for name in FILES}
ALL = Graph()
for _g in GRAPHS.values():
    ALL += _g


def entities(name: str) -> list[URIRef]:
    cls = FILES[name][0]
    return sorted(s for s in GRAPHS[name].subjects(RDF.type, cls) if isinstance(s, URIRef))


def cases(names=FILES):
    return [pytest.param(name, e, id=f"{name}:{str(e)[len(BASE):]}") for name in names for e in entities(name)]


PLACES = {e for e in ALL.subjects(RDF.type, PK.Place) if isinstance(e, URIRef)}


# --------------------------------------------------------------------------------------------
# the checker itself can fail
# --------------------------------------------------------------------------------------------

def test_quote_checker_rejects_wrong_lines():
    assert quote_on_line("regulere Johan Tillers veg del 2", 696)
    assert not quote_on_line("regulere Johan Tillers veg del 2", 695)
    assert not quote_on_line("Heimdal", 0)
    assert not quote_on_line("Heimdal", len(SOURCE_LINES) + 1)
    assert not quote_on_line("   ", 696)


# --------------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", FILES)
def test_file_starts_with_comment_and_holds_only_its_class(name):
    text = (CURATED / name).read_text(encoding="utf-8")
    assert text.startswith("#"), f"{name} must start with a comment saying what it holds"
    assert entities(name), f"{name} defines no {FILES[name][1]}"
    typed = {s for s, _, o in GRAPHS[name].triples((None, RDF.type, None))
             if isinstance(s, URIRef) and str(o).startswith(str(PK))}
    assert typed == set(entities(name)), f"{name} defines entities of another class: {typed - set(entities(name))}"


def test_no_iri_defined_twice():
    seen: dict[URIRef, str] = {}
    for name in FILES:
        for e in entities(name):
            assert e not in seen, f"{e} defined in {seen.get(e)} and {name}"
            seen[e] = name


# --------------------------------------------------------------------------------------------
# every entity
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,entity", cases())
def test_iri_pattern(name, entity):
    segment = FILES[name][1]
    prefix = f"{BASE}{segment}/"
    assert str(entity).startswith(prefix), entity
    assert SLUG.match(str(entity)[len(prefix):]), f"bad slug in {entity}"


@pytest.mark.parametrize("name,entity", cases())
def test_evidence_quotes_stand_on_their_lines(name, entity):
    g = GRAPHS[name]
    nodes = list(g.objects(entity, PK.evidence))
    assert nodes, f"{entity} has no pk:evidence"
    for node in nodes:
        quotes = list(g.objects(node, PK.quote))
        lines = list(g.objects(node, PK.line))
        assert len(quotes) == 1 and len(lines) == 1, f"{entity}: evidence needs one pk:quote and one pk:line"
        quote, line = quotes[0], lines[0]
        assert isinstance(quote, Literal) and quote.language == "nb", f"{entity}: quote must be @nb"
        assert isinstance(line, Literal) and line.datatype == XSD_INTEGER
        assert quote_on_line(str(quote), int(line)), f'{entity}: "{quote}" is not on line {int(line)}'


@pytest.mark.parametrize("name,entity", cases())
def test_labels(name, entity):
    g = GRAPHS[name]
    prefs = list(g.objects(entity, SKOS.prefLabel))
    assert len(prefs) == 1, f"{entity} needs exactly one skos:prefLabel, has {len(prefs)}"
    assert prefs[0].language == "nb" and str(prefs[0]).strip(), f"{entity}: prefLabel must be non-empty @nb"
    english = [o for o in g.objects(entity, RDFS.label) if o.language == "en"]
    assert len(english) == 1 and str(english[0]).strip(), f"{entity} needs one English rdfs:label"
    for alt in g.objects(entity, SKOS.altLabel):
        assert alt.language == "nb" and str(alt) == str(alt).strip() and str(alt), f"{entity}: bad altLabel {alt!r}"
    for label in [*prefs, *g.objects(entity, SKOS.altLabel)]:
        assert str(label).lower() not in GENERIC, f"{entity}: generic word {label!r} used as a label"


@pytest.mark.parametrize("name,entity", cases())
def test_kind_and_source(name, entity):
    g = GRAPHS[name]
    _, _, kind_prop, allowed = FILES[name]
    if kind_prop is not None:
        kinds = list(g.objects(entity, kind_prop))
        assert len(kinds) == 1, f"{entity} needs exactly one {kind_prop}"
        assert kinds[0] in {PK[k] for k in allowed.split()}, f"{entity}: {kinds[0]} is not an allowed kind"
    sources = [str(s).strip() for s in g.objects(entity, DCTERMS.source)]
    assert sources and all(sources), f"{entity} needs a non-empty dcterms:source"


# --------------------------------------------------------------------------------------------
# places
# --------------------------------------------------------------------------------------------

def kind(entity: URIRef) -> URIRef:
    return ALL.value(entity, PK.placeKind)


@pytest.mark.parametrize("name,entity", cases(["places.ttl"]))
def test_part_of_chain_ends_at_trondheim(name, entity):
    if kind(entity) in NOT_CONTAINED_KINDS:
        return
    seen = {entity}
    current = entity
    while current != TRONDHEIM:
        parents = list(ALL.objects(current, PK.partOf))
        assert len(parents) == 1, f"{current} (in the chain of {entity}) needs exactly one pk:partOf"
        current = parents[0]
        assert current in PLACES, f"{entity}: pk:partOf chain reaches undefined {current}"
        assert current not in seen, f"{entity}: pk:partOf cycle at {current}"
        seen.add(current)


def test_boroughs_are_directly_in_trondheim_and_trondheim_in_trondelag():
    boroughs = [p for p in PLACES if kind(p) == PK.borough]
    assert {str(b)[len(BASE) + 6:] for b in boroughs} >= {"midtbyen", "ostbyen", "lerkendal", "heimdal"}
    for b in boroughs:
        assert list(ALL.objects(b, PK.partOf)) == [TRONDHEIM], f"{b} must be part of Trondheim directly"
    assert ALL.value(TRONDHEIM, PK.partOf) == URIRef(BASE + "place/trondelag")
    assert kind(TRONDHEIM) == PK.city


@pytest.mark.parametrize("slug,borough", [("tiller", "heimdal"), ("heimdal-sentrum", "heimdal"),
                                          ("moholt", "lerkendal"), ("lade", "ostbyen")])
def test_known_containment(slug, borough):
    assert ALL.value(URIRef(BASE + "place/" + slug), PK.partOf) == URIRef(BASE + "place/" + borough)


def point(entity: URIRef) -> tuple[float, float, Decimal]:
    geoms = list(ALL.objects(entity, GEO.hasGeometry))
    assert len(geoms) == 1, f"{entity} needs exactly one geo:hasGeometry"
    geom = geoms[0]
    assert (geom, RDF.type, GEO.Geometry) in ALL, f"{entity}: geometry not typed geo:Geometry"
    wkts = list(ALL.objects(geom, GEO.asWKT))
    assert len(wkts) == 1 and wkts[0].datatype == GEO.wktLiteral, f"{entity}: needs one geo:wktLiteral"
    m = WKT.match(str(wkts[0]))
    assert m, f"{entity}: {wkts[0]} is not POINT(lon lat)"
    precisions = list(ALL.objects(geom, PK.precisionMetres))
    assert len(precisions) == 1, f"{entity} needs exactly one pk:precisionMetres"
    precision = Decimal(str(precisions[0]))
    assert precision > 0
    return float(m.group(1)), float(m.group(2)), precision


@pytest.mark.parametrize("name,entity", cases(["places.ttl"]))
def test_coordinates_parse_and_lie_near_trondheim(name, entity):
    lon, lat, precision = point(entity)
    k = kind(entity)
    box = NORDIC_BOX if k == PK.region else TRONDELAG_BOX if k in (PK.route, PK.water) else TRONDHEIM_BOX
    lon_min, lon_max, lat_min, lat_max = box
    assert lon_min <= lon <= lon_max and lat_min <= lat <= lat_max, (
        f"{entity}: POINT({lon} {lat}) outside {box} (swapped lon/lat?)")
    if k in (PK.borough, PK.forest, PK.city, PK.region):
        assert precision >= 2000, f"{entity}: a {k} cannot be located to {precision} m"
    if k == PK.square:
        assert precision <= 500, f"{entity}: a square should be located within 500 m"


# --------------------------------------------------------------------------------------------
# references
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("prop", [PK.partOf, PK.locatedAt])
def test_referenced_places_are_defined(prop):
    for subject, obj in ALL.subject_objects(prop):
        assert obj in PLACES, f"{subject} refers with {prop} to undefined {obj}"


@pytest.mark.parametrize("name,entity", cases(["projects.ttl"]))
def test_project_places(name, entity):
    for place in ALL.objects(entity, PK.locatedAt):
        assert place in PLACES


def test_must_come_out_right():
    jtv = URIRef(BASE + "project/johan-tillers-veg-del-2")
    labels = {str(o) for o in ALL.objects(jtv, SKOS.prefLabel)} | {str(o) for o in ALL.objects(jtv, SKOS.altLabel)}
    assert "Johan Tillers veg del 2" in labels  # longest match, so "Tiller" is not linked from it
    assert URIRef(BASE + "place/heimdal-sentrum") in set(ALL.objects(jtv, PK.locatedAt))
    hvs = URIRef(BASE + "project/heimdal-helse-og-velferdssenter")
    assert URIRef(BASE + "place/heimdal") in set(ALL.objects(hvs, PK.locatedAt))
    schools = [URIRef(BASE + f"project/{s}-skole") for s in ("smelteverket", "tonstad", "broset")]
    for s in schools:
        assert Literal("Smelteverket, Tonstad og Brøset skoler", lang="nb") in set(ALL.objects(s, SKOS.altLabel))
    parties = [a for a in ALL.subjects(PK.actorType, PK.politicalParty)]
    assert len(parties) == 3


# --------------------------------------------------------------------------------------------
# targets
# --------------------------------------------------------------------------------------------

def in_commitment(line: int) -> bool:
    """Line is a "- …" bullet, or continues one, after a "Byrådet vil:" line."""
    if not any(normalise(t) == "Byrådet vil:" for t in SOURCE_LINES[: line - 1]):
        return False
    text = SOURCE_LINES[line - 1].strip()
    if text.startswith("-"):
        return True
    for previous in reversed(SOURCE_LINES[: line - 1]):
        if previous.strip():
            return previous.strip().startswith("-")
    return False


@pytest.mark.parametrize("name,entity", cases(["targets.ttl"]))
def test_target_properties(name, entity):
    g = GRAPHS[name]
    values = list(g.objects(entity, PK.value))
    assert len(values) == 1 and values[0].datatype == XSD_DECIMAL, f"{entity} needs one xsd:decimal pk:value"
    try:
        Decimal(str(values[0]))
    except InvalidOperation:
        pytest.fail(f"{entity}: pk:value {values[0]} is not a number")
    units = list(g.objects(entity, PK.unit))
    assert len(units) == 1 and units[0].language == "nb" and str(units[0]).strip()
    assert sorted(m.language for m in g.objects(entity, PK.measures)) == ["en", "nb"]
    assert any(o.language == "nb" for o in g.objects(entity, RDFS.label)), f"{entity} needs an rdfs:label @nb"
    comparisons = list(g.objects(entity, PK.comparison))
    assert len(comparisons) <= 1 and set(comparisons) <= COMPARISONS
    for prop in (PK.deadlineYear, PK.baselineYear):
        for year in g.objects(entity, prop):
            assert year.datatype == XSD_GYEAR and re.fullmatch(r"20[0-5]\d|19\d\d", str(year))
    deadline, baseline = g.value(entity, PK.deadlineYear), g.value(entity, PK.baselineYear)
    if deadline is not None and baseline is not None:
        assert int(str(baseline)) < int(str(deadline))


@pytest.mark.parametrize("name,entity", cases(["targets.ttl"]))
def test_target_evidence_inside_a_commitment(name, entity):
    g = GRAPHS[name]
    for node in g.objects(entity, PK.evidence):
        line = int(g.value(node, PK.line))
        assert in_commitment(line), f"{entity}: evidence line {line} is not inside a 'Byrådet vil:' bullet"


def test_commitment_check_can_fail():
    assert not in_commitment(44)  # prose before any "Byrådet vil:"
    assert not in_commitment(506)  # prose paragraph in Byutvikling
    assert in_commitment(534)
