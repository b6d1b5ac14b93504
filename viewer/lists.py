"""The list pages as data: ``.csv``, ``.xlsx`` and ``.json`` beside each list page, with its rows.

``/commitments.csv?place=heimdal`` (the facets apply), ``/places.csv``, ``/area/<slug>.csv`` (and topic,
actor, instrument: their commitments, as the page lists them), ``/place/<slug>/touching.csv``,
``/search.csv?q=``, ``/analysis/<table>.csv``. The formats are :mod:`viewer.exports`'.
"""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from werkzeug.wrappers import Response

from viewer import commitments, exports, facets, i18n, kg
from viewer.exports import IRI, LINES, Column, term
from viewer.page_queries import exists

FMT = "<any(csv, xlsx, json):fmt>"
#: Entity pages whose list of commitments is a facet of /commitments: kind → facet.
ENTITY_LISTS = {"area": "area", "topic": "topic", "actor": "actor", "instrument": "instrument"}

#: A commitment's current status (the /commitments facet), named by pk:StatusScheme in the page's language.
STATUS = Column("status", "Status", "Status", lambda notation: i18n.notation_label("StatusScheme", notation))
COMMITMENT_COLUMNS = (
    Column("area_label", "Område", "Policy area"), Column("topic_label", "Tema", "Topic"),
    Column("label", "Løfte", "Commitment"), Column("text", "Ordlyd", "Wording"),
    Column("strength", "Styrke", "Strength", term), STATUS, LINES, IRI,
)
PLACE_COLUMNS = (
    Column("label", "Navn", "Name"), Column("kind", "Type", "Kind", term),
    Column("parent_labels", "Del av", "Part of"), Column("child_labels", "Inneholder", "Contains"),
    Column("n_commitments", "Punkter", "Commitments"), Column("n_projects", "Prosjekter", "Projects"), IRI,
)
TOUCHING_COLUMNS = (
    Column("type", "Type", "Type", term), Column("label", "Navn", "Name"), Column("text", "Ordlyd", "Wording"),
    Column("area_label", "Område", "Policy area"), Column("strength", "Styrke", "Strength", term),
    Column("via_labels", "Via", "Via"), Column("matched_words", "Ord som ga koblingen", "Words that made the link"),
    LINES, IRI,
)
SEARCH_COLUMNS = (Column("type", "Type", "Type", term), Column("label", "Navn", "Name"), IRI)


def bad_parameter(err: Exception) -> tuple[str, int]:
    """A page that names the bad parameter and what to do, status 400 (never a traceback)."""
    return render_template("error.html", title=i18n.t("bad_parameter"), text=str(err)), 400


def commitments_download(fmt: str) -> Response | tuple[str, int]:
    """``/commitments.<fmt>``: the rows of the view the same parameters show."""
    try:
        data = commitments.view(request.args)
    except (facets.FacetError, commitments.SortError) as err:
        return bad_parameter(err)
    meta = {"view": commitments.state_url(data["selection"], data["sort"])}
    return exports.respond(fmt, data["rows"], COMMITMENT_COLUMNS, "commitments", meta)


def entity_list(kind: str, slug: str, fmt: str) -> Response:
    """An area's, topic's, actor's or instrument's commitments: the /commitments view of that facet."""
    entity = kg.base_iri() + kind + "/" + slug
    facet = ENTITY_LISTS[kind]
    if slug in facets.known(facet) and slug not in facets.actor_groups():
        rows = commitments.commitment_rows({facet: [slug]})
    elif exists(entity):  # on no commitment: its page says so, its table is empty
        rows = []
    else:
        abort(404)
    return exports.respond(fmt, rows, COMMITMENT_COLUMNS, slug.replace("/", "-"), {"entity": entity})


def places_download(fmt: str) -> Response:
    """``/places.<fmt>``: the place index as the page shows it."""
    from viewer.places import places_index

    rows = []
    for p in places_index():
        rows.append({**p, "parent_labels": [p["labels"].get(x, x) for x in p["parents"]],
                     "child_labels": [p["labels"].get(x, x) for x in p["children"]]})
    return exports.respond(fmt, rows, PLACE_COLUMNS, "places")


def touching_download(slug: str, fmt: str) -> Response:
    """``/place/<slug>/touching.<fmt>``: what touches a place or a place inside it."""
    from viewer.places import touching_rows

    rows = touching_rows(kg.base_iri() + "place/" + slug)
    if rows is None:
        abort(404)
    return exports.respond(fmt, rows, TOUCHING_COLUMNS, slug, {"place": kg.base_iri() + "place/" + slug})


def search_download(fmt: str) -> Response:
    """``/search.<fmt>?q=``: the search results in the order the page shows them."""
    from viewer.home import search_results

    q = (request.args.get("q") or "").strip()[:200]
    rows = [{"iri": r["s"], "type": r["type"], "label": r["label"]} for r in search_results(q)]
    return exports.respond(fmt, rows, SEARCH_COLUMNS, "search", {"q": q})


CENTRALITY_COLUMNS = (
    Column("label", "Navn", "Name"), Column("type", "Type", "Type", term),
    Column("degree", "Gradsentralitet", "Degree centrality"),
    Column("betweenness", "Mellomliggende sentralitet", "Betweenness centrality"), LINES, IRI,
)
IMPACT_COLUMNS = (
    Column("label", "Navn", "Name"), Column("type", "Type", "Type", term),
    Column("stalls", "Stopper opp", "Stalls"), Column("harder", "Blir vanskeligere", "Gets harder"), LINES, IRI,
)


def _node(G: Any, n: str) -> dict[str, Any]:
    """A node of the analysis projection as a row: name, type (an ontology class), line, IRI."""
    d = G.nodes[n]
    return {"iri": n, "label": d.get("label", n), "type": (d.get("type") or "").capitalize(),
            "first_line": d.get("line")}


def analysis_download(table: str, fmt: str) -> Response:
    """``/analysis/centrality.<fmt>`` (every node, both measures) and ``/analysis/impact.<fmt>``."""
    from graph import analyse
    from viewer.analysis import centrality, get_analysis

    G = get_analysis()["G"]
    if table == "centrality":
        scores = centrality(G)
        rows = [{**_node(G, n), "degree": round(scores["degree"][n], 3),
                 "betweenness": round(scores["betweenness"].get(n, 0.0), 3)} for n in G]
        rows.sort(key=lambda r: (-r["degree"], str(r["label"]).lower()))
        return exports.respond(fmt, rows, CENTRALITY_COLUMNS, "centrality")
    rows = [{**_node(G, n), "stalls": len(st.stalls), "harder": len(st.harder)}
            for n, st in analyse.impact_table(G)]
    return exports.respond(fmt, rows, IMPACT_COLUMNS, "impact")


def init_app(app: Any) -> None:
    """Register the list downloads (entity lists under every data prefix, like the entity pages)."""
    app.add_url_rule(f"/commitments.{FMT}", "lists.commitments", commitments_download)
    app.add_url_rule(f"/places.{FMT}", "lists.places", places_download)
    app.add_url_rule(f"/search.{FMT}", "lists.search", search_download)
    app.add_url_rule(f"/analysis/<any(centrality, impact):table>.{FMT}", "lists.analysis", analysis_download)
    with app.app_context():
        prefixes = kg.data_prefixes()
    for prefix in prefixes:
        app.add_url_rule(f"{prefix}place/<slug>/touching.{FMT}", f"lists.touching{prefix}", touching_download)
        for kind in ENTITY_LISTS:
            app.add_url_rule(f"{prefix}{kind}/<path:slug>.{FMT}", f"lists.{kind}{prefix}", entity_list,
                             defaults={"kind": kind})
