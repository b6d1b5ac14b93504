"""/sparql/terms.json: the ontology's classes and properties, read from our own store, that the
editor completes from (the browser side is in test_sparql_editor.py)."""

from __future__ import annotations

from sparql_support import PK, ROOT

ONTOLOGY = ROOT / "ontology" / "leangen.ttl"


def _terms(app) -> dict:
    resp = app.test_client().get("/sparql/terms.json")
    assert resp.status_code == 200
    assert resp.mimetype == "application/json"
    return resp.get_json()


def test_terms_lists_classes_and_properties_with_labels(ontology_app):
    data = _terms(ontology_app)
    assert data["prefixes"]["pk"] == PK
    assert data["truncated"] is False
    by_curie = {t["curie"]: t for t in data["terms"]}

    commitment = by_curie["pk:Commitment"]
    assert commitment["iri"] == PK + "Commitment"
    assert commitment["kind"] == "class" and commitment["types"] == ["owl:Class"]
    assert commitment["label"] == "commitment"
    assert commitment["labels"] == {"en": "commitment", "nb": "løfte"}
    assert commitment["comment"].startswith("One bullet of a 'Byrådet vil:' list")

    place = by_curie["pk:concernsPlace"]
    assert place["kind"] == "property" and place["types"] == ["owl:ObjectProperty"]
    assert place["labels"] == {"en": "concerns place", "nb": "gjelder sted"}
    assert by_curie["pk:ordinal"]["types"] == ["owl:DatatypeProperty"]
    assert by_curie["pk:cue"]["types"] == ["owl:AnnotationProperty"]

    # every class and property the ontology declares, and nothing else (no instances, no concepts)
    ontology = ONTOLOGY.read_text(encoding="utf-8")
    assert sum(t["kind"] == "class" for t in data["terms"]) == ontology.count("a owl:Class")
    assert sum(t["kind"] == "property" for t in data["terms"]) == sum(
        ontology.count(f"a owl:{k}") for k in ("ObjectProperty", "DatatypeProperty", "AnnotationProperty"))
    assert "pk:Place" in by_curie
    assert "pk:decisive" not in by_curie and "pk:StrengthScheme" not in by_curie  # SKOS, not OWL
    curies = [t["curie"] for t in data["terms"]]
    assert curies == sorted(curies, key=str.lower)


def test_terms_list_the_curated_entities_by_their_prefixed_names(ontology_app):
    data = _terms(ontology_app)
    by_curie = {e["curie"]: e for e in data["entities"]}
    assert by_curie["place:tiller"] == {"iri": "https://leangen-kg.org/id/place/tiller", "curie": "place:tiller",
                                        "class": "pk:Place", "label": "Tiller"}
    assert by_curie["actor:nav"]["class"] == "pk:Actor"
    assert by_curie["target:utslipp"]["label"] == "utslipp ned 80 prosent"  # rdfs:label when no prefLabel
    assert data["prefixes"]["place"] == "https://leangen-kg.org/id/place/"
    # places, projects, actors, instruments and targets only: no commitments, areas or topics
    assert {e["class"] for e in data["entities"]} == {"pk:Place", "pk:Project", "pk:Actor", "pk:Instrument",
                                                      "pk:Target"}
    curies = [e["curie"] for e in data["entities"]]
    assert curies == sorted(curies, key=str.lower)


def test_terms_are_read_once_per_store(ontology_app, monkeypatch):
    _terms(ontology_app)
    store = ontology_app.config["STORE"]

    def no_query(*args, **kwargs):
        raise AssertionError("the terms should come from the cache")

    monkeypatch.setattr(store, "query", no_query)
    assert any(t["curie"] == "pk:Commitment" for t in _terms(ontology_app)["terms"])


def test_terms_of_a_graph_without_the_ontology_is_an_empty_list(sparql_app):
    assert _terms(sparql_app)["terms"] == []
    assert _terms(sparql_app)["entities"]  # the entities come from the data, not the ontology


def test_editor_page_loads_the_completer(sparql_app):
    page = sparql_app.test_client().get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "sparql-terms.js" in page and "/sparql/terms.json" in page
    js = sparql_app.test_client().get("/static/sparql-terms.js")
    assert js.status_code == 200 and b"forkAutocompleter" in js.data
    js.close()
