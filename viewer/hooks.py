"""What every page of the app shares, whichever blueprint serves it: template helpers, the
remembered language, and the error pages (404, store down, graph not built, a bug).

Registered on the app itself by :func:`init_app` (from ``create_app``), not by a blueprint.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, render_template, request
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException, InternalServerError

from store import StoreError, StoreNotReady
from viewer import assets, i18n, kg, numbers
from viewer.page_queries import local


def init_app(app: Flask) -> None:
    """Register the template helpers, the language cookie and the error pages on ``app``."""
    app.context_processor(helpers)
    app.after_request(remember_language)
    app.register_error_handler(404, not_found)
    app.register_error_handler(StoreError, store_failed)
    app.register_error_handler(StoreNotReady, no_store)
    app.register_error_handler(InternalServerError, server_error)


def page_link(iri: str) -> str:
    """Where a link to an IRI goes: its page here (keeping the language, before any ``#term``), else the IRI."""
    path = kg.local_path(iri)
    if not path:
        return iri
    path, hash_, fragment = path.partition("#")
    return i18n.with_lang(path) + hash_ + fragment


def property_value(v: dict[str, Any]) -> Markup:
    """One value in an entity's property tables: a link to an IRI's page (named by its label), a
    text in another language marked as such, else the value. Python rather than a template macro:
    a page shows dozens of values, and a macro call cost more than the rest of the value's markup
    (an entity page takes some 8 % less CPU)."""
    value, language = v["value"], v.get("lang")
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        text = v.get("label") or (i18n.term_label(value) if "#" in value else value)
        return Markup('<a href="{}">{}</a>').format(page_link(value), text)
    if language and language != i18n.lang():
        note = i18n.t("in_english") if language == "en" else language
        return Markup('<span lang="{}">{}</span> <small>({})</small>').format(language, value, note)
    return escape(value)


def language_switch() -> str:
    """This page in the other language: every parameter kept (the search term, the facets), ``lang`` flipped."""
    from urllib.parse import urlencode

    pairs = [(k, v) for k, vs in request.args.lists() if k != "lang" for v in vs]
    pairs.append(("lang", "nb" if i18n.lang() == "en" else "en"))
    return request.path + "?" + urlencode(pairs)


def area_name(slug_or_iri: str | None) -> str:
    """A policy area's name from its slug or IRI (the analysis projection keeps slugs)."""
    if not slug_or_iri:
        return ""
    names = kg.cached("area-names", lambda: {
        r["a"]: r["label"] for r in kg.select(
            'SELECT ?a ?label WHERE { ?a a pk:PolicyArea ; skos:prefLabel ?label FILTER(LANG(?label) = "nb") }')})
    iri = slug_or_iri if ":" in slug_or_iri else kg.base_iri() + "area/" + slug_or_iri
    return names.get(iri, slug_or_iri)


def helpers() -> dict[str, Any]:
    """Functions every template uses: language, links that keep it, labels of ontology terms."""
    return {
        "t": i18n.t,
        "static": assets.static_url,
        "lang": i18n.lang,
        "u": i18n.with_lang,
        "href": page_link,
        "val": property_value,
        "language_switch": language_switch,
        "plural": numbers.plural,
        "num": numbers.num,
        "area_name": area_name,
        "page_spaces": kg.page_spaces,
        "term": i18n.term_label,
        "local": local,
        "editor_link": kg.sparql_editor_link,
        "page_queries": lambda: list(g.get("queries", [])),
    }


def remember_language(response: Response) -> Response:
    """Keep an explicit ``?lang=`` choice in a cookie so links typed by hand keep it too."""
    chosen = request.args.get("lang")
    if chosen in i18n.LANGS and request.cookies.get("lang") != chosen:
        response.set_cookie("lang", chosen, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def not_found(err: HTTPException) -> tuple[str, int]:
    """A friendly page for unknown IRIs, slugs and paths, in the reader's language."""
    return render_template("error.html", title=i18n.t("not_found"), text=i18n.t("not_found_text")), 404


def store_failed(err: StoreError) -> tuple[str, int]:
    """The store could not answer (a remote endpoint down, a page query past the time limit)."""
    return render_template("error.html", title=i18n.t("store_failed"), text=err.message), err.status


def no_store(err: StoreNotReady) -> tuple[str, int]:
    """The viewer started before the graph was built: say how to build it instead of a traceback."""
    text = f"{i18n.t('no_store_text')} ({err.message})"
    return render_template("error.html", title=i18n.t("no_store"), text=text), err.status


def server_error(err: InternalServerError) -> tuple[str, int]:
    """A bug: Flask has logged it with its traceback; the reader gets a plain page, no details.

    Only reached when exceptions are not propagated (not under ``TESTING``, where a bug fails the
    test that met it).
    """
    try:
        return render_template("error.html", title=i18n.t("server_error"), text=i18n.t("server_error_text")), 500
    except Exception:  # the page itself failed: the plainest answer there is
        current_app.logger.exception("the error page could not be rendered")
        return "Internal Server Error\n", 500
