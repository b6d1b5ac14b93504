"""Tests of the ontology, the SHACL gate and its report.

The gate is only worth having if it (a) lets a correct graph through and (b) stops each kind of broken
graph with a message a person can act on. So: one minimal valid graph (fixtures/shapes/valid.ttl) must
conform, and each fixtures/shapes/*.ru update breaks it in one place and must be caught at the right node
with the right rule and message. The ontology tests keep the vocabulary, the shapes and the contract
(docs/vocabulary.md) in step, and check the strength lexicon against every bullet of the document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph.validate import ValidationOutcome, Violation, format_report, load_shapes, validate

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "shapes"
ONTOLOGY = REPO / "ontology" / "leangen.ttl"
SHAPES = REPO / "shapes" / "leangen-shapes.ttl"
VOCABULARY = REPO / "docs" / "vocabulary.md"
SOURCE = REPO / "sources" / "leangen-erklaeringen-2024-2027.txt"

PK = Namespace("https://leangen-kg.org/ontology#")
LK = "https://leangen-kg.org/id/"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def valid_graph() -> Graph:
    return Graph().parse(FIXTURES / "valid.ttl", format="turtle")


def broken_graph(name: str) -> Graph:
    graph = valid_graph()
    update = (FIXTURES / f"{name}.ru").read_text(encoding="utf-8")
    before = len(graph)
    triples_before = set(graph)
    graph.update(update)
    # Guard against a fixture that silently does nothing (then the test would prove nothing).
    assert set(graph) != triples_before or len(graph) != before, f"{name}.ru changed nothing"
    return graph


# --------------------------------------------------------------------------------------------------
# The valid graph
# --------------------------------------------------------------------------------------------------


def test_valid_graph_conforms_without_warnings(shapes: Graph) -> None:
    outcome = validate(valid_graph(), shapes)
    assert outcome.conforms, format_report(outcome)
    assert outcome.violations == [], format_report(outcome)


def test_valid_graph_has_every_class(shapes: Graph) -> None:
    """The valid fixture must exercise every class shape, or a broken shape could hide behind it."""
    data = valid_graph()
    for cls in ("PolicyDocument", "PolicyArea", "Topic", "Commitment", "Mention", "Place", "Project",
                "Actor", "Instrument", "Target", "CommitmentLink"):
        assert any(data.subjects(RDF.type, PK[cls])), cls
    assert any(data.subjects(RDF.type, URIRef("http://www.opengis.net/ont/geosparql#Geometry")))


def test_valid_graph_conforms_under_another_base_iri(shapes: Graph) -> None:
    """The base IRI is configurable (LEANGEN_BASE_IRI): IRI patterns must only look at the path."""
    text = (FIXTURES / "valid.ttl").read_text(encoding="utf-8")
    moved = Graph().parse(data=text.replace(LK, "http://localhost:8000/kg/"), format="turtle")
    outcome = validate(moved, shapes)
    assert outcome.conforms, format_report(outcome)


def test_load_shapes_accepts_a_path() -> None:
    assert len(load_shapes(SHAPES)) == len(load_shapes(str(SHAPES))) > 100


# --------------------------------------------------------------------------------------------------
# Broken variants: each caught at its node, with its rule and message
# --------------------------------------------------------------------------------------------------

C70 = LK + "commitment/miljo-naering-samferdsel/70"
C74 = LK + "commitment/miljo-naering-samferdsel/74"
HEIMDAL = LK + "place/heimdal-sentrum"
TARGET = LK + "target/redusert-personbiltrafikk"

# fixture, shape, focus node (or the node owning a blank focus), path, rule, words in the message
BROKEN = [
    ("missing-text", "Commitment", C70, "pk:text", "MinCountConstraintComponent", "exactly one full text"),
    ("text-without-language", "Commitment", C70, "pk:text", "LanguageInConstraintComponent", "Norwegian Bokmål (@nb)"),
    ("text-without-language", "Commitment", C70, "pk:text", "DatatypeConstraintComponent", "tagged as Norwegian"),
    ("place-without-coordinates", "Place", HEIMDAL, "geo:hasGeometry", "MinCountConstraintComponent",
     "WGS84 point (coordinates)"),
    ("coordinate-out-of-bounds", "Geometry", HEIMDAL, "geo:asWKT", "PatternConstraintComponent",
     "outside WGS84 bounds"),
    ("coordinate-swapped", "Geometry", HEIMDAL, None, "SPARQLConstraintComponent (longitude and latitude not swapped)",
     "looks swapped"),
    ("undefined-actor", "Commitment", C74, "pk:involvesActor", "ClassConstraintComponent",
     "must point at a node typed pk:Actor"),
    ("bad-year-letters", "Target", TARGET, "pk:deadlineYear", "PatternConstraintComponent", "between 2000 and 2060"),
    ("bad-year-implausible", "Target", TARGET, "pk:deadlineYear", "PatternConstraintComponent", "between 2000 and 2060"),
    ("two-ordinals", "Commitment", C70, "pk:ordinal", "MaxCountConstraintComponent", "exactly one pk:ordinal"),
    ("ordinal-zero", "Commitment", C70, "pk:ordinal", "MinInclusiveConstraintComponent", "from 1"),
    ("ordinal-positive-integer", "Commitment", C70, "pk:ordinal", "DatatypeConstraintComponent", "xsd:integer"),
    ("target-value-integer", "Target", TARGET, "pk:value", "DatatypeConstraintComponent", "xsd:decimal"),
    ("wrong-iri-pattern", "Place", LK + "place/Heimdal_Sentrum", None, "PatternConstraintComponent",
     "must end in /place/<slug>"),
    ("commitment-iri-mismatch", "Commitment", C70, None,
     "SPARQLConstraintComponent (commitment IRI names its area and ordinal)",
     "should end in /commitment/miljo-naering-samferdsel/71"),
    ("reversed-line-span", "LineSpan", C74, "pk:firstLine", "LessThanOrEqualsConstraintComponent",
     "pk:firstLine comes after pk:lastLine"),
    ("link-not-mirrored", "CommitmentLink", LK + "link/johan-tillers-veg-stotter-personbilmal", None,
     "SPARQLConstraintComponent (link node mirrored by the direct triple)", "not in the graph"),
]


@pytest.fixture(scope="module")
def broken(shapes: Graph) -> Callable[[str], ValidationOutcome]:
    """The gate's outcome on a broken fixture, validated once for all the tests that read it."""
    outcomes: dict[str, ValidationOutcome] = {}

    def outcome(name: str) -> ValidationOutcome:
        if name not in outcomes:
            outcomes[name] = validate(broken_graph(name), shapes)
        return outcomes[name]

    return outcome


def _node_or_owner(v: Violation) -> str:
    """The focus IRI, or for a blank focus node (a geometry) the IRI of the node that owns it."""
    if v.focus_node.startswith("_:") and v.context:
        return v.context.rsplit(" of ", 1)[1]
    return v.focus_node


@pytest.mark.parametrize(("fixture", "shape", "node", "path", "rule", "message"), BROKEN,
                         ids=[f"{b[0]}-{b[4]}" for b in BROKEN])
def test_broken_variant_is_caught(broken: Callable[[str], ValidationOutcome], fixture: str, shape: str, node: str, path: str | None,
                                  rule: str, message: str) -> None:
    outcome = broken(fixture)
    report = format_report(outcome)
    assert not outcome.conforms, report
    matches = [v for v in outcome.errors
               if v.shape == shape and _node_or_owner(v) == node and v.path == path and v.rule == rule]
    assert matches, f"expected {shape} / {rule} on {path} at {node}; got:\n{report}"
    assert any(message in v.message for v in matches), report


def test_each_broken_variant_only_breaks_what_it_says(broken: Callable[[str], ValidationOutcome]) -> None:
    """A variant that trips unrelated shapes would hide whether the intended rule works."""
    allowed_nodes = {b[0]: {b[2]} for b in BROKEN}
    for fixture, nodes in allowed_nodes.items():
        outcome = broken(fixture)
        stray = [v for v in outcome.errors if _node_or_owner(v) not in nodes]
        assert not stray, f"{fixture}: unexpected results\n{format_report(outcome)}"


def test_undefined_actor_reports_the_missing_iri(broken: Callable[[str], ValidationOutcome]) -> None:
    outcome = broken("undefined-actor")
    (violation,) = [v for v in outcome.errors if v.path == "pk:involvesActor"]
    assert violation.value == LK + "actor/nav"


def test_warning_does_not_fail_the_gate(broken: Callable[[str], ValidationOutcome]) -> None:
    outcome = broken("coordinate-abroad")
    assert outcome.conforms, format_report(outcome)
    (warning,) = outcome.warnings
    assert warning.severity == "Warning"
    assert "outside Norway" in warning.message
    assert _node_or_owner(warning) == LK + "place/trondheim"


def test_missing_link_target_and_language_are_distinct_results(broken: Callable[[str], ValidationOutcome]) -> None:
    """A plain-string text is reported both as wrong datatype and as missing language: both are useful."""
    outcome = broken("text-without-language")
    rules = {v.rule for v in outcome.errors if v.path == "pk:text"}
    assert {"DatatypeConstraintComponent", "LanguageInConstraintComponent"} <= rules


# --------------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------------


def test_format_report_names_node_rule_message_and_line(broken: Callable[[str], ValidationOutcome]) -> None:
    outcome = broken("missing-text")
    report = format_report(outcome)
    assert "does NOT conform" in report
    assert "Commitment (" in report  # grouped by shape
    assert C70 in report  # the node
    assert "regulere Johan Tillers veg del 2" in report  # its label
    assert "MinCountConstraintComponent on pk:text" in report  # the rule and path
    assert "A commitment needs exactly one full text (pk:text)" in report  # the message
    assert "line 696" in report  # the source line


def test_format_report_for_blank_node_names_its_owner_and_evidence_line(broken: Callable[[str], ValidationOutcome]) -> None:
    report = format_report(broken("coordinate-out-of-bounds"))
    assert f"geo:hasGeometry of {HEIMDAL}" in report
    assert "Heimdal sentrum" in report
    assert "line 696" in report  # from the place's pk:evidence


def test_format_report_when_conforming(shapes: Graph) -> None:
    assert "conforms" in format_report(validate(valid_graph(), shapes))


# --------------------------------------------------------------------------------------------------
# The ontology
# --------------------------------------------------------------------------------------------------

DECLARING_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                   SKOS.Concept, SKOS.ConceptScheme}


def _declared(ontology: Graph) -> set[URIRef]:
    return {s for s, t in ontology.subject_objects(RDF.type)
            if t in DECLARING_TYPES and isinstance(s, URIRef) and str(s).startswith(str(PK))}


def _pk_terms(graph: Graph) -> set[URIRef]:
    return {n for triple in graph for n in triple if isinstance(n, URIRef) and str(n).startswith(str(PK))}


def test_ontology_parses_and_declares_itself(ontology: Graph) -> None:
    assert (URIRef("https://leangen-kg.org/ontology"), RDF.type, OWL.Ontology) in ontology
    assert len(_declared(ontology)) > 100


def test_every_pk_term_in_the_shapes_is_declared(ontology: Graph, shapes: Graph) -> None:
    missing = _pk_terms(shapes) - _declared(ontology)
    assert not missing, sorted(missing)


def test_every_pk_term_in_the_valid_fixture_is_declared(ontology: Graph) -> None:
    missing = _pk_terms(valid_graph()) - _declared(ontology)
    assert not missing, sorted(missing)


def test_every_pk_term_of_the_contract_is_declared(ontology: Graph) -> None:
    """docs/vocabulary.md is the contract: every pk: term it names must exist in the ontology."""
    names = set(re.findall(r"\bpk:([A-Za-z][A-Za-z0-9]*)", VOCABULARY.read_text(encoding="utf-8")))
    missing = {PK[n] for n in names} - _declared(ontology)
    assert not missing, sorted(missing)


def test_every_class_and_property_has_nb_and_en_labels_and_a_comment(ontology: Graph) -> None:
    problems = []
    for term in sorted(_declared(ontology)):
        types = set(ontology.objects(term, RDF.type))
        if types & {SKOS.Concept, SKOS.ConceptScheme}:
            label_prop, comment_prop = SKOS.prefLabel, SKOS.definition
        else:
            label_prop, comment_prop = RDFS.label, RDFS.comment
        langs = {lit.language for lit in ontology.objects(term, label_prop) if isinstance(lit, Literal)}
        if not {"nb", "en"} <= langs:
            problems.append(f"{term}: labels in {sorted(str(x) for x in langs)}")
        comments = [c for c in ontology.objects(term, comment_prop) if isinstance(c, Literal)]
        if not any(c.language == "en" for c in comments):
            problems.append(f"{term}: no English {comment_prop.split('#')[-1]}")
    assert not problems, "\n".join(problems)


def test_properties_have_domain_or_range_and_classes_are_aligned(ontology: Graph) -> None:
    # pk:evidence links places, projects, actors, instruments, targets and commitment links to untyped
    # [ pk:quote ; pk:line ] nodes, so it deliberately has neither domain nor range; pk:mentions runs from
    # SKOS concepts and the document to four entity classes, which only an owl:unionOf (blank nodes) could say.
    for prop in set(ontology.subjects(RDF.type, OWL.ObjectProperty)) - {PK.evidence, PK.mentions}:
        assert (prop, RDFS.domain, None) in ontology or (prop, RDFS.range, None) in ontology, prop
    assert (PK.Place, RDFS.subClassOf, URIRef("http://www.opengis.net/ont/geosparql#Feature")) in ontology
    assert (PK.PolicyArea, RDFS.subClassOf, SKOS.Concept) in ontology


KIND_SCHEMES = {
    "StrengthScheme": "decisive advocacy exploratory",
    "PlaceKindScheme": "city region borough district street square venue route water forest station site",
    "ProjectKindScheme": "school sportsFacility healthFacility cultureFacility transportInfrastructure publicSpace "
                         "church event urbanDevelopment pilot",
    "ActorTypeScheme": "municipality municipalService publicAuthority healthTrust company foundation nonProfit "
                       "politicalParty internationalBody partnership educationInstitution genericCategory",
    "InstrumentKindScheme": "tax fee contractForm procurementMethod scheme plan regulation programme agreement measure",
    "ComparisonScheme": "atLeast atMost exactly reduction increase",
    "LinkOriginScheme": "extracted curated",
}


@pytest.mark.parametrize("scheme", sorted(KIND_SCHEMES))
def test_concept_schemes_hold_exactly_the_contract_concepts(ontology: Graph, scheme: str) -> None:
    expected = {PK[n] for n in KIND_SCHEMES[scheme].split()}
    assert (PK[scheme], RDF.type, SKOS.ConceptScheme) in ontology
    assert set(ontology.subjects(SKOS.inScheme, PK[scheme])) == expected
    assert set(ontology.objects(PK[scheme], SKOS.hasTopConcept)) == expected
    for concept in expected:
        assert (concept, RDF.type, SKOS.Concept) in ontology, concept
        assert len(set(ontology.objects(concept, SKOS.inScheme))) == 1, concept


# --------------------------------------------------------------------------------------------------
# The strength lexicon
# --------------------------------------------------------------------------------------------------

# Lines of the source that begin with "- " but continue the bullet before them (PDF page breaks).
CONTINUATION_FRAGMENTS = {257: "funksjonsnedsettelse.", 278: "bedre boligsosialt", 284: "ordninger som",
                          291: "det får", 381: "og vurdere"}


def _cues(ontology: Graph) -> dict[str, URIRef]:
    cues: dict[str, URIRef] = {}
    for strength, cue in ontology.subject_objects(PK.cue):
        assert str(cue) not in cues, f"cue {cue!r} given to two strengths"
        cues[str(cue)] = strength
    return cues


def _lead_cue(text: str, cues: dict[str, URIRef], modifiers: list[str]) -> str | None:
    """The matching rule documented on pk:cue: skip modifiers, then the longest whole-word prefix cue."""
    text = text.lower().strip()
    stripped = True
    while stripped:
        stripped = False
        for modifier in modifiers:
            if text.startswith(modifier + " "):
                text, stripped = text[len(modifier) + 1:], True
    hits = [c for c in cues if re.match(re.escape(c) + r"(?!\w)", text)]
    return max(hits, key=len) if hits else None


def test_cues_are_lower_case_nb_and_each_in_one_strength(ontology: Graph) -> None:
    cues = _cues(ontology)
    assert set(cues.values()) == {PK.decisive, PK.advocacy, PK.exploratory}
    for strength, cue in ontology.subject_objects(PK.cue):
        assert isinstance(cue, Literal) and cue.language == "nb", cue
        assert str(cue) == str(cue).lower().strip(), cue
        assert (strength, SKOS.inScheme, PK.StrengthScheme) in ontology


@pytest.mark.parametrize(("cue", "strength"), [
    ("sikre", "decisive"), ("innføre", "decisive"), ("etablere", "decisive"), ("realisere", "decisive"),
    ("gjennomføre", "decisive"), ("bygge", "decisive"), ("selge", "decisive"), ("styrke", "decisive"),
    ("at", "decisive"), ("jobbe for", "advocacy"), ("arbeide for", "advocacy"), ("bidra til", "advocacy"),
    ("være pådriver", "advocacy"), ("påvirke", "advocacy"), ("vurdere", "exploratory"), ("utrede", "exploratory"),
    ("se på", "exploratory"), ("se på muligheten", "exploratory"), ("undersøke", "exploratory"),
    ("kartlegge", "exploratory"), ("innhente kunnskap", "exploratory"), ("prøve ut", "exploratory"),
])
def test_named_cues_have_their_strength(ontology: Graph, cue: str, strength: str) -> None:
    assert _cues(ontology).get(cue) == PK[strength]


@pytest.mark.parametrize(("text", "cue", "strength"), [
    ("jobbe for at fastlegene skal ta i bruk Helseplattformen.", "jobbe for", "advocacy"),
    ("aktivt jobbe for at kommunen tiltrekker seg flere bedrifter", "jobbe for", "advocacy"),
    ("sammen med statlige myndigheter se på muligheten for å innføre krav", "se på muligheten", "exploratory"),
    ("gjennom sitt eierskap jobbe opp mot Helseplattformen", "jobbe", "advocacy"),
    ("at eiendomsskatten fryses på dagens nivå.", "at", "decisive"),
    ("ha som mål at Trondheim blir en nasjonal foregangskommune", "ha som mål", "advocacy"),
    ("ha et systematisk arbeid mot mobbing", "ha", "decisive"),
    ("gjøre forsøk med å disponere parkeringsplasser", "gjøre forsøk", "exploratory"),
    ("fremme en helhetlig samferdselsplan", "fremme en", "decisive"),
    ("fremme løsninger for lokal energiproduksjon", "fremme", "advocacy"),
    ("legge fram en handlingsplan", "legge fram", "decisive"),
    ("ta initiativ til og støtte opp om studentklinikker", "ta initiativ", "advocacy"),
])
def test_longest_cue_wins(ontology: Graph, text: str, cue: str, strength: str) -> None:
    cues = _cues(ontology)
    modifiers = [str(m) for m in ontology.objects(PK.StrengthScheme, PK.cueModifier)]
    assert _lead_cue(text, cues, sorted(modifiers, key=len, reverse=True)) == cue
    assert cues[cue] == PK[strength]


def test_every_bullet_of_the_document_has_a_lead_verb_cue(ontology: Graph) -> None:
    cues = _cues(ontology)
    modifiers = sorted((str(m) for m in ontology.objects(PK.StrengthScheme, PK.cueModifier)), key=len, reverse=True)
    unmatched, bullets = [], 0
    for number, line in enumerate(SOURCE.read_text(encoding="utf-8").splitlines(), start=1):
        m = re.match(r"^\s*- (.+)", line)
        if not m:
            continue
        text = m.group(1)
        if number in CONTINUATION_FRAGMENTS:
            assert text.startswith(CONTINUATION_FRAGMENTS[number]), (number, text)
            assert _lead_cue(text, cues, modifiers) is None, (number, text)
            continue
        bullets += 1
        if _lead_cue(text, cues, modifiers) is None:
            unmatched.append(f"{number}: {text[:70]}")
    assert bullets > 250
    assert not unmatched, "bullets with no lead-verb cue:\n" + "\n".join(unmatched)


# --------------------------------------------------------------------------------------------------
# The two engines: the compiled SPARQL gate gives pyshacl's verdicts
# --------------------------------------------------------------------------------------------------


def _results(report: Graph) -> set[tuple]:
    """Each result as (focus node, source shape, constraint component, value, path, severity)."""
    from rdflib.namespace import SH

    return {tuple(report.value(r, p) for p in (SH.focusNode, SH.sourceShape, SH.sourceConstraintComponent,
                                               SH.value, SH.resultPath, SH.resultSeverity))
            for r in report.subjects(RDF.type, SH.ValidationResult)}


#: rdflib's prepared SHACL-SPARQL queries, kept across the cases (see ``prepared_queries``)
_PREPARED: dict[tuple, object] = {}


@pytest.fixture()
def prepared_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyshacl hands rdflib the same text for each SHACL-SPARQL constraint in every case, and rdflib
    parsed it anew each time: 80 % of a pyshacl run here. A prepared query is rdflib's own way to run
    a query again (``prepareQuery``), so the reference keeps them; the answers are the same."""
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
            if key not in _PREPARED:
                _PREPARED[key] = processor.translateQuery(processor.parseQuery(strOrQuery), base, initNs)
            strOrQuery = _PREPARED[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    monkeypatch.setattr(processor.SPARQLProcessor, "query", query)


@pytest.mark.parametrize("fixture", ["valid"] + sorted(p.stem for p in FIXTURES.glob("*.ru")))
def test_compiled_gate_gives_pyshacls_results(shapes: Graph, fixture: str, prepared_queries: None) -> None:
    """The build's gate runs on graph/shacl_sparql.py; pyshacl is the reference it must agree with:
    the same focus nodes, shapes, constraint components, values, paths and severities.

    pyshacl runs once per case (its report is the reference, and the same outcome's explained
    violations are compared); on all cases merged into one graph it took three times as long as on
    each alone (its SPARQL constraints grow with the graph), so the cases stay apart."""
    data = valid_graph() if fixture == "valid" else broken_graph(fixture)
    fast = validate(data, shapes, engine="sparql")
    reference = validate(data, shapes, engine="pyshacl")
    assert _results(fast.report_graph) == _results(reference.report_graph)
    assert fast.violations == reference.violations


def test_compiled_gate_handles_every_feature_of_our_shapes(shapes: Graph) -> None:
    """If the compiler met a feature it cannot translate, the gate would silently fall back to pyshacl
    (correct but slow): keep the shapes within what it compiles."""
    from graph import shacl_sparql
    from graph.oxi import Converter, store_of

    data = valid_graph()
    shacl_sparql.Compiler(shapes, store_of(Converter().triples(data)), data).run()  # raises Unsupported
