"""One vocabulary (graph/vocab.py): identity written once, words taken from the ontology, lexicons as data."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef

from graph.cue_links import CommitmentText, find_cues
from graph.curated import load_curated
from graph.errors import BuildError
from graph.pipeline import Paths
from graph.vocab import PK, Registry, prefixes, registry

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "leangen.ttl"
# Written out here on purpose: the test is that no code but graph/vocab.py writes them.
NAMESPACE = "https://leangen-kg.org/ontology#"
DEFAULT_BASE = "https://leangen-kg.org/id/"


def _code_files() -> list[Path]:
    files = [ROOT / "build.py"]
    for package in ("graph", "store", "viewer"):
        files += sorted((ROOT / package).rglob("*.py"))
    return [f for f in files if f != ROOT / "graph" / "vocab.py"]


def test_namespace_and_default_base_are_written_only_in_vocab() -> None:
    found = [f"{f.relative_to(ROOT)}:{n}: {line.strip()}"
             for f in _code_files()
             for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), start=1)
             if NAMESPACE in line or DEFAULT_BASE in line]
    assert not found, "use graph.vocab instead:\n" + "\n".join(found)


def _ontology_labels() -> dict[str, dict[str, str]]:
    """Label by local name and language, read here with plain rdflib (not through the registry)."""
    g = Graph().parse(ONTOLOGY)
    out: dict[str, dict[str, str]] = {}
    for prop in (RDFS.label, SKOS.prefLabel):  # a concept's skos:prefLabel wins over its rdfs:label
        for s, o in g.subject_objects(prop):
            if str(s).startswith(NAMESPACE) and isinstance(o, Literal) and o.language:
                out.setdefault(str(s)[len(NAMESPACE):], {})[o.language] = str(o)
    return out


def _classes_and_properties() -> list[str]:
    g = Graph().parse(ONTOLOGY)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return sorted(str(s)[len(NAMESPACE):] for k in kinds for s in g.subjects(RDF.type, k)
                  if str(s).startswith(NAMESPACE))


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_class_and_property_label_shown_is_the_ontologys(language: str) -> None:
    from viewer import i18n
    from viewer.app import create_app

    labels = _ontology_labels()
    with create_app({"TESTING": True}).test_request_context(f"/?lang={language}"):
        wrong = {t: (i18n.term_label(t), labels[t][language]) for t in _classes_and_properties()
                 if i18n.term_label(t) != labels[t][language]}
        assert not wrong, wrong
        # the interface words for graph things (headings, counts): the label, or its plural
        g = Graph().parse(ONTOLOGY)
        for key, (term, plural, capital) in i18n.GRAPH_UI.items():
            source = PK.pluralLabel if plural else RDFS.label
            word = next(str(o) for o in g.objects(PK[term], source) if o.language == language)
            assert i18n.t(key) == (word[:1].upper() + word[1:] if capital else word), key


def test_the_network_page_names_node_types_and_strengths_as_the_ontology() -> None:
    from viewer.network_page import page_context

    labels = _ontology_labels()
    empty = {"nodes": [], "edges": [], "areas": []}
    for language in ("nb", "en"):
        terms = page_context(empty, language, offline=True)["terms"]
        assert terms and all(terms[t] == labels[t][language] for t in terms), terms


def test_prefixes_follow_the_base() -> None:
    table = prefixes("http://example.org/kg/id/")
    assert table["lk"] == "http://example.org/kg/id/"
    assert table["place"] == "http://example.org/kg/id/place/"
    assert table["pk"] == NAMESPACE


def test_a_generic_word_as_a_curated_label_stops_the_build_at_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "curated"
    shutil.copytree(Paths().curated, folder)
    places = folder / "places.ttl"
    lines = places.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if "skos:prefLabel" in line and '"Heimdal"@nb' in line)
    lines.insert(at + 1, '    skos:altLabel "Sentrum"@nb ;')
    places.write_text("\n".join(lines), encoding="utf-8")
    source = Paths().source.read_text(encoding="utf-8").split("\n")
    with pytest.raises(BuildError) as err:
        load_curated(folder, source)
    assert err.value.path == places and err.value.line == at + 2
    assert "generic word" in str(err.value) and "Sentrum" in str(err.value)


def _ontology_with(extra: str) -> Graph:
    return Graph().parse(data=ONTOLOGY.read_text(encoding="utf-8") + extra, format="turtle")


def test_cue_phrases_are_data_in_the_ontology() -> None:
    """A phrase added to the ontology opens a cue clause; no code changes."""
    reg = Registry.of(_ontology_with('pk:conditionCue pk:cuePhrase "forutsatt at"@nb .\n'))
    text = CommitmentText(URIRef("urn:c"), "bygge ishall, forutsatt at staten bidrar.", [(0, 7)])
    assert [(r.cue, r.role, r.kind) for r in find_cues([text], reg.cue_phrases)] == \
        [("forutsatt at", "condition", PK.dependsOn)]
    assert find_cues([text], registry().cue_phrases) == []


def test_a_phrase_on_two_concepts_is_an_error_naming_both() -> None:
    with pytest.raises(BuildError, match=r"'for å'.*purposeCue.*partnerCue|'for å'.*partnerCue.*purposeCue"):
        Registry.of(_ontology_with('pk:partnerCue pk:cuePhrase "for å"@nb .\n'))


def test_lead_prefixes_and_generic_words_come_from_the_ontology() -> None:
    reg = Registry.of(_ontology_with('pk:StrengthScheme pk:cueModifier "målrettet"@nb .\n'
                                     '<https://leangen-kg.org/ontology> pk:genericWord "Byområdet"@nb .\n'))
    assert "målrettet" in reg.lead_prefixes and "målrettet" not in registry().lead_prefixes
    assert "byområdet" in reg.generic_words and {"byen", "sentrum", "kommunen"} <= reg.generic_words


def test_linking_properties_are_the_ontologys_ranges() -> None:
    g = Graph().parse(ONTOLOGY)
    reg = registry()
    for cls in ("Place", "Project", "Actor", "Instrument"):
        prop = reg.property_to(cls)
        assert (prop, RDFS.range, PK[cls]) in g and (prop, RDFS.domain, PK.Commitment) in g


def test_no_class_list_outside_vocab() -> None:
    """A tuple or VALUES block naming three or more pk: classes is a class list: it belongs in graph/vocab.py."""
    names = "Commitment|PolicyArea|Topic|Place|Project|Actor|Instrument|Target"
    listed = re.compile(rf'(?:"(?:{names})",\s*){{3,}}|(?:pk:(?:{names})\s+){{3,}}')
    found = [str(f.relative_to(ROOT)) for f in _code_files()
             if listed.search(f.read_text(encoding="utf-8"))]
    assert not found, found


def test_the_builds_ontology_is_the_one_every_lexicon_reads(tmp_path: Path) -> None:
    """``--ontology`` reaches the lexicons: a generic word added only to the given copy stops a build
    whose curated label uses it, and the default ontology is back in use after the build."""
    from graph.pipeline import make_graph

    ontology = tmp_path / "leangen.ttl"
    ontology.write_text(ONTOLOGY.read_text(encoding="utf-8")
                        + '\n<https://leangen-kg.org/ontology> pk:genericWord "Heimdal"@nb .\n', encoding="utf-8")
    paths = Paths(ontology=ontology)
    with pytest.raises(BuildError, match=r"Heimdal.*generic word \(pk:genericWord in leangen.ttl\)"):
        make_graph(paths)
    assert "heimdal" not in registry().generic_words
