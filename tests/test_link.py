"""Linking commitments to the entities their words name.

First on a small curated fixture made here (the rules), then on the real graph (the
cases the issue names, which must come out right with the real curated data).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, URIRef

from graph.curated import PK, load_curated
from graph.errors import BuildError
from graph.link import Linker
from graph.pipeline import Built
from graph.segment import Block

LK = "https://leangen-kg.org/id/"
FIXTURE = """
@prefix pk: <https://leangen-kg.org/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix place: <https://leangen-kg.org/id/place/> .
@prefix project: <https://leangen-kg.org/id/project/> .
@prefix actor: <https://leangen-kg.org/id/actor/> .

place:lade a pk:Place ; skos:prefLabel "Lade"@nb ; pk:evidence [ pk:quote "Lade"@nb ; pk:line 1 ] .
place:tiller a pk:Place ; skos:prefLabel "Tiller"@nb ; pk:evidence [ pk:quote "Tiller"@nb ; pk:line 1 ] .
place:heimdal a pk:Place ; skos:prefLabel "Heimdal"@nb ; pk:evidence [ pk:quote "Heimdal"@nb ; pk:line 1 ] .
place:heimdal-sentrum a pk:Place ; skos:prefLabel "Heimdal sentrum"@nb ; pk:partOf place:heimdal ;
    pk:evidence [ pk:quote "Heimdal"@nb ; pk:line 1 ] .
project:jtv a pk:Project ; skos:prefLabel "Johan Tillers veg del 2"@nb ; pk:locatedAt place:heimdal-sentrum ;
    pk:evidence [ pk:quote "Tiller"@nb ; pk:line 1 ] .
project:hvs a pk:Project ; skos:prefLabel "Heimdal helse- og velferdssenter"@nb ; pk:locatedAt place:heimdal ;
    pk:evidence [ pk:quote "Heimdal"@nb ; pk:line 1 ] .
project:a a pk:Project ; skos:prefLabel "A skole"@nb ; skos:altLabel "A og B skoler"@nb ;
    pk:evidence [ pk:quote "Lade"@nb ; pk:line 1 ] .
project:b a pk:Project ; skos:prefLabel "B skole"@nb ; skos:altLabel "A og B skoler"@nb ;
    pk:evidence [ pk:quote "Lade"@nb ; pk:line 1 ] .
actor:nav a pk:Actor ; skos:prefLabel "NAV"@nb ; pk:evidence [ pk:quote "NAV"@nb ; pk:line 1 ] .
actor:kulturskole a pk:Actor ; skos:prefLabel "Trondheim kulturskole"@nb ; skos:altLabel "Kulturskolen"@nb ;
    pk:evidence [ pk:quote "NAV"@nb ; pk:line 1 ] .
"""
SOURCE_LINES = ["Lade Tiller Heimdal NAV"]


@pytest.fixture
def linker(tmp_path: Path) -> Linker:
    (tmp_path / "entities.ttl").write_text(FIXTURE, encoding="utf-8")
    return Linker(load_curated(tmp_path, SOURCE_LINES))


def names(linker: Linker, text: str) -> list[str]:
    return [str(m.entity).removeprefix(LK) for m in linker.find(text)]


def test_word_boundaries(linker: Linker) -> None:
    assert names(linker, "effektiv ladeinfrastruktur i samarbeid med nabokommuner") == []
    assert names(linker, "videre til Lade og Sluppen.") == ["place/lade"]
    assert names(linker, "Ladegården") == []


def test_longest_match_hides_the_names_inside_it(linker: Linker) -> None:
    text = "regulere Johan Tillers veg del 2 med tiltakspakke for gående i Heimdal sentrum."
    assert names(linker, text) == ["project/jtv", "place/heimdal-sentrum"]
    assert names(linker, "at Heimdal helse- og velferdssenter skal bygges ut") == ["project/hvs"]
    assert names(linker, "ny ishall på Tiller") == ["place/tiller"]


def test_genitive_and_first_letter_case(linker: Linker) -> None:
    assert names(linker, "NAVs kontor") == ["actor/nav"]
    assert names(linker, "Heimdals bibliotek") == ["place/heimdal"]
    assert names(linker, "samarbeidet mellom kulturskolen og barnehagene") == ["actor/kulturskole"]
    assert names(linker, "Kulturskolen slik at") == ["actor/kulturskole"]
    # Only the first letter is case-insensitive: "nav" is not "NAV", but "lade" is "Lade".
    assert names(linker, "nav") == []
    assert names(linker, "lade") == ["place/lade"]


def test_one_label_for_several_entities_links_all(linker: Linker) -> None:
    assert names(linker, "ved å realisere A og B skoler.") == ["project/a", "project/b"]


def test_generic_words_link_nothing(linker: Linker) -> None:
    assert names(linker, "utvikle byen og sentrum for alle i kommunen") == []


def test_match_keeps_its_words_and_line(linker: Linker) -> None:
    block = Block()
    block.append(675, "sikre planleggingsmidler for ny")
    block.append(677, "godsterminal på Heggstadmoen slik at Lade")
    (m,) = linker.find(block.text)
    assert (m.text, m.label, block.line_at(m.start)) == ("Lade", "Lade", 677)


def test_unmatched_capitalised_names_are_reported(linker: Linker) -> None:
    block = Block()
    block.append(10, "samarbeid med Lade og Sametinget. Dette skjer")
    unmatched = linker.unmatched_names(block, linker.find(block.text))
    assert [u.word for u in unmatched] == ["Sametinget"]


def test_curated_file_referring_to_an_undefined_place(tmp_path: Path) -> None:
    (tmp_path / "e.ttl").write_text(FIXTURE.replace("pk:partOf place:heimdal ;", "pk:partOf place:atlantis ;"))
    with pytest.raises(BuildError, match=r"e\.ttl, line 11: .*place/atlantis>, which no curated file defines"):
        load_curated(tmp_path, SOURCE_LINES)


def test_duplicate_iri_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.ttl").write_text(FIXTURE)
    (tmp_path / "b.ttl").write_text(FIXTURE.split("place:tiller")[0])
    with pytest.raises(BuildError, match=r"b\.ttl, line 8: duplicate IRI <https://leangen-kg.org/id/place/lade>: it is also defined in .*a\.ttl, line 8\."):
        load_curated(tmp_path, SOURCE_LINES)


def test_malformed_turtle_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.ttl").write_text(FIXTURE + '\nplace:x a pk:Place ; skos:prefLabel "unclosed .\n')
    with pytest.raises(BuildError, match=r"bad\.ttl, line \d+: malformed Turtle"):
        load_curated(tmp_path, SOURCE_LINES)


def test_evidence_quote_must_stand_on_its_line(tmp_path: Path) -> None:
    (tmp_path / "e.ttl").write_text(FIXTURE.replace('pk:quote "NAV"@nb ; pk:line 1 ] .\nactor:k',
                                                    'pk:quote "NAV-kontoret"@nb ; pk:line 1 ] .\nactor:k'))
    with pytest.raises(BuildError, match=r'actor/nav>: the evidence quote "NAV-kontoret" is not on line 1'):
        load_curated(tmp_path, SOURCE_LINES)


# --- the real graph --------------------------------------------------------------------------

def linked(built: Built, first_line: int, prop: URIRef) -> set[str]:
    g = built.graph
    (c,) = [c for c in g.subjects(RDF.type, PK.Commitment) if int(g.value(c, PK.firstLine)) == first_line]
    return {str(o).removeprefix(LK) for o in g.objects(c, prop)}


def test_real_ladeinfrastruktur_is_not_lade(built: Built) -> None:
    assert "place/lade" not in linked(built, 624, PK.concernsPlace)
    assert {"place/lade", "place/sluppen"} <= linked(built, 684, PK.concernsPlace)


def test_real_johan_tillers_veg(built: Built) -> None:
    assert "place/tiller" not in linked(built, 696, PK.concernsPlace)
    assert "place/heimdal-sentrum" in linked(built, 696, PK.concernsPlace)
    assert any("johan-tillers-veg" in p for p in linked(built, 696, PK.concernsProject))


def test_real_heimdal_helse_og_velferdssenter_links_the_project(built: Built) -> None:
    projects = linked(built, 152, PK.concernsProject)
    assert any("heimdal" in p for p in projects)
    assert "place/heimdal" not in linked(built, 152, PK.concernsPlace)


def test_real_every_mention_is_traceable_to_its_line(built: Built) -> None:
    g = built.graph
    source = Path(built.document.path).read_text(encoding="utf-8").split("\n")
    mentions = list(g.subjects(RDF.type, PK.Mention))
    assert len(mentions) > 200
    for mention in mentions:
        words = str(g.value(mention, PK.matchedText))
        line = int(g.value(mention, PK.sourceLine))
        assert words.split()[0] in source[line - 1], (mention, words, line)
