"""A page for every entity of the graph: readable HTML by type, or its triples as RDF.

Which one a client gets is negotiated (:func:`wanted_format`: a ``.ttl``-style suffix or the
``Accept`` header); the routes that lead here are in :mod:`viewer.pages`.
"""

from __future__ import annotations

from typing import Any

import rdflib
from flask import Response, render_template, request
from werkzeug.exceptions import NotFound

from graph import vocab
from graph.export import serialise
from viewer import i18n, kg
from viewer.page_queries import LABEL, exists, local, optional_label
from viewer.places import place_touching

RDF_FORMATS = {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
               "rdf": "application/rdf+xml"}  # extension → media type


def describe_graph(entity: str) -> rdflib.Graph:
    """The entity's description: its triples, its blank nodes (geometry, evidence) and its mentions."""
    q = kg.iri(entity)
    rows = kg.select_terms(
        "SELECT ?s ?p ?o WHERE {\n"
        f"  {{ BIND({q} AS ?s) {q} ?p ?o }}\n"
        f"  UNION {{ {q} ?p0 ?s . FILTER(isBlank(?s)) ?s ?p ?o }}\n"
        f"  UNION {{ {q} pk:hasMention ?s . ?s ?p ?o }}\n}}")
    graph = rdflib.Graph()
    graph.bind("pk", kg.PK)
    graph.bind("lk", kg.base_iri())
    for prefix, ns in (("skos", "http://www.w3.org/2004/02/skos/core#"), ("dcterms", "http://purl.org/dc/terms/"),
                       ("geo", "http://www.opengis.net/ont/geosparql#")):
        graph.bind(prefix, ns)
    for r in rows:
        if r["s"] is not None and r["p"] is not None and r["o"] is not None:
            graph.add((r["s"], r["p"], r["o"]))
    return graph


def wanted_format(ext: str | None) -> str | None:
    """The RDF format asked for by extension or Accept header; None means the HTML page."""
    if ext:
        return ext
    best = request.accept_mimetypes.best_match(["text/html", *RDF_FORMATS.values()])
    for key, mime in RDF_FORMATS.items():
        if best == mime and request.accept_mimetypes[mime] > request.accept_mimetypes["text/html"]:
            return key
    return None


def _outgoing(entity: str) -> list[dict[str, Any]]:
    return kg.select(
        f"SELECT ?p ?o ?olabel (LANG(?o) AS ?olang) WHERE {{\n  {kg.iri(entity)} ?p ?o .\n  "
        + optional_label("o", "olabel") + "\n}")


def _incoming(entity: str, skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    skip_filter = "".join(f" && ?p != {p}" for p in skip)
    return kg.select(
        f"SELECT ?s ?p ?slabel ?stype WHERE {{\n  ?s ?p {kg.iri(entity)} .\n"
        f"  FILTER(isIRI(?s){skip_filter})\n  " + optional_label("s", "slabel") + "\n  OPTIONAL { ?s a ?stype }\n}"
        " ORDER BY ?p ?slabel LIMIT 2000")


def _group(rows: list[dict[str, Any]], key: str, value: str, label: str) -> list[dict[str, Any]]:
    """Rows grouped by predicate, values unique, for the property tables."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        vals = groups.setdefault(r[key], [])
        item = {"value": r[value], "label": r.get(label), "lang": r.get("olang") or None}
        if all(v["value"] != item["value"] for v in vals):
            vals.append(item)
        elif item["label"] and not any(v["label"] for v in vals if v["value"] == item["value"]):
            for v in vals:
                if v["value"] == item["value"]:
                    v["label"] = item["label"]
    return [{"predicate": p, "values": in_page_language(p, v)} for p, v in groups.items()]


#: Curator's notes the sources give in English only, whatever the page's language.
ENGLISH_NOTES = ("http://purl.org/dc/terms/source",)


def in_page_language(predicate: str, values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A property's values in the page's language where it has them (a label or comment in nb and
    en shows once); notes the sources keep in English only are marked so (``lang``)."""
    here = i18n.lang()
    if any(v["lang"] == here for v in values):
        values = [v for v in values if v["lang"] in (here, None)]
    for v in values:
        if v["lang"] is None and predicate in ENGLISH_NOTES:
            v["lang"] = "en"
    return values


def _commitments_of(entity: str, via: str) -> list[dict[str, Any]]:
    """An area's or topic's commitments in document order, with their topic for the headings."""
    return kg.select(
        "SELECT ?c ?label ?text ?ordinal ?strength ?first ?last ?topic ?topicLabel ?topicOrdinal WHERE {\n"
        f"  ?c {via} {kg.iri(entity)} ; a pk:Commitment .\n  " + optional_label("c", "label") + "\n"
        "  OPTIONAL { ?c pk:text ?text } OPTIONAL { ?c pk:ordinal ?ordinal }\n"
        "  OPTIONAL { ?c pk:strength ?strength }\n"
        "  OPTIONAL { ?c pk:firstLine ?first } OPTIONAL { ?c pk:lastLine ?last }\n"
        "  OPTIONAL { ?c pk:topic ?topic . " + LABEL % ("topic", "topicLabel", "topicLabel")
        + " OPTIONAL { ?topic pk:ordinal ?topicOrdinal } }\n} ORDER BY ?ordinal ?c")


def _mentions(entity: str) -> list[dict[str, Any]]:
    """The names found in a commitment's text, one row per name, words and line: a name that occurs
    twice on a line ("eiendomsskatten … eiendomsskatten") is one row with ``count`` 2, not two equal rows."""
    rows: dict[tuple[Any, Any, Any], dict[str, Any]] = {}
    for row in _mention_rows(entity):
        key = (row["ent"], row.get("matched"), row.get("line"))
        rows.setdefault(key, {**row, "count": 0})["count"] += 1
    return list(rows.values())


def _mention_rows(entity: str) -> list[dict[str, Any]]:
    return kg.select(
        "SELECT ?m ?ent ?entLabel ?matched ?line WHERE {\n"
        f"  {kg.iri(entity)} pk:hasMention ?m .\n  ?m pk:mentionOf ?ent .\n  " + optional_label("ent", "entLabel")
        + "\n  OPTIONAL { ?m pk:matchedText ?matched }\n  OPTIONAL { ?m pk:sourceLine ?line }\n}"
        " ORDER BY ?line ?matched")


def _neighbours_in_area(area: str, ordinal: int) -> dict[str, Any]:
    rows = kg.select(
        f"SELECT ?c ?ordinal WHERE {{\n  ?c pk:policyArea {kg.iri(area)} ; pk:ordinal ?ordinal .\n"
        f"  FILTER(?ordinal = {int(ordinal) - 1} || ?ordinal = {int(ordinal) + 1})\n}}")
    out: dict[str, Any] = {}
    for r in rows:
        out["previous" if r["ordinal"] < ordinal else "next"] = r["c"]
    return out


def entity_page(entity: str, ext: str | None) -> Response | str:
    """Render one entity: RDF when asked for, else a readable page by type."""
    fmt = wanted_format(ext)
    if fmt:
        if not exists(entity):
            raise NotFound()
        mime = RDF_FORMATS[fmt]
        body = serialise(describe_graph(entity), mime)
        return Response(body, mimetype=mime, headers={"Vary": "Accept"})
    out = _outgoing(entity)
    if not out:  # not a subject of the graph (what ``exists`` asks, without a query of its own)
        raise NotFound()
    types = sorted({local(r["o"]) for r in out if r["p"].endswith("22-rdf-syntax-ns#type")})
    kind = next((t for t in vocab.PAGE_CLASSES if t in types),
                types[0] if types else "")
    value = {local(r["p"]): r["o"] for r in out}
    labels = [r["o"] for r in out if local(r["p"]) in ("prefLabel", "label", "title")
              and isinstance(r["o"], str)]
    ctx: dict[str, Any] = {"entity": entity, "kind": kind, "types": types, "value": value,
                           "label": labels[0] if labels else entity.rsplit("/", 1)[-1],
                           "alternates": dict(RDF_FORMATS)}
    skip: tuple[str, ...] = ()
    if kind in ("PolicyArea", "Topic"):
        via = "pk:policyArea" if kind == "PolicyArea" else "pk:topic"
        ctx["commitments"] = _commitments_of(entity, via)
        skip = (via, "pk:policyArea")
    if kind == "PolicyArea":
        ctx["topics"] = kg.select(
            f"SELECT ?t ?label ?ordinal ?prose WHERE {{\n  ?t skos:broader {kg.iri(entity)} .\n  "
            + optional_label("t", "label") + "\n  OPTIONAL { ?t pk:ordinal ?ordinal }"
            " OPTIONAL { ?t pk:prose ?prose }\n} ORDER BY ?ordinal")
        skip = (*skip, "skos:broader", "pk:topic")
    if kind == "Commitment":
        ctx["mentions"] = _mentions(entity)
        if value.get("policyArea") and isinstance(value.get("ordinal"), int):
            ctx["around"] = _neighbours_in_area(value["policyArea"], value["ordinal"])
    if kind == "Place":
        ctx["touching"] = place_touching(entity)
        skip = (*skip, "pk:concernsPlace", "pk:mentionOf")
    if kind == "PolicyDocument":
        skip = (*skip, "dcterms:isPartOf")
    ctx["properties"] = _group(out, "p", "o", "olabel")
    ctx["incoming"] = _group(_incoming(entity, skip=(*skip, "pk:mentionOf")), "p", "s", "slabel")
    return render_template("entity.html", **ctx)
