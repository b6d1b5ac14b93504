"""The pages blueprint: which URL goes to which page, and the IRIs of the graph as URLs.

Every IRI of the graph dereferences here (:func:`viewer.kg.local_path` maps IRI ↔ path): data IRIs
under the base's path (``http://example.org/kg/id/place/heimdal`` → ``/kg/id/place/heimdal``; the
placeholder default base keeps the short ``/place/heimdal``), the ontology and its terms at
``/ontology#Term``, the dataset and graph IRIs to the VoID description. The same path answers
Turtle, N-Triples, JSON-LD or RDF/XML to a client that asks (Accept header or
``.ttl``/``.nt``/``.jsonld``/``.rdf``), so a link in a report and a link in a script are the same
link. The pages themselves are in :mod:`viewer.home`, :mod:`viewer.places` and
:mod:`viewer.entities`; what every page shares (template helpers, error pages) in :mod:`viewer.hooks`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, redirect, render_template, url_for

from graph.export import serialise
from viewer import commitments, home, kg, ontology_page, places
from viewer.entities import RDF_FORMATS, entity_page, wanted_format
from viewer.sparql_description import dataset_iri

bp = Blueprint("pages", __name__)
bp.add_url_rule("/", view_func=home.home)
bp.add_url_rule("/search", view_func=home.search)
bp.add_url_rule("/favicon.ico", view_func=home.favicon)
bp.add_url_rule("/downloads/<name>", view_func=home.download)
bp.add_url_rule("/places", view_func=places.places)
bp.add_url_rule("/commitments", view_func=commitments.commitments)

ENTITY_KINDS = ("commitment", "place", "project", "actor", "instrument", "target", "area", "topic",
                "document", "link", "scheme", "assessment", "source")


def entity(kind: str, rest: str) -> Response | str:
    """Any data IRI: ``…/commitment/<area>/<n>``, ``…/place/<slug>``, ``…/<x>.ttl`` and so on."""
    ext = None
    m = re.fullmatch(r"(.+)\.(" + "|".join(RDF_FORMATS) + ")", rest)
    if m:
        rest, ext = m.group(1), m.group(2)
    entity_iri = kg.base_iri() + kind + "/" + rest
    try:
        kg.iri(entity_iri)
    except ValueError:
        abort(404)
    return entity_page(entity_iri, ext)


def ontology(ext: str | None = None) -> Response | str:
    """The ontology (``pk:``, a hash namespace): one page with an anchor per term, or its triples."""
    fmt = wanted_format(ext)
    if fmt:
        mime = RDF_FORMATS[fmt]
        return Response(serialise(ontology_page.cached_graph(), mime), mimetype=mime)
    return render_template("ontology.html", **ontology_page.context(),
                           alternates=dict(RDF_FORMATS))


def dataset(ext: str | None = None) -> Response:
    """The dataset and graph IRIs name things, not documents: 303 to their VoID description."""
    target = url_for("sparql.void", format=ext) if ext else url_for("sparql.void")  # /void negotiates Accept
    return redirect(target, code=303)


def linked_data(kind: str, rest: str = "", ext: str | None = None) -> Response | str:
    """One endpoint for every dereferenceable IRI (CORS on its data, see viewer.security)."""
    if kind == "ontology":
        answer = ontology(ext)
    elif kind == "dataset":
        answer = dataset(ext)
    else:
        answer = entity(kind, rest)
    response = current_app.make_response(answer)
    response.vary.add("Accept")  # HTML for browsers, RDF for clients: caches must keep them apart
    return response


def _routes(app: Any) -> list[tuple[str, dict[str, str]]]:
    """The URL rules of the IRIs this app serves, with the view's fixed arguments."""
    ext = "<any(" + ", ".join(RDF_FORMATS) + "):ext>"
    rules: list[tuple[str, dict[str, str]]] = []
    for prefix in kg.data_prefixes():
        rules.append((prefix + "<any(" + ", ".join(ENTITY_KINDS) + "):kind>/<path:rest>", {}))
    ontology_path = kg.local_path(kg.ONTOLOGY) or "/ontology"
    rules += [(ontology_path, {"kind": "ontology"}), (ontology_path + "." + ext, {"kind": "ontology"})]
    described = {app.config["SPARQL_GRAPH_IRI"], dataset_iri()}  # the IRIs VoID describes
    paths = {kg.local_path(iri) for iri in described} | {urlsplit(iri).path for iri in described
                                                          if iri.startswith(kg.SITE)}
    for path in sorted(p for p in paths if p):  # ``rest`` tells the rules apart (else werkzeug redirects)
        rules += [(path, {"kind": "dataset", "rest": path}), (path + "." + ext, {"kind": "dataset", "rest": path})]
    return rules


def init_app(app: Any) -> None:
    """Register the pages blueprint and the routes of the IRIs, which follow the app's base IRI."""
    app.register_blueprint(bp)
    with app.app_context():
        rules = _routes(app)
    for rule, defaults in rules:
        app.add_url_rule(rule, endpoint="pages.entity", view_func=linked_data, defaults=defaults or None)
