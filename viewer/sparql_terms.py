"""The ontology's own terms and the curated entities for the editor's autocompletion
(``/sparql/terms.json``).

The editor must work offline, so instead of asking an outside vocabulary service (LOV, prefix.cc) it
completes from the classes and properties that the ontology declares in our own store:
``?t a owl:Class`` (offered after ``a``/``rdf:type``) and ``owl:ObjectProperty`` /
``owl:DatatypeProperty`` / ``owl:AnnotationProperty`` (offered in the predicate position), each with
its ``rdfs:label`` (English and Norwegian) and English ``rdfs:comment`` as hints. The places,
projects, actors, instruments and targets are offered by name after their prefix (``place:til`` →
``place:tiller``, "Tiller"), as Wikidata's editor offers items after ``wd:``.
"""

from __future__ import annotations

from typing import Any

from graph import vocab
from viewer.security import served_prefixes

OWL = "http://www.w3.org/2002/07/owl#"
_KINDS = {
    OWL + "Class": "class",
    OWL + "ObjectProperty": "property",
    OWL + "DatatypeProperty": "property",
    OWL + "AnnotationProperty": "property",
}
_TYPE_NAMES = {iri: "owl:" + iri[len(OWL):] for iri in _KINDS}

TERMS_QUERY = """\
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?term ?type ?label ?comment WHERE {
  VALUES ?type { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
  ?term a ?type .
  FILTER(isIRI(?term))
  OPTIONAL { ?term rdfs:label ?label }
  OPTIONAL { ?term rdfs:comment ?comment FILTER(lang(?comment) = "" || langMatches(lang(?comment), "en")) }
}"""

ENTITIES_QUERY = vocab.sparql_prefixes(("pk", "skos", "rdfs")) + """\
SELECT ?entity ?class ?label WHERE {
  VALUES ?class { """ + " ".join(f"pk:{c}" for c in vocab.CURATED_CLASSES) + """ }
  ?entity a ?class .
  FILTER(isIRI(?entity))
  OPTIONAL { ?entity skos:prefLabel ?pref FILTER(langMatches(lang(?pref), "nb")) }
  OPTIONAL { ?entity rdfs:label ?plain FILTER(langMatches(lang(?plain), "nb")) }
  BIND(COALESCE(?pref, ?plain) AS ?label)
}"""

#: More rows than any ontology of ours has (77 terms × 2 labels); a bigger one is cut, not refused.
MAX_ROWS = 5000


def curie(iri: str) -> str | None:
    """``pk:Commitment`` for an IRI in one of our prefixes, else None."""
    known = served_prefixes()
    best = None
    for prefix, ns in known.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(known[best])):
            best = prefix
    return f"{best}:{iri[len(known[best]):]}" if best else None


def ontology_terms(store, timeout: float) -> dict[str, Any]:
    """The terms as the editor's completers use them, sorted by their short name.

    ``{"prefixes": {...}, "terms": [{"iri", "curie", "kind": "class"|"property", "types",
    "label", "labels": {lang: text}, "comment"}], "truncated": bool}``
    """
    result = store.query(TERMS_QUERY, timeout=timeout, max_rows=MAX_ROWS)
    col = {v: i for i, v in enumerate(result.vars)}
    terms: dict[str, dict[str, Any]] = {}
    for row in result.rows:
        term, typ, label, comment = (row[col[v]] for v in ("term", "type", "label", "comment"))
        if term is None or typ is None:
            continue
        t = terms.setdefault(term.value, {"iri": term.value, "curie": curie(term.value), "kind": None,
                                          "types": [], "labels": {}, "comment": None})
        kind = _KINDS.get(typ.value)
        # a term that is both a class and a property (punning) is offered in both places
        t["kind"] = kind if t["kind"] in (None, kind) else "both"
        if _TYPE_NAMES[typ.value] not in t["types"]:
            t["types"].append(_TYPE_NAMES[typ.value])
        if label is not None:
            t["labels"].setdefault(label.lang or "", label.value)
        if comment is not None and (t["comment"] is None or comment.lang):
            t["comment"] = comment.value
    out = []
    for t in terms.values():
        labels = t["labels"]
        t["label"] = labels.get("en") or labels.get("") or next(iter(labels.values()), None)
        t["types"].sort()
        out.append(t)
    out.sort(key=lambda t: (t["curie"] or t["iri"]).lower())
    entities, entities_cut = _entities(store, timeout)
    return {"prefixes": served_prefixes(), "terms": out, "entities": entities,
            "truncated": result.truncated or entities_cut}


def _entities(store, timeout: float) -> tuple[list[dict[str, Any]], bool]:
    """``[{"iri", "curie", "class", "label"}]`` for every curated entity, sorted by short name."""
    result = store.query(ENTITIES_QUERY, timeout=timeout, max_rows=MAX_ROWS)
    col = {v: i for i, v in enumerate(result.vars)}
    seen: dict[str, dict[str, Any]] = {}
    for row in result.rows:
        entity, cls, label = (row[col[v]] for v in ("entity", "class", "label"))
        if entity is None or entity.value in seen:
            continue
        seen[entity.value] = {"iri": entity.value, "curie": curie(entity.value),
                              "class": curie(cls.value), "label": label.value if label else None}
    out = sorted(seen.values(), key=lambda e: (e["curie"] or e["iri"]).lower())
    return out, result.truncated
