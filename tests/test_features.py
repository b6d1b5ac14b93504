"""Commitment features: strength from the lead verb, short labels, quantified targets."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from rdflib import RDF, RDFS, XSD, Literal

from graph.curated import PK
from graph.features import MAX_LABEL, StrengthLexicon, short_label
from graph.pipeline import Built
from graph.segment import Document


@pytest.mark.parametrize(
    ("text", "strength", "cue"),
    [
        ("sikre sunn økonomisk styring", "decisive", "sikre"),
        ("vurdere innkjøp av digitale tjenester", "exploratory", "vurdere"),
        ("utrede sterkere vern av Trondheimsfjorden.", "exploratory", "utrede"),
        ("systematisk jobbe for å redusere sykefraværet", "advocacy", "jobbe for"),
        ("være pådriver for to tog i timen", "advocacy", "være pådriver"),
        ("bidra til et tettere samarbeid", "advocacy", "bidra til"),
        ("sammen med statlige myndigheter se på muligheten for å innføre krav", "exploratory", None),
        ("innhente kunnskap om effekter av å innføre en leilighetsnorm", "exploratory", "innhente kunnskap"),
        ("selge eiendommer og bygningsmasse", "decisive", "selge"),
    ],
)
def test_strength_from_the_lead_verb(lexicon: StrengthLexicon, text: str, strength: str, cue: str | None) -> None:
    lead = lexicon.lead(text)
    assert lead is not None
    assert lead.strength == PK[strength]
    if cue is not None:
        assert lead.cue == cue


def test_every_commitment_has_a_strength_and_lead_verb(built: Built, doc: Document) -> None:
    g = built.graph
    commitments = set(g.subjects(RDF.type, PK.Commitment))
    assert len(commitments) == len(doc.commitments)
    strengths = Counter(g.value(c, PK.strength) for c in commitments)
    assert set(strengths) == {PK.decisive, PK.advocacy, PK.exploratory}
    for c in commitments:
        lead = str(g.value(c, PK.leadVerb))
        assert lead.split()[-1] in str(g.value(c, PK.text)).lower()


def test_short_labels(built: Built) -> None:
    g = built.graph
    for c in g.subjects(RDF.type, PK.Commitment):
        label = str(g.value(c, RDFS.label))
        text = str(g.value(c, PK.text))
        assert 0 < len(label) <= MAX_LABEL
        assert text.startswith(label.rstrip("…"))
    assert short_label("bruke samarbeidsavtaler med St. Olav og Helse Midt-Norge.") == (
        "bruke samarbeidsavtaler med St. Olav og Helse Midt-Norge"
    )


# Targets the issue names, as (commitment's first line, value, unit word, deadline year or None).
EXPECTED_TARGETS = [
    (534, 1800, "bolig", None),
    (538, 100, "bolig", None),
    (456, 3, "prosent", 2027),
    (463, 2000, "kroner", 2025),
    (700, 20, "prosent", None),
    (704, 300, "parkeringsplass", None),
    (705, 30, "km/t", None),
    (618, 55, "prosent", None),
    (638, 30, "prosent", None),
    (105, 1, "prosentpoeng", None),
    (523, 3000, "dekar", None),
]


@pytest.mark.parametrize(("line", "value", "unit", "year"), EXPECTED_TARGETS)
def test_quantified_targets_are_attached_to_their_commitment(
    built: Built, line: int, value: int, unit: str, year: int | None
) -> None:
    g = built.graph
    (c,) = [c for c in g.subjects(RDF.type, PK.Commitment) if int(g.value(c, PK.firstLine)) == line]
    targets = list(g.objects(c, PK.hasTarget))
    found = [t for t in targets if float(g.value(t, PK.value)) == value]
    assert found, f"no target of value {value} on the commitment at line {line}"
    t = found[0]
    assert unit in str(g.value(t, PK.unit)).lower()
    assert g.value(t, PK.measures) is not None
    if year is not None:
        assert g.value(t, PK.deadlineYear) == Literal(str(year), datatype=XSD.gYear)


def test_every_number_in_a_commitment_is_a_target_or_known_not_to_be(built: Built) -> None:
    """Quantities in commitments that no target covers are the gaps a reviewer would spot."""
    g = built.graph
    # Numbers that are names or dates of something else, by the line of their commitment.
    not_targets = {
        (481, "1000"), (481, "2030"),  # the 1000-year jubilee in 2030 is an occasion, not a target
        (490, "2024"), (490, "3.0"),  # "også etter 2024", "universitetskommunen TRD 3.0"
        (696, "2"),  # "Johan Tillers veg del 2"
        # "Reguleringsarbeid bør startes opp allerede i 2024": a start date, not a quantity; the order
        # (regulation before construction) is a curated commitment link instead.
        (469, "2024"),
    }
    uncovered = []
    for c in g.subjects(RDF.type, PK.Commitment):
        text = str(g.value(c, PK.text))
        quotes = " ".join(str(g.value(e, PK.quote)) for t in g.objects(c, PK.hasTarget) for e in g.objects(t, PK.evidence))
        for number in re.findall(r"\d+(?:[.,]\d+)?", text):
            line = int(g.value(c, PK.firstLine))
            if number not in quotes and (line, number) not in not_targets:
                uncovered.append((line, number))
    assert uncovered == []
